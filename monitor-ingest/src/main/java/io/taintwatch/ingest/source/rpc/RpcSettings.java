package io.taintwatch.ingest.source.rpc;

import java.time.Duration;

/**
 * Transport settings of the JSON-RPC client: the time one HTTP exchange may take (body included), the largest response
 * body it reads, retries with exponential backoff and jitter (a server's {@code Retry-After} is honoured up to
 * {@code maxBackoff}), and the adaptive batch size (starts at {@code maxBatch}, halves on a retriable failure, doubles
 * back after {@code batchCooldown} without failures).
 */
public record RpcSettings(Duration timeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff, int maxBatch,
                          Duration batchCooldown, long maxResponseBytes) {
    /** The default cap on one response body: room for a batch of large mainnet blocks or traces. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 128L << 20;

    public RpcSettings {
        if (maxAttempts < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("maxAttempts and maxBatch must be at least 1");
        }
        if (timeout.isNegative() || timeout.isZero() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("timeout must be positive and maxBackoff at least initialBackoff");
        }
        if (maxResponseBytes < 1 || maxResponseBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxResponseBytes must be between 1 and " + (Integer.MAX_VALUE - 8) + " (one byte array)");
        }
    }

    public static RpcSettings defaults() {
        return new RpcSettings(Duration.ofSeconds(30), 8, Duration.ofMillis(250), Duration.ofSeconds(30), 100, Duration.ofSeconds(30),
            DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** Exponential backoff with full jitter before retry {@code attempt}: uniform in [initial, min(max, initial * 2^(attempt-1))]. */
    public long backoffMillis(int attempt) {
        long initial = initialBackoff.toMillis();
        long cap = Math.min(maxBackoff.toMillis(), initial << Math.min(20, attempt - 1));
        return cap <= initial ? initial : java.util.concurrent.ThreadLocalRandom.current().nextLong(initial, cap + 1);
    }

    public RpcSettings withMaxBatch(int n) {
        return new RpcSettings(timeout, maxAttempts, initialBackoff, maxBackoff, n, batchCooldown, maxResponseBytes);
    }

    public RpcSettings withRetries(int attempts, Duration initial, Duration max) {
        return new RpcSettings(timeout, attempts, initial, max, maxBatch, batchCooldown, maxResponseBytes);
    }

    public RpcSettings withTimeout(Duration t) {
        return new RpcSettings(t, maxAttempts, initialBackoff, maxBackoff, maxBatch, batchCooldown, maxResponseBytes);
    }

    public RpcSettings withMaxResponseBytes(long n) {
        return new RpcSettings(timeout, maxAttempts, initialBackoff, maxBackoff, maxBatch, batchCooldown, n);
    }
}
