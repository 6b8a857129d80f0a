package io.taintwatch.ingest.source.rpc;

import java.time.Duration;

/**
 * Transport settings of the JSON-RPC client: per-request timeout, retries with exponential backoff and jitter, the
 * adaptive batch size (starts at {@code maxBatch}, halves on a retriable failure, doubles back after
 * {@code batchCooldown} without failures).
 */
public record RpcSettings(Duration timeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff, int maxBatch,
                          Duration batchCooldown) {
    public RpcSettings {
        if (maxAttempts < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("maxAttempts and maxBatch must be at least 1");
        }
    }

    public static RpcSettings defaults() {
        return new RpcSettings(Duration.ofSeconds(30), 8, Duration.ofMillis(250), Duration.ofSeconds(30), 100, Duration.ofSeconds(30));
    }

    public RpcSettings withMaxBatch(int n) {
        return new RpcSettings(timeout, maxAttempts, initialBackoff, maxBackoff, n, batchCooldown);
    }

    public RpcSettings withRetries(int attempts, Duration initial, Duration max) {
        return new RpcSettings(timeout, attempts, initial, max, maxBatch, batchCooldown);
    }

    public RpcSettings withTimeout(Duration t) {
        return new RpcSettings(t, maxAttempts, initialBackoff, maxBackoff, maxBatch, batchCooldown);
    }
}
