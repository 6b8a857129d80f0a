package io.taintwatch.model;

/** Totals of one asset over all legs an alert aggregates. */
public record AlertTotal(Asset asset, TokenAmount amount, TokenAmount tainted) {
}
