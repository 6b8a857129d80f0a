package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenRegistry;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The alert rules' {@link Lookups} over in-memory seeds, labels and tracked addresses (a replay's own, a retro-screening's),
 * and the token registry of the engine they run beside (its native asset, the export's tokens, declared lists).
 */
public final class MemoryLookups implements Lookups {
    private final Map<Address, Seed> seeds = new HashMap<>();
    private final Map<String, Seed> bySource = new TreeMap<>();
    private final Map<Address, Entity> labels = new HashMap<>();
    private final Map<Address, Set<String>> tracked = new HashMap<>();
    private final TokenRegistry tokens;

    public MemoryLookups(Collection<Seed> seeds, Collection<Entity> labels, TokenRegistry tokens) {
        for (Seed s : seeds) {
            this.seeds.put(s.address(), s);
            // the first address of a source (in input order) stands for it, as the live store's scan would
            this.bySource.putIfAbsent(s.sourceId(), s);
        }
        for (Entity e : labels) {
            this.labels.put(e.address(), e);
        }
        this.tokens = tokens;
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
        return amount(tokens, asset, raw);
    }

    /** An amount as a registry knows its asset: the native asset, or a token's symbol, decimals and status. */
    public static TokenAmount amount(TokenRegistry tokens, Asset asset, BigInteger raw) {
        if (asset.isNative()) {
            NativeAsset n = tokens.nativeAsset();
            return new TokenAmount(raw, n.decimals(), n.symbol(), true, io.taintwatch.model.TokenStatus.VERIFIED);
        }
        if (asset.isTrc10()) {
            return trc10Amount(raw);
        }
        return amountOf(tokens.token(asset.contract()), asset, raw);
    }

    /** A TRC-10 amount: the registry and the tokens topic know tokens by contract, so it stays in base units and says so. */
    public static TokenAmount trc10Amount(BigInteger raw) {
        return new TokenAmount(raw, 0, "", false, io.taintwatch.model.TokenStatus.UNVERIFIED);
    }

    /** An amount of a token as the registry knows it; one id of an NFT or ERC-1155 collection counts in whole units. */
    public static TokenAmount amountOf(Token t, Asset asset, BigInteger raw) {
        if (asset.tokenId() != null) {
            return new TokenAmount(raw, 0, t.symbol(), !t.symbol().isEmpty(), t.status());
        }
        return t.decimals() == null ? new TokenAmount(raw, 0, t.symbol(), false, t.status())
            : new TokenAmount(raw, t.decimals(), t.symbol(), true, t.status());
    }

    @Override
    public Token token(ChainId chain, Address contract) {
        return tokens.token(contract);
    }

    @Override
    public NativeAsset nativeAsset(ChainId chain) {
        return tokens.nativeAsset();
    }
}
