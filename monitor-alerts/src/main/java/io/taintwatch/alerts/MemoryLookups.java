package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The alert rules' {@link Lookups} over in-memory seeds, labels and tracked addresses (a replay's own, a retro-screening's). */
public final class MemoryLookups implements Lookups {
    private final Map<Address, Seed> seeds = new HashMap<>();
    private final Map<String, Seed> bySource = new TreeMap<>();
    private final Map<Address, Entity> labels = new HashMap<>();
    private final Map<Address, Set<String>> tracked = new HashMap<>();
    private final String nativeSymbol;
    private final int nativeDecimals;

    public MemoryLookups(Collection<Seed> seeds, Collection<Entity> labels, String nativeSymbol, int nativeDecimals) {
        for (Seed s : seeds) {
            this.seeds.put(s.address(), s);
            // the first address of a source (in input order) stands for it, as the live store's scan would
            this.bySource.putIfAbsent(s.sourceId(), s);
        }
        for (Entity e : labels) {
            this.labels.put(e.address(), e);
        }
        this.nativeSymbol = nativeSymbol;
        this.nativeDecimals = nativeDecimals;
    }

    public void track(Address a, Collection<String> sources) {
        tracked.computeIfAbsent(a, k -> new TreeSet<>()).addAll(sources);
    }

    @Override
    public Seed seed(Address a) {
        return seeds.get(a);
    }

    @Override
    public Seed seedOfSource(String sourceId) {
        return bySource.get(sourceId);
    }

    @Override
    public Entity entity(Address a) {
        return labels.get(a);
    }

    @Override
    public Set<String> trackedSources(Address a) {
        Set<String> s = tracked.get(a);
        return s == null ? Set.of() : s;
    }

    @Override
    public TokenAmount amount(ChainId chain, Asset asset, BigInteger raw) {
        if (asset.isNative()) {
            return new TokenAmount(raw, nativeDecimals, nativeSymbol, true);
        }
        // a replay has no token metadata topic: amounts stay in base units and say so
        return new TokenAmount(raw, 0, "", false);
    }
}
