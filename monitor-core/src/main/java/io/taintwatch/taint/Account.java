package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import java.util.ArrayList;
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

    boolean isClean() {
        for (Holding h : holdings.values()) {
            if (!h.isClean()) {
                return false;
            }
        }
        return true;
    }

    void addProvenance(String source, Provenance p, int k) {
        List<Provenance> list = provenance.computeIfAbsent(source, s -> new ArrayList<>(k));
        int i = 0;
        // strictly greater: an earlier flow keeps its rank on ties (deterministic)
        while (i < list.size() && list.get(i).tainted().compareTo(p.tainted()) >= 0) {
            i++;
        }
        if (i < k) {
            list.add(i, p);
            if (list.size() > k) {
                list.remove(list.size() - 1);
            }
        }
    }

    Provenance bestProvenance(String source) {
        List<Provenance> list = provenance.get(source);
        return list == null || list.isEmpty() ? null : list.get(0);
    }
}
