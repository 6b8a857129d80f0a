package io.taintwatch.alerts.exposure;

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
 * chain's native asset; tokens stay in base units (no token metadata here), as in a replay.
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

    /**
     * The token registry's view of a contract, as a registry holding only the chain's native asset judges it: an unknown
     * contract is unverified.
     */
    @Override
    public Token token(ChainId chain, Address contract) {
        return new TokenRegistry(chain, queries.state().nativeAsset()).token(contract);
    }

    /** The chain's native asset and its wrapped forms. */
    @Override
    public NativeAsset nativeAsset(ChainId chain) {
        return queries.state().nativeAsset();
    }

    @Override
    public TokenAmount amount(ChainId chain, Asset asset, BigInteger raw) {
        if (asset.isNative()) {
            return new TokenAmount(raw, queries.state().nativeAsset().decimals(), queries.state().nativeAsset().symbol(), true);
        }
        return new TokenAmount(raw, 0, "", false);
    }
}
