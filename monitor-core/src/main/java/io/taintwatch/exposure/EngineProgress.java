package io.taintwatch.exposure;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Where one chain's engine is in writing its stores, for readers on other threads (interactive queries): a sequence that
 * is odd while a block's records are being written and even between blocks (a seqlock). A reader that saw the same even
 * value before and after its reads read the state between two blocks, never half of one. The stream thread is the only
 * writer; readers never block it.
 */
public final class EngineProgress {
    /** How long a reader retries before it gives up: far beyond the write of any one block. */
    private static final long READ_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private volatile long seq;
    private volatile long referenceVersion;
    private volatile long tokensVersion;

    /** The stream thread starts writing a block's records. */
    public void beginBlock() {
        seq = (seq + 2) | 1;
    }

    /** The block's records are written (also called when a task starts, in case its predecessor stopped mid-block). */
    public void endBlock() {
        seq = (seq + 1) & ~1L;
    }

    /** A seed (the sources' categories and references) changed. */
    public void referenceChanged() {
        referenceVersion++;
    }

    /** A declared token or token metadata changed. */
    public void tokensChanged() {
        tokensVersion++;
    }

    /** Changes with every change of the tokens: readers cache the token registry under it. */
    public long tokensVersion() {
        return tokensVersion;
    }

    /** Changes with every change of the seeds: readers cache what they derive from them under it. */
    public long referenceVersion() {
        return referenceVersion;
    }

    /**
     * Runs {@code reads} until it ran wholly between two blocks, and returns what it returned; after {@link #READ_PATIENCE_NANOS} of blocks
     * in the way fails with {@link Busy}.
     */
    public <T> T read(Supplier<T> reads) {
        long deadline = System.nanoTime() + READ_PATIENCE_NANOS;
        for (int attempt = 0; ; attempt++) {
            long before = seq;
            if ((before & 1) == 0) {
                try {
                    T v = reads.get();
                    if (seq == before) {
                        return v;
                    }
                } catch (RuntimeException e) {
                    if (seq == before) {
                        throw e;
                    }
                    // records of two blocks read together may not fit together: read again
                }
            }
            if (System.nanoTime() > deadline) {
                throw new Busy();
            }
            if (attempt < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** The engine kept writing blocks while a reader tried to read between two of them. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("the engine kept writing blocks while the state was read; try again");
        }
    }

    /** The progress of every chain of one taint application in this process, by chain name. */
    public static final class Board {
        private final ConcurrentHashMap<String, EngineProgress> chains = new ConcurrentHashMap<>();

        public EngineProgress of(String chain) {
            return chains.computeIfAbsent(chain, c -> new EngineProgress());
        }
    }
}
