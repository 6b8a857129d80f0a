package io.taintwatch.alerts.rules;

import io.taintwatch.model.Alert;

/**
 * One leg's contribution to an alert, before aggregation: {@code groupKey} decides which alert it joins
 * (the dedup key, or for watchlist movements the address, whose episodes the aggregator splits).
 */
public record Candidate(String groupKey, Alert alert) {
}
