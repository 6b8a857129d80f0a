package io.taintwatch.alerts.exposure;

import io.taintwatch.alerts.MemoryLookups;
import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.encoding.Json;
import io.taintwatch.exposure.ExposureQueries;
import io.taintwatch.exposure.Exposure;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.taint.Account;
import io.taintwatch.taint.KeyValues;
import io.taintwatch.taint.StateCodec;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenRegistry;
import java.math.BigInteger;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the alert rules look up, read from the taint engine's stores of one chain instead of the alert service's global
 * tables: the same watchlist and labels, and the tracked sources as the engine holds them. Amounts are named in the
 * chain's native asset; tokens in their symbols and decimals with the engine's verdict on them, from its token store.
 */
final class StateLookups implements Lookups {
    private final ExposureQueries queries;

    StateLookups(ExposureQueries queries) {
        this.queries = queries;
    }

    @Override
    public Seed seed(Address a) {
        byte[] r = queries.state().seeds().get(a.toBytes());
        return r == null ? null : StateCodec.decodeSeed(r).seed();
    }

    @Override
    public Seed seedOfSource(String sourceId) {
        Exposure.Source s = queries.sourceIndex().get(sourceId);
        return s == null || s.addresses().isEmpty() ? null : seed(s.addresses().getFirst());
    }

    @Override
    public Entity entity(Address a) {
        byte[] r = queries.state().labels().get(a.toBytes());
        return r == null ? null : Json.parseEntity(r);
    }

    @Override
    public Set<String> trackedSources(Address a) {
        Account account;
        try (KeyValues.Scan records = queries.state().accounts().scan(StateCodec.accountKey(a))) {
            account = StateCodec.readAccount(records);
        }
        Set<String> out = new TreeSet<>();
        if (account != null) {
            account.holdings().values().forEach(h -> h.taint().forEach((s, v) -> {
                if (v.signum() > 0) {
                    out.add(s);
                }
            }));
        }
        return out;
    }

    /** The engine's verdict on a contract, from its token store ({@link ExposureQueries#token}). */
    @Override
    public Token token(ChainId chain, Address contract) {
        return queries.token(contract);
    }

    /** The chain's native asset and its wrapped forms, as the engine knows them. */
    @Override
    public NativeAsset nativeAsset(ChainId chain) {
        TokenRegistry r = queries.tokens();
        synchronized (r) {
            return r.nativeAsset();
        }
    }

    @Override
    public TokenAmount amount(ChainId chain, Asset asset, BigInteger raw) {
        if (asset.isNative()) {
            NativeAsset n = nativeAsset(chain);
            return new TokenAmount(raw, n.decimals(), n.symbol(), true);
        }
        if (asset.isTrc10()) {
            return MemoryLookups.trc10Amount(raw);
        }
        return MemoryLookups.amountOf(token(chain, asset.contract()), asset, raw);
    }
}
