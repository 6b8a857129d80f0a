package io.taintwatch.taint;

import io.taintwatch.model.Asset;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a {@link TaintEngine} keeps each source's ledgers (per asset): in memory ({@link #inMemory()}) or in the
 * topology's {@code taint-meta} store behind a bounded cache ({@link StoredLedgers}). The engine changes the maps it
 * gets in place during a block and reports the sources whose ledgers changed; an implementation must return the same
 * map for a source until they are persisted.
 */
public interface SourceLedgers {
    /** The source's ledgers by asset, or null when it has none yet. */
    TreeMap<Asset, SourceLedger> get(String source);

    /** The first ledgers of a source. */
    void add(String source, TreeMap<Asset, SourceLedger> ledgers);

    /** The engine is about to change the source's ledger of {@code asset} (once until the store writes it again). */
    default void changed(String source, Asset asset) {
    }

    /** Every source's ledgers, by source (tests and diagnostics: a store-backed implementation reads them all). */
    Map<String, TreeMap<Asset, SourceLedger>> all();

    /** Ledgers in a sorted map: all of them on the heap. */
    static SourceLedgers inMemory() {
        return new SourceLedgers() {
            private final TreeMap<String, TreeMap<Asset, SourceLedger>> ledgers = new TreeMap<>();

            @Override
            public TreeMap<Asset, SourceLedger> get(String source) {
                return ledgers.get(source);
            }

            @Override
            public void add(String source, TreeMap<Asset, SourceLedger> byAsset) {
                ledgers.put(source, byAsset);
            }

            @Override
            public Map<String, TreeMap<Asset, SourceLedger>> all() {
                return Collections.unmodifiableMap(ledgers);
            }
        };
    }
}
