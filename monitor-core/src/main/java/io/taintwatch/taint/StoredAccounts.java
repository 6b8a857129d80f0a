package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracked accounts kept in the {@code taint-accounts} store in {@link StateCodec}'s layout (a header record per
 * address, a record per holding) and read on demand: an account is read with one scan over its address's keys when the
 * engine first touches it, and stays in a least-recently-used cache bounded by an estimate of the heap its objects take
 * ({@link #cacheBytes}). The heap thus holds the engine's index of tracked addresses, the cache and the accounts of the
 * block being processed, however many addresses are tracked.
 *
 * <p>The engine changes accounts in place during a block; {@link #persist} then writes the records the block changed
 * (and deletes those it removed) and only afterwards trims the cache, so an account is never dropped with changes not
 * yet in the store, and an account read again equals the one dropped.
 */
public final class StoredAccounts implements TrackedAccounts {
    private final KeyValues store;
    private final long cacheBytes;
    private final LinkedHashMap<Address, Account> cache = new LinkedHashMap<>(1024, 0.75f, true);
    private long cached;
    private int size;
    private long reads;

    /** @param cacheBytes the bound of the cache: the estimated heap bytes of the accounts it keeps between blocks */
    public StoredAccounts(KeyValues store, long cacheBytes) {
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("account cache bytes must not be negative: " + cacheBytes);
        }
        this.store = store;
        this.cacheBytes = cacheBytes;
    }

    /**
     * Adds each tracked address of the store to the engine's index and counts them, reading keys only (no account is
     * decoded); returns the count. A holding key without its header key before it fails naming the key.
     */
    public int restore(TaintEngine engine) {
        int n = 0;
        byte[] header = null;
        try (KeyValues.Scan records = store.scan(new byte[0])) {
            while (records.hasNext()) {
                byte[] key = records.next().getKey();
                if (StateCodec.isHeaderKey(key)) {
                    engine.restoreTracked(StateCodec.addressOf(key));
                    header = key;
                    n++;
                } else if (header == null || !Arrays.equals(key, 0, header.length, header, 0, header.length)) {
                    throw new IllegalStateException("corrupt taint engine state record under key " + io.taintwatch.model.Hex.encode(key)
                        + ": a holding record without its account's header record before it");
                }
            }
        }
        size = n;
        return n;
    }

    @Override
    public Account get(Address address) {
        Account a = cache.get(address);
        if (a != null) {
            return a;
        }
        reads++;
        try (KeyValues.Scan records = store.scan(StateCodec.accountKey(address))) {
            a = StateCodec.readAccount(records);
        }
        if (a != null) {
            a.cachedBytes = estimatedBytes(a);
            cached += a.cachedBytes;
            cache.put(address, a);
        }
        return a;
    }

    @Override
    public void add(Account account) {
        cache.put(account.address(), account);
        size++;
    }

    @Override
    public void remove(Address address) {
        Account a = cache.remove(address);
        if (a != null) {
            cached -= a.cachedBytes;
            size--;
        }
    }

    @Override
    public int size() {
        return size;
    }

    /** Reads every account from the store (tests and diagnostics). */
    @Override
    public Iterable<Account> all() {
        List<Account> out = new ArrayList<>();
        try (KeyValues.Scan records = store.scan(new byte[0])) {
            Account current = null;
            List<Map.Entry<byte[], byte[]>> one = new ArrayList<>();
            while (records.hasNext()) {
                Map.Entry<byte[], byte[]> r = records.next();
                if (StateCodec.isHeaderKey(r.getKey()) && !one.isEmpty()) {
                    out.add(StateCodec.readAccount(one.iterator()));
                    one.clear();
                }
                one.add(r);
            }
            if (!one.isEmpty()) {
                out.add(StateCodec.readAccount(one.iterator()));
            }
        }
        return out;
    }

    /**
     * Writes the header and holding records a block changed and deletes those it removed (nothing else), then trims the
     * cache to its bound, least recently used first.
     */
    public void persist(List<AccountChange> changes) {
        for (AccountChange c : changes) {
            Address address = c.address();
            if (c.removed()) {
                store.put(StateCodec.accountKey(address), null);
            } else {
                Account a = cache.get(address);
                if (c.header()) {
                    store.put(StateCodec.accountKey(address), StateCodec.encodeHeader(a));
                }
                for (Asset x : c.written()) {
                    store.put(StateCodec.holdingKey(address, x), StateCodec.encodeHolding(a, x));
                }
                long bytes = estimatedBytes(a);
                cached += bytes - a.cachedBytes;
                a.cachedBytes = bytes;
            }
            for (Asset x : c.deleted()) {
                store.put(StateCodec.holdingKey(address, x), null);
            }
        }
        Iterator<Account> lru = cache.values().iterator();
        while (cached > cacheBytes && lru.hasNext()) {
            cached -= lru.next().cachedBytes;
            lru.remove();
        }
    }

    /** Accounts read from the store since this instance was made (cache misses). */
    public long reads() {
        return reads;
    }

    /** The estimated heap bytes of the accounts in the cache. */
    public long cachedBytes() {
        return cached;
    }

    /** Accounts in the cache. */
    public int cachedAccounts() {
        return cache.size();
    }

    /**
     * A rough estimate of an account's heap bytes from its shape: a constant per object kind (account, holding, hop,
     * provenance path and hop, fifo lot), calibrated against the heap after GC (docs/BENCHMARKS.md, "State beyond the
     * heap"). Holdings count as one size each (a source or two of taint), so that a busy account's estimate costs no walk
     * over its holdings, except for fifo lots, which grow with the inflows.
     */
    static long estimatedBytes(Account a) {
        long b = 400 + 370L * a.holdings.size() + 110L * a.hops.size();
        for (List<Provenance> ps : a.provenance.values()) {
            b += 100;
            for (Provenance p : ps) {
                b += 130 + 330L * p.path().size();
            }
        }
        Holding any = a.holdings.isEmpty() ? null : a.holdings.firstEntry().getValue();
        if (any != null && any.lots != null) {
            for (Holding h : a.holdings.values()) {
                b += 150L * h.lots.size();
            }
        }
        return b;
    }
}
