package io.taintwatch.model;

/** When an alert's first or latest leg happened: block, block time (unix seconds), transaction and position. */
public record AlertSeen(long block, long blockTimestamp, Hash32 txHash, Position position) {
}
