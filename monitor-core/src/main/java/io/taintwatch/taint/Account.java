package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Engine state of one tracked address: holdings per asset, minimum hop and provenance per source. */
public final class Account {
    final Address address;
    final TreeMap<Asset, Holding> holdings = new TreeMap<>();
    final TreeMap<String, Integer> hops = new TreeMap<>();
    /** Per source, the top-k inbound flows by tainted amount, largest first. */
    final TreeMap<String, List<Provenance>> provenance = new TreeMap<>();
    // what the engine has reported as written (BlockResult.accounts) and what it changed since: the store holds a
    // header record (hops, provenance) and one record per holding, so a block rewrites only what it changed
    /** A record exists under this address's header key (reported as written, or restored). */
    boolean stored;
    /** That record is a version-1 whole-account record: the first change rewrites the header and every holding. */
    boolean legacy;
    /** Hops or provenance changed in the current block. */
    boolean headerChanged;
    /**
     * Per source, how many holdings hold its taint or were poisoned by it (null until first needed): a block then
     * looks at the holdings it changed, not at every holding of a busy account. Derived, never persisted.
     */
    private HashMap<String, Integer> held;
    /** Assets of the holdings changed in the current block. */
    final ArrayList<Asset> changedAssets = new ArrayList<>(2);
    /** Its estimated heap bytes while a {@link StoredAccounts} cache holds it. */
    long cachedBytes;

    Account(Address address) {
        this.address = address;
    }

    public Address address() {
        return address;
    }

    public Map<Asset, Holding> holdings() {
        return java.util.Collections.unmodifiableMap(holdings);
    }

    public Integer hop(String source) {
        return hops.get(source);
    }

    /** The minimum hop per source, by source id. */
    public Map<String, Integer> hops() {
        return java.util.Collections.unmodifiableMap(hops);
    }

    /** The kept inbound tainted flows of a source with their paths, largest first (empty when none). */
    public List<Provenance> provenance(String source) {
        return java.util.Collections.unmodifiableList(provenance.getOrDefault(source, List.of()));
    }

    /** Whether no holding holds taint (call {@link #countChanges} first within a block). */
    boolean isClean() {
        return held().isEmpty();
    }

    /** Whether some holding holds taint of the source or was poisoned by it. */
    boolean holds(String source) {
        return held().containsKey(source);
    }

    /** Counts the sources held over all holdings, once, before a block first changes one of them. */
    HashMap<String, Integer> held() {
        if (held == null) {
            held = new HashMap<>();
            for (Holding h : holdings.values()) {
                for (String s : h.sources()) {
                    held.merge(s, 1, Integer::sum);
                }
            }
        }
        return held;
    }

    /** Brings the counts of held sources up to date with the holdings the current block changed. */
    void countChanges() {
        HashMap<String, Integer> counts = held();
        for (Asset x : changedAssets) {
            Holding h = holdings.get(x);
            String[] before = h.before;
            String[] after = h.sources();
            for (String s : before) {
                if (Arrays.binarySearch(after, s) < 0) {
                    counts.compute(s, (k, n) -> n == 1 ? null : n - 1);
                }
            }
            for (String s : after) {
                if (Arrays.binarySearch(before, s) < 0) {
                    counts.merge(s, 1, Integer::sum);
                }
            }
            h.before = after;
        }
    }

    /** Lowers the source's minimum hop to {@code hop} (the header changes only if it is lower). */
    void mergeHop(String source, int hop) {
        Integer current = hops.get(source);
        if (current == null || hop < current) {
            hops.put(source, hop);
            headerChanged = true;
        }
    }

    /** Keeps {@code p} if it ranks among the top {@code k} for the source (the header changes only then). */
    void addProvenance(String source, Provenance p, int k) {
        List<Provenance> list = provenance.computeIfAbsent(source, s -> new ArrayList<>(k));
        int i = 0;
        // strictly greater: an earlier flow keeps its rank on ties (deterministic)
        while (i < list.size() && list.get(i).tainted().compareTo(p.tainted()) >= 0) {
            i++;
        }
        if (i >= k) {
            return;
        }
        list.add(i, p);
        if (list.size() > k) {
            list.remove(list.size() - 1);
        }
        headerChanged = true;
    }

    Provenance bestProvenance(String source) {
        List<Provenance> list = provenance.get(source);
        return list == null || list.isEmpty() ? null : list.get(0);
    }
}
