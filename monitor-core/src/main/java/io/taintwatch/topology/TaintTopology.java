package io.taintwatch.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.taintwatch.encoding.DecodeException;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.model.ChainId;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The taint topology of one chain: {@code blocks.<chain>}, {@code watchlist}, {@code labels} and the token topics
 * ({@code token-registry}, {@code tokens}) feed one processor in one task (all single-partition), which owns the engine;
 * flows go to {@code taint-flows.<chain>}.
 * Building is pure; running is the caller's job. Every node and store has a stable name (they name
 * changelog topics).
 */
public final class TaintTopology {
    public static final String BLOCKS_SOURCE = "blocks-source";
    public static final String WATCHLIST_SOURCE = "watchlist-source";
    public static final String LABELS_SOURCE = "labels-source";
    public static final String TOKEN_REGISTRY_SOURCE = "token-registry-source";
    public static final String OBSERVED_TOKENS_SOURCE = "tokens-source";
    public static final String ENGINE = "taint-engine";
    public static final String FLOWS_SINK = "flows-sink";
    public static final String ACCOUNTS_STORE = "taint-accounts";
    public static final String SEEDS_STORE = "taint-seeds";
    public static final String LABELS_STORE = "taint-labels";
    public static final String META_STORE = "taint-meta";
    public static final String TOKENS_STORE = "taint-tokens";

    private TaintTopology() {}

    public static Topology build(TaintTopologyConfig config, MeterRegistry registry) {
        Topology t = new Topology();
        SectionTimes times = new SectionTimes(config.sectionTimes());
        // a block's key (the chain id) is only checked: the record is the block
        t.addSource(BLOCKS_SOURCE, TaintSerdes.blockKeys(topic -> config.chain()), blocksOf(config.chain(), times), config.blocksTopic());
        t.addSource(WATCHLIST_SOURCE, new StringDeserializer(), TaintSerdes.seeds().deserializer(), config.watchlistTopic());
        t.addSource(LABELS_SOURCE, new StringDeserializer(), TaintSerdes.entities().deserializer(), config.labelsTopic());
        List<String> sources = new ArrayList<>(List.of(BLOCKS_SOURCE, WATCHLIST_SOURCE, LABELS_SOURCE));
        if (config.tokensTopic() != null) {
            t.addSource(TOKEN_REGISTRY_SOURCE, new StringDeserializer(), declaredTokens(), config.tokensTopic());
            sources.add(TOKEN_REGISTRY_SOURCE);
        }
        if (config.observedTokensTopic() != null) {
            t.addSource(OBSERVED_TOKENS_SOURCE, new StringDeserializer(), observedTokens(), config.observedTokensTopic());
            sources.add(OBSERVED_TOKENS_SOURCE);
        }
        t.addProcessor(ENGINE, () -> new TaintProcessor(config, registry, times), sources.toArray(String[]::new));
        List<String> stores = new ArrayList<>(List.of(ACCOUNTS_STORE, SEEDS_STORE, LABELS_STORE));
        if (config.readsTokens()) {
            stores.add(TOKENS_STORE);
        }
        for (String store : stores) {
            // not cached: the record cache over these many keys grew a soak's heap after GC by 3.6 MiB/min (flat without)
            var b = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.Bytes(), Serdes.ByteArray());
            if (store.equals(ACCOUNTS_STORE) && Boolean.getBoolean("tw.cacheAccounts")) { b = b.withCachingEnabled(); }
            t.addStateStore(b, ENGINE);
        }
        // cached: the position (rewritten after every block) and the ledgers are a handful of keys, so between two
        // commits they reach RocksDB and the changelog once; the cache is flushed before each commit
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(META_STORE), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingEnabled(), ENGINE);
        t.addSink(FLOWS_SINK, config.flowsTopic(), new StringSerializer(), TaintSerdes.flows().serializer(), ENGINE);
        return t;
    }

    /** {@code token-registry} values: a declared {@link Token}; a bad one fails here and goes to the dead-letter topic. */
    static Deserializer<Token> declaredTokens() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return TokenJson.parse(bytes);
            } catch (IllegalArgumentException e) {
                throw new DecodeException("bad token in topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }

    /** {@code tokens} values (ingest's metadata): a {@link Token} for a contract, {@link TokenJson.NativeMetadata} for the native asset. */
    static Deserializer<Object> observedTokens() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                Token t = TokenJson.parseObserved(bytes);
                return t != null ? t : TokenJson.observedNative(bytes);
            } catch (IllegalArgumentException e) {
                throw new DecodeException("bad token metadata in topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }

    /**
     * Block values that must be of {@code chain}: a block of another chain on this topic is a misrouted record and,
     * failing to decode here, goes to the dead-letter topic like any undecodable record instead of stopping the engine.
     */
    static Deserializer<EncodedBlock> blocksOf(ChainId chain) {
        return blocksOf(chain, new SectionTimes(false));
    }

    private static Deserializer<EncodedBlock> blocksOf(ChainId chain, SectionTimes times) {
        Deserializer<EncodedBlock> blocks = TaintSerdes.encodedBlocks().deserializer();
        return (topic, bytes) -> {
            long t = times.start();
            EncodedBlock b = blocks.deserialize(topic, bytes);
            times.lap(SectionTimes.Section.DECODE, t);
            if (b != null && !b.chain().equals(chain)) {
                throw new DecodeException("block " + b.number() + " in topic " + topic + " is for chain " + b.chain().id() + " ("
                    + b.chain().name() + "), this topic is for chain " + chain.id() + " (" + chain.name() + ")");
            }
            return b;
        };
    }
}
