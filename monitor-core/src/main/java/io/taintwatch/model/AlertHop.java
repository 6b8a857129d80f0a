package io.taintwatch.model;

/** One hop of an alert's laundering path, amounts readable; {@code sharePpm} = tainted / amount in parts per million. */
public record AlertHop(Position position, Hash32 txHash, long timestamp, Address from, Address to, Asset asset,
                       TokenAmount amount, TokenAmount tainted, long sharePpm) {
}
