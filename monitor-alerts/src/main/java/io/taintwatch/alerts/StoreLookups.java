package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link Lookups} over the global stores for the chains of one kind: the watchlist, labels and tracked addresses are keyed
 * by the address in its kind's form (lower-case {@code 0x...} or {@code T...}), tokens by contract or {@code chain:contract}.
 */
final class StoreLookups implements Lookups {
    private final ReadOnlyKeyValueStore<String, Seed> watchlist;
    private final ReadOnlyKeyValueStore<String, Entity> labels;
    private final ReadOnlyKeyValueStore<String, TokenInfo> tokens;
    private final ReadOnlyKeyValueStore<String, Set<String>> tracked;
    private final Map<String, ChainSettings> chains;
    private final ChainKind kind;
    private final Map<String, Seed> bySource = new HashMap<>();

    StoreLookups(ReadOnlyKeyValueStore<String, Seed> watchlist, ReadOnlyKeyValueStore<String, Entity> labels,
                 ReadOnlyKeyValueStore<String, TokenInfo> tokens, ReadOnlyKeyValueStore<String, Set<String>> tracked,
                 Map<String, ChainSettings> chains, ChainKind kind) {
        this.watchlist = watchlist;
        this.labels = labels;
        this.tokens = tokens;
        this.tracked = tracked;
        this.chains = chains;
        this.kind = kind;
    }

    @Override
    public Seed seed(Address a) {
        return watchlist.get(kind.format(a));
    }

    @Override
    public Seed seedOfSource(String sourceId) {
        Seed cached = bySource.get(sourceId);
        if (cached != null) {
            Seed now = watchlist.get(cached.key());
            if (now != null && now.sourceId().equals(sourceId)) {
                return now;
            }
            bySource.remove(sourceId);
        }
        // rare: a flow without a path names a source; the global store is scanned once, then cached
        try (KeyValueIterator<String, Seed> it = watchlist.all()) {
            while (it.hasNext()) {
                KeyValue<String, Seed> kv = it.next();
                if (kv.value != null && kv.value.kind() == kind && kv.value.sourceId().equals(sourceId)) {
                    bySource.put(sourceId, kv.value);
                    return kv.value;
                }
            }
        }
        return null;
    }

    @Override
    public Entity entity(Address a) {
        return labels.get(kind.format(a));
    }

    @Override
    public Set<String> trackedSources(Address a) {
        if (tracked == null) {
            return Set.of();
        }
        Set<String> s = tracked.get(kind.format(a));
        return s == null ? Set.of() : s;
    }

    @Override
    public TokenAmount amount(ChainId chain, Asset asset, BigInteger raw) {
        if (asset.isNative()) {
            ChainSettings c = chains.get(chain.name());
            if (c != null) {
                return new TokenAmount(raw, c.nativeDecimals(), c.nativeSymbol(), true);
            }
            return fromToken(tokens.get(chain.name() + ":native"), raw, false);
        }
        TokenInfo t = tokens.get(chain.name() + ":" + asset.contract());
        if (t == null) {
            t = tokens.get(asset.contract().toString());
        }
        // one id of an NFT or ERC-1155 collection is counted in whole units whatever the collection says
        return fromToken(t, raw, asset.tokenId() != null);
    }

    private static TokenAmount fromToken(TokenInfo t, BigInteger raw, boolean wholeUnits) {
        if (t == null) {
            return new TokenAmount(raw, 0, "", false);
        }
        if (wholeUnits) {
            return new TokenAmount(raw, 0, t.symbol(), true);
        }
        return t.decimals() == null ? new TokenAmount(raw, 0, t.symbol(), false) : new TokenAmount(raw, t.decimals(), t.symbol(), true);
    }
}
