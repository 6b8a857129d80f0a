package io.taintwatch.topology;

/**
 * How much of the taint engine's persisted state the topology keeps on the heap between blocks: the estimated heap
 * bytes of the accounts ({@code taint.state.account-cache-bytes}) and of the sources' ledgers
 * ({@code taint.state.ledger-cache-bytes}) it caches. The rest stays in the state stores and is read when a block
 * touches it; the index of tracked addresses is always on the heap.
 */
public record StateCaches(long accountBytes, long ledgerBytes) {
    public static final long DEFAULT_ACCOUNT_BYTES = 64L << 20;
    public static final long DEFAULT_LEDGER_BYTES = 8L << 20;

    public StateCaches {
        if (accountBytes < 0 || ledgerBytes < 0) {
            throw new IllegalArgumentException("state cache sizes must not be negative: accounts " + accountBytes + ", ledgers " + ledgerBytes);
        }
    }

    public static StateCaches defaults() {
        return new StateCaches(DEFAULT_ACCOUNT_BYTES, DEFAULT_LEDGER_BYTES);
    }
}
