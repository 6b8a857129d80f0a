package io.taintwatch.taint;

import io.taintwatch.model.Asset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each source's ledgers kept in the {@code taint-meta} store (a record per source, {@link StateCodec#ledgerKey}) and
 * read on demand, the most recently used in a cache bounded by an estimate of their heap bytes. As with
 * {@link StoredAccounts}, {@link #persist} writes a block's changed ledgers before the cache is trimmed.
 */
public final class StoredLedgers implements SourceLedgers {
    private static final long BYTES_PER_SOURCE = 300;
    private static final long BYTES_PER_ASSET = 750;

    private final KeyValues store;
    private final long cacheBytes;
    private final LinkedHashMap<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cached;

    /** A source's ledgers and the estimate of their heap bytes counted in {@link #cached}. */
    private static final class Cached {
        final TreeMap<Asset, SourceLedger> byAsset;
        long bytes;

        Cached(TreeMap<Asset, SourceLedger> byAsset) {
            this.byAsset = byAsset;
        }
    }

    /** @param cacheBytes the bound of the cache: the estimated heap bytes of the ledgers it keeps between blocks */
    public StoredLedgers(KeyValues store, long cacheBytes) {
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("ledger cache bytes must not be negative: " + cacheBytes);
        }
        this.store = store;
        this.cacheBytes = cacheBytes;
    }

    @Override
    public TreeMap<Asset, SourceLedger> get(String source) {
        Cached c = cache.get(source);
        if (c == null) {
            byte[] record = store.get(StateCodec.ledgerKey(source));
            if (record == null) {
                return null;
            }
            c = new Cached(StateCodec.decodeLedgers(record).getValue());
            weigh(c);
            cache.put(source, c);
        }
        return c.byAsset;
    }

    @Override
    public void add(String source, TreeMap<Asset, SourceLedger> ledgers) {
        cache.put(source, new Cached(ledgers));
    }

    /** Reads every source's ledgers from the store (tests and diagnostics). */
    @Override
    public Map<String, TreeMap<Asset, SourceLedger>> all() {
        TreeMap<String, TreeMap<Asset, SourceLedger>> out = new TreeMap<>();
        try (KeyValues.Scan records = store.scan(StateCodec.LEDGER_PREFIX.getBytes(StandardCharsets.UTF_8))) {
            while (records.hasNext()) {
                Map.Entry<String, TreeMap<Asset, SourceLedger>> l = StateCodec.decodeLedgers(records.next().getValue());
                out.put(l.getKey(), l.getValue());
            }
        }
        return out;
    }

    /** Writes the ledgers of the sources a block changed, then trims the cache to its bound, least recently used first. */
    public void persist(List<String> changed) {
        for (String source : changed) {
            Cached c = cache.get(source);
            store.put(StateCodec.ledgerKey(source), StateCodec.encodeLedgers(source, c.byAsset));
            weigh(c);
        }
        for (Iterator<Cached> lru = cache.values().iterator(); cached > cacheBytes && lru.hasNext(); ) {
            cached -= lru.next().bytes;
            lru.remove();
        }
    }

    private void weigh(Cached c) {
        long bytes = BYTES_PER_SOURCE + BYTES_PER_ASSET * c.byAsset.size();
        cached += bytes - c.bytes;
        c.bytes = bytes;
    }
}
