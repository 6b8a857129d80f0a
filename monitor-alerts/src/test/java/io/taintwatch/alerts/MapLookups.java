package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@link Lookups} over plain maps, for rule tests. Native is ETH with 18 decimals; {@code statuses} are the registry's verdicts. */
public final class MapLookups implements Lookups {
    public final Map<Address, Seed> seeds = new HashMap<>();
    public final Map<Address, Entity> labels = new HashMap<>();
    public final Map<Asset, TokenInfo> tokens = new HashMap<>();
    public final Map<Address, Set<String>> tracked = new HashMap<>();
    public final Map<Asset, TokenStatus> statuses = new HashMap<>();

    public MapLookups seed(Seed s) {
        seeds.put(s.address(), s);
        return this;
    }

    public MapLookups label(Entity e) {
        labels.put(e.address(), e);
        return this;
    }

    @Override
    public Seed seed(Address a) {
        return seeds.get(a);
    }

    @Override
    public Seed seedOfSource(String sourceId) {
        return seeds.values().stream().filter(s -> s.sourceId().equals(sourceId)).findFirst().orElse(null);
    }

    @Override
    public Entity entity(Address a) {
        return labels.get(a);
    }

    @Override
    public Set<String> trackedSources(Address a) {
        return tracked.getOrDefault(a, Set.of());
    }

    @Override
    public TokenAmount amount(ChainId chain, Asset asset, BigInteger raw) {
        if (asset.isNative()) {
            return new TokenAmount(raw, 18, "ETH", true);
        }
        TokenInfo t = tokens.get(asset);
        TokenStatus s = statuses.get(asset);
        return t == null ? new TokenAmount(raw, 0, "", false, s) : new TokenAmount(raw, t.decimals(), t.symbol(), true, s);
    }

    @Override
    public Token token(ChainId chain, Address contract) {
        TokenInfo t = tokens.get(Asset.token(contract));
        TokenStatus s = statuses.getOrDefault(Asset.token(contract), TokenStatus.UNVERIFIED);
        return new Token(chain, contract, t == null ? "" : t.symbol(), t == null ? "" : t.name(), t == null ? null : t.decimals(), s,
            s == TokenStatus.COUNTERFEIT ? "declared counterfeit in the test" : "", "test");
    }

    @Override
    public NativeAsset nativeAsset(ChainId chain) {
        return NativeAsset.defaultFor(chain);
    }
}
