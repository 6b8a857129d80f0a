package io.taintwatch.taint;

import io.taintwatch.model.Asset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each source's ledgers kept in the {@code taint-meta} store, a record per source and asset
 * ({@link StateCodec#assetLedgerKey}), read on demand (one scan over the source's keys) and the most recently used
 * sources cached up to an estimate of their heap bytes. A block writes only the ledgers it changed ({@link #persist}),
 * before the cache is trimmed. A source still in the former layout (one record of every asset under
 * {@link StateCodec#ledgerKey}) is read from it and, the first time one of its ledgers changes, written whole in the
 * new layout and its former record deleted.
 */
public final class StoredLedgers implements SourceLedgers {
    private static final long BYTES_PER_SOURCE = 300;
    private static final long BYTES_PER_ASSET = 750;

    private final KeyValues store;
    private final long cacheBytes;
    private final LinkedHashMap<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true);
    private final List<Map.Entry<String, Asset>> changed = new ArrayList<>();
    private long cached;

    /** A source's ledgers, whether they are still in the former record, and their estimated bytes counted in {@link #cached}. */
    private static final class Cached {
        final TreeMap<Asset, SourceLedger> byAsset;
        boolean former;
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
            c = read(source);
            if (c == null) {
                return null;
            }
            cache.put(source, c);
            weigh(c);
        }
        return c.byAsset;
    }

    private Cached read(String source) {
        TreeMap<Asset, SourceLedger> byAsset = new TreeMap<>();
        try (KeyValues.Scan records = store.scan(StateCodec.assetLedgerPrefix(source))) {
            while (records.hasNext()) {
                Map.Entry<byte[], byte[]> r = records.next();
                StateCodec.AssetLedger l = StateCodec.decodeAssetLedger(r.getKey(), r.getValue());
                byAsset.put(l.asset(), l.ledger());
            }
        }
        if (!byAsset.isEmpty()) {
            return new Cached(byAsset);
        }
        byte[] former = store.get(StateCodec.ledgerKey(source));
        if (former == null) {
            return null;
        }
        Cached c = new Cached(StateCodec.decodeLedgers(former).getValue());
        c.former = true;
        return c;
    }

    @Override
    public void add(String source, TreeMap<Asset, SourceLedger> ledgers) {
        cache.put(source, new Cached(ledgers));
    }

    @Override
    public void changed(String source, Asset asset) {
        changed.add(Map.entry(source, asset));
    }

    /** Reads every source's ledgers from the store, in either layout (tests and diagnostics). */
    @Override
    public Map<String, TreeMap<Asset, SourceLedger>> all() {
        TreeMap<String, TreeMap<Asset, SourceLedger>> out = new TreeMap<>();
        try (KeyValues.Scan records = store.scan(StateCodec.LEDGER_PREFIX.getBytes(StandardCharsets.UTF_8))) {
            while (records.hasNext()) {
                Map.Entry<String, TreeMap<Asset, SourceLedger>> l = StateCodec.decodeLedgers(records.next().getValue());
                out.put(l.getKey(), l.getValue());
            }
        }
        try (KeyValues.Scan records = store.scan(StateCodec.ASSET_LEDGER_PREFIX.getBytes(StandardCharsets.UTF_8))) {
            while (records.hasNext()) {
                Map.Entry<byte[], byte[]> r = records.next();
                StateCodec.AssetLedger l = StateCodec.decodeAssetLedger(r.getKey(), r.getValue());
                out.computeIfAbsent(l.source(), s -> new TreeMap<>()).put(l.asset(), l.ledger());
            }
        }
        return out;
    }

    /**
     * Writes the ledgers changed since the last call (a source still in the former record: all of its ledgers, and the
     * former record deleted), then trims the cache to its bound, least recently used first.
     */
    public void persist() {
        for (Map.Entry<String, Asset> e : changed) {
            String source = e.getKey();
            Cached c = cache.get(source);
            if (c.former) {
                c.byAsset.forEach((x, l) -> write(source, x, l));
                store.put(StateCodec.ledgerKey(source), null);
                c.former = false;
            } else {
                SourceLedger l = c.byAsset.get(e.getValue());
                if (l.changed) {
                    write(source, e.getValue(), l);
                }
            }
            weigh(c);
        }
        changed.clear();
        for (Iterator<Cached> lru = cache.values().iterator(); cached > cacheBytes && lru.hasNext(); ) {
            cached -= lru.next().bytes;
            lru.remove();
        }
    }

    private void write(String source, Asset x, SourceLedger l) {
        store.put(StateCodec.assetLedgerKey(source, x), StateCodec.encodeAssetLedger(source, x, l));
        l.changed = false;
    }

    private void weigh(Cached c) {
        long bytes = BYTES_PER_SOURCE + BYTES_PER_ASSET * c.byAsset.size();
        cached += bytes - c.bytes;
        c.bytes = bytes;
    }
}
