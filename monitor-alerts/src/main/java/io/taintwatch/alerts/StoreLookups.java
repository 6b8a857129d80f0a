package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenRegistry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@link Lookups} over the global stores for the chains of one kind: the watchlist, labels and tracked addresses are keyed
 * by the address in its kind's form (lower-case {@code 0x...} or {@code T...}), tokens by contract or {@code chain:contract}.
 * Tokens are judged as the engine judges them (docs/tokens.md): per chain a {@link TokenRegistry} of the declared
 * tokens ({@code token-registry}), rebuilt when that store changes, classifies a contract with the metadata ingest read
 * ({@code tokens}); verdicts are cached per contract while neither changes.
 */
final class StoreLookups implements Lookups {
    private static final int MAX_CACHED_TOKENS = 10_000;
    /** The longest the rules wait once for a token's metadata (see {@link #awaitInfo}). */
    static final java.time.Duration METADATA_WAIT = java.time.Duration.ofSeconds(2);
    /** After a wait in vain (metadata that never comes: blocks from before ingest read it) no wait for this long. */
    static final java.time.Duration NO_WAIT_AFTER_MISS = java.time.Duration.ofMinutes(10);

    private final ReadOnlyKeyValueStore<String, Seed> watchlist;
    private final ReadOnlyKeyValueStore<String, Entity> labels;
    private final ReadOnlyKeyValueStore<String, TokenInfo> tokens;
    private final ReadOnlyKeyValueStore<String, Token> declared;
    private final LongSupplier declaredVersion;
    private final ReadOnlyKeyValueStore<String, Set<String>> tracked;
    private final Map<String, ChainSettings> chains;
    private final ChainKind kind;
    private final Map<String, Seed> bySource = new HashMap<>();
    private final Map<String, TokenRegistry> registries = new HashMap<>();
    private long registriesVersion = -1;
    /** The contracts whose metadata was waited for: the latest ones, as many as verdicts are cached. */
    private long missedAt = System.nanoTime() - NO_WAIT_AFTER_MISS.toNanos() - 1;
    private final Set<String> waitedFor = java.util.Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > MAX_CACHED_TOKENS;
        }
    });
    private final Map<String, Judged> judged = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Judged> e) {
            return size() > MAX_CACHED_TOKENS;
        }
    };

    /** A verdict and the metadata it was made from. */
    private record Judged(TokenInfo info, Token token) {
    }

    /**
     * @param declared        the {@code token-registry} store (null: no declared tokens)
     * @param declaredVersion changes whenever the declared store does
     */
    StoreLookups(ReadOnlyKeyValueStore<String, Seed> watchlist, ReadOnlyKeyValueStore<String, Entity> labels,
                 ReadOnlyKeyValueStore<String, TokenInfo> tokens, ReadOnlyKeyValueStore<String, Token> declared, LongSupplier declaredVersion,
                 ReadOnlyKeyValueStore<String, Set<String>> tracked, Map<String, ChainSettings> chains, ChainKind kind) {
        this.watchlist = watchlist;
        this.labels = labels;
        this.tokens = tokens;
        this.declared = declared;
        this.declaredVersion = declaredVersion;
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
                return new TokenAmount(raw, c.nativeDecimals(), c.nativeSymbol(), true, TokenStatus.VERIFIED);
            }
            TokenInfo t = tokens.get(chain.name() + ":native");
            return t == null || t.decimals() == null ? new TokenAmount(raw, 0, t == null ? "" : t.symbol(), false, TokenStatus.VERIFIED)
                : new TokenAmount(raw, t.decimals(), t.symbol(), true, TokenStatus.VERIFIED);
        }
        if (asset.isTrc10()) {
            return MemoryLookups.trc10Amount(raw);
        }
        return MemoryLookups.amountOf(token(chain, asset.contract()), asset, raw);
    }

    @Override
    public Token token(ChainId chain, Address contract) {
        String key = chain.name() + ":" + contract;
        TokenInfo info = info(chain, contract);
        if (info == null && System.nanoTime() - missedAt > NO_WAIT_AFTER_MISS.toNanos() && tokens.get(chain.name() + ":native") != null
            && waitedFor.add(key)) {
            info = awaitInfo(chain, contract);
        }
        TokenRegistry r = registry(chain);
        Judged j = judged.get(key);
        if (j != null && Objects.equals(j.info(), info)) {
            return j.token();
        }
        Token observed = info == null ? null : Token.observed(r.chain(), contract, info.symbol(), info.name(), info.decimals(), "ingest");
        Token t = r.classify(contract, observed);
        judged.put(key, new Judged(info, t));
        return t;
    }

    private TokenInfo info(ChainId chain, Address contract) {
        TokenInfo info = tokens.get(chain.name() + ":" + contract);
        return info != null ? info : tokens.get(contract.toString());
    }

    /**
     * Ingest publishes a token's metadata in the same transaction as the block that first moves it (and the chain's
     * {@code <chain>:native} record with every batch, which is how a chain whose ingest reads metadata is known), but the
     * global store is filled by its own thread: a block can reach the rules before the metadata reaches the store. Once
     * per contract the rules wait for it, at most {@link #METADATA_WAIT}, so that a counterfeit token's first transfers
     * are judged as later ones are (and as a replay judges them). A wait in vain (blocks from before ingest read metadata)
     * stops the waits for {@link #NO_WAIT_AFTER_MISS}, so that a backlog of such blocks costs one wait, not one per token.
     */
    private TokenInfo awaitInfo(ChainId chain, Address contract) {
        long until = System.nanoTime() + METADATA_WAIT.toNanos();
        TokenInfo info = null;
        while (info == null && System.nanoTime() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            info = info(chain, contract);
        }
        if (info == null) {
            missedAt = System.nanoTime();
        }
        return info;
    }

    @Override
    public NativeAsset nativeAsset(ChainId chain) {
        return registry(chain).nativeAsset();
    }

    /** The chain's registry of declared tokens, rebuilt (and the verdicts forgotten) when the declared store changed. */
    private TokenRegistry registry(ChainId chain) {
        long v = declaredVersion.getAsLong();
        if (v != registriesVersion) {
            registries.clear();
            judged.clear();
            registriesVersion = v;
        }
        return registries.computeIfAbsent(chain.name(), n -> {
            ChainSettings c = chains.get(n);
            ChainId id = c != null ? c.chainId() : chain;
            TokenRegistry r = new TokenRegistry(id, c != null ? c.nativeAsset() : NativeAsset.defaultFor(chain));
            if (declared != null) {
                try (KeyValueIterator<String, Token> it = declared.all()) {
                    while (it.hasNext()) {
                        Token t = it.next().value;
                        if (t != null && t.chain().equals(id)) {
                            r.declare(t);
                        }
                    }
                }
            }
            return r;
        });
    }
}
