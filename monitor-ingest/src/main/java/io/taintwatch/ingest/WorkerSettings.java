package io.taintwatch.ingest;

import java.time.Duration;

/**
 * How one chain's loop runs: confirmation depth (or the node's finalized tag), blocks per batch, idle sleep, where
 * to start without a checkpoint, and an optional last block (a backfill stops there).
 */
public record WorkerSettings(int confirmations, boolean useFinalized, int batchBlocks, Duration pollInterval,
                             long startBlock, Long endBlock, Duration retryBackoff) {
    public WorkerSettings {
        if (confirmations < 0 || batchBlocks < 1 || startBlock < 0) {
            throw new IllegalArgumentException("confirmations >= 0, batchBlocks >= 1 and startBlock >= 0 required");
        }
        if (endBlock != null && endBlock < startBlock) {
            throw new IllegalArgumentException("endBlock " + endBlock + " before startBlock " + startBlock);
        }
    }

    public static WorkerSettings follow(int confirmations, long startBlock) {
        return new WorkerSettings(confirmations, false, 20, Duration.ofSeconds(2), startBlock, null, Duration.ofSeconds(1));
    }

    public WorkerSettings withBatchBlocks(int n) {
        return new WorkerSettings(confirmations, useFinalized, n, pollInterval, startBlock, endBlock, retryBackoff);
    }

    public WorkerSettings withPollInterval(Duration d) {
        return new WorkerSettings(confirmations, useFinalized, batchBlocks, d, startBlock, endBlock, retryBackoff);
    }

    public WorkerSettings withEndBlock(Long end) {
        return new WorkerSettings(confirmations, useFinalized, batchBlocks, pollInterval, startBlock, end, retryBackoff);
    }

    public WorkerSettings withFinalized(boolean f) {
        return new WorkerSettings(confirmations, f, batchBlocks, pollInterval, startBlock, endBlock, retryBackoff);
    }
}
