package io.taintwatch.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.taintwatch.encoding.DecodeException;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.exposure.EngineProgress;
import io.taintwatch.model.ChainId;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The taint application: one task per chain, so that several instances share the chains through Kafka Streams'
 * assignment, and one task for the reference data.
 * <pre>
 * watchlist, labels, token-registry, tokens --> taint-reference-fan-out [taint-reference, taint-reference-chains]
 *     --> per chain: &lt;chain&gt;-taint-reference (repartition topic, 1 partition)
 * blocks.&lt;chain&gt; + &lt;chain&gt;-taint-reference --> &lt;chain&gt;-taint-engine [&lt;chain&gt;-taint-accounts, -seeds, -labels, -meta,
 *     -tokens, -received] --> taint-flows.&lt;chain&gt;
 * </pre>
 * A chain is a total order: its blocks topic has one partition and its engine one task, which reads its blocks and the
 * reference data in one order ({@link TaintProcessor}). Kafka Streams reads a topic through one source only, so the
 * single-partition reference topics are read by one task ({@link ReferenceFanOut}) and handed to each chain's task
 * through a repartition topic of its own, each record with the topic it came from.
 *
 * <p>Building is pure; running is the caller's job. Every node and store has a stable name (they name changelog and
 * repartition topics): a chain's stores are {@code <chain>-<store>}, so under the application id {@code <id>} its
 * changelogs are {@code <id>-<chain>-taint-seeds-changelog} and so on.
 */
public final class TaintTopology {
    public static final String ACCOUNTS_STORE = "taint-accounts";
    public static final String SEEDS_STORE = "taint-seeds";
    public static final String LABELS_STORE = "taint-labels";
    public static final String META_STORE = "taint-meta";
    public static final String TOKENS_STORE = "taint-tokens";
    /** What each address has received of each source's taint, kept after it is untracked ({@link io.taintwatch.exposure.ReceivedTaint}). */
    public static final String RECEIVED_STORE = "taint-received";
    /** The fan-out's latest record per reference key. */
    public static final String REFERENCE_STORE = "taint-reference";
    /** The chains the fan-out has introduced, with the positions they are forwarded from. */
    public static final String REFERENCE_CHAINS_STORE = "taint-reference-chains";
    static final String FAN_OUT = "taint-reference-fan-out";
    /** The topic a reference record was read from, on its way to a chain's engine. */
    public static final String REFERENCE_TOPIC_HEADER = "taintwatch.reference.topic";

    private TaintTopology() {}

    /** One chain's topology (a replay's, a test's): the taint application with one chain. */
    public static Topology build(TaintTopologyConfig config, MeterRegistry registry) {
        return build(List.of(config), ReferencePositions.none(), registry);
    }

    /** The taint application of {@code chains}, for a process that does not query its stores. */
    public static Topology build(List<TaintTopologyConfig> chains, ReferencePositions positions, MeterRegistry registry) {
        return build(chains, positions, registry, new EngineProgress.Board());
    }

    /**
     * The taint application of {@code chains}, which read the same reference topics.
     *
     * @param positions where chains that ran as applications of their own left the reference topics
     * @param progress  where each chain's engine is in writing its stores, for the queries of this process
     */
    public static Topology build(List<TaintTopologyConfig> chains, ReferencePositions positions, MeterRegistry registry,
                                 EngineProgress.Board progress) {
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("the taint application needs at least one chain");
        }
        TaintTopologyConfig first = chains.get(0);
        Set<String> names = new HashSet<>();
        for (TaintTopologyConfig c : chains) {
            if (!names.add(c.chain().name())) {
                throw new IllegalArgumentException("chain " + c.chain().name() + " is configured twice");
            }
            if (!Objects.equals(c.watchlistTopic(), first.watchlistTopic()) || !Objects.equals(c.labelsTopic(), first.labelsTopic())
                || !Objects.equals(c.tokensTopic(), first.tokensTopic()) || !Objects.equals(c.observedTokensTopic(), first.observedTokensTopic())) {
                throw new IllegalArgumentException("chains " + first.chain().name() + " and " + c.chain().name()
                    + " read different reference topics: one taint application reads one set");
            }
        }
        StreamsBuilder b = new StreamsBuilder();
        b.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(REFERENCE_STORE), Serdes.String(),
            Serdes.ByteArray()));
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REFERENCE_CHAINS_STORE), Serdes.String(), Serdes.String()));
        KStream<String, ReferenceFanOut.Checked> reference = referenceSource(b, "watchlist-source", first.watchlistTopic(),
            TaintSerdes.seeds().deserializer())
            .merge(referenceSource(b, "labels-source", first.labelsTopic(), TaintSerdes.entities().deserializer()), Named.as("reference-merge-labels"));
        if (first.tokensTopic() != null) {
            reference = reference.merge(referenceSource(b, "token-registry-source", first.tokensTopic(), declaredTokens()),
                Named.as("reference-merge-token-registry"));
        }
        if (first.observedTokensTopic() != null) {
            reference = reference.merge(referenceSource(b, "tokens-source", first.observedTokensTopic(), observedTokens()),
                Named.as("reference-merge-tokens"));
        }
        List<String> chainNames = chains.stream().map(c -> c.chain().name()).toList();
        BranchedKStream<String, ReferenceFanOut.Routed> routed = reference.process(
            () -> new ReferenceFanOut(chainNames, positions, first.watchlistTopic(), first.labelsTopic()), Named.as(FAN_OUT),
            REFERENCE_STORE, REFERENCE_CHAINS_STORE).split(Named.as("reference-to-"));
        for (TaintTopologyConfig c : chains) {
            String chain = c.chain().name();
            routed.branch((k, v) -> v.chain().equals(chain), Branched.withConsumer(s -> engine(b, c, s, registry, progress.of(chain)), chain));
        }
        routed.noDefaultBranch();
        return b.build();
    }

    /** A chain's engine: its blocks and its share of the reference data into one processor owning the chain's stores. */
    private static void engine(StreamsBuilder b, TaintTopologyConfig config, KStream<String, ReferenceFanOut.Routed> routed,
                               MeterRegistry registry, EngineProgress progress) {
        String chain = config.chain().name();
        SectionTimes times = new SectionTimes(config.sectionTimes());
        Serializer<Object> bytes = (topic, v) -> (byte[]) v;
        KStream<String, Object> reference = routed.<Object>mapValues(ReferenceFanOut.Routed::bytes, Named.as(chain + "-taint-reference-bytes"))
            .repartition(Repartitioned.with(Serdes.String(), Serdes.serdeFrom(bytes, referenceValues(config)))
                .withName(chain + "-taint-reference").withNumberOfPartitions(1));
        // a block's key (the chain id) is only checked: the record is the block
        @SuppressWarnings("unchecked")
        KStream<String, Object> blocks = (KStream<String, Object>) (KStream<String, ?>) b.stream(config.blocksTopic(),
            Consumed.with(Serdes.serdeFrom(new StringSerializer(), TaintSerdes.blockKeys(topic -> config.chain())),
                Serdes.serdeFrom(TaintSerdes.encodedBlocks().serializer(), blocksOf(config.chain(), times))).withName(chain + "-blocks-source"));
        List<String> stores = new ArrayList<>(List.of(ACCOUNTS_STORE, SEEDS_STORE, LABELS_STORE, RECEIVED_STORE));
        if (config.readsTokens()) {
            stores.add(TOKENS_STORE);
        }
        for (String name : stores) {
            // not cached: the record cache over these many keys grew a soak's heap after GC by 3.6 MiB/min (flat without)
            b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(config.chain(), name)), Serdes.Bytes(),
                Serdes.ByteArray()));
        }
        // cached: the position (rewritten after every block) and the ledgers are a handful of keys, so between two
        // commits they reach RocksDB and the changelog once; the cache is flushed before each commit
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(config.chain(), META_STORE)), Serdes.Bytes(),
            Serdes.ByteArray()).withCachingEnabled());
        stores.add(META_STORE);
        blocks.merge(reference, Named.as(chain + "-taint-inputs"))
            .process(() -> new TaintProcessor(config, registry, times, progress), Named.as(chain + "-taint-engine"),
                stores.stream().map(s -> storeName(config.chain(), s)).toArray(String[]::new))
            .to(config.flowsTopic(), Produced.with(Serdes.String(), TaintSerdes.flows()).withName(chain + "-flows-sink"));
    }

    /** The repartition topic that brings a chain's engine its reference records, under the application id {@code applicationId}. */
    public static String referenceRepartitionTopic(String applicationId, ChainId chain) {
        return applicationId + "-" + chain.name() + "-taint-reference-repartition";
    }

    /** The name of one of a chain's engine stores ({@link #ACCOUNTS_STORE} and the others): {@code <chain>-<store>}. */
    public static String storeName(ChainId chain, String store) {
        return chain.name() + "-" + store;
    }

    /** A reference topic read for the fan-out: each record decoded and checked, an undecodable one dead-lettered here. */
    private static KStream<String, ReferenceFanOut.Checked> referenceSource(StreamsBuilder b, String name, String topic,
                                                                           Deserializer<?> values) {
        Deserializer<ReferenceFanOut.Checked> checked = (t, bytes) -> bytes == null ? null : new ReferenceFanOut.Checked(values.deserialize(t, bytes), bytes);
        return b.stream(topic, Consumed.with(Serdes.String(), Serdes.serdeFrom((t, v) -> v == null ? null : v.bytes(), checked)).withName(name));
    }

    /** A chain's reference records, decoded as the topic named in {@link #REFERENCE_TOPIC_HEADER} is (the fan-out checked them). */
    private static Deserializer<Object> referenceValues(TaintTopologyConfig config) {
        Map<String, Deserializer<?>> byTopic = new HashMap<>();
        byTopic.put(config.watchlistTopic(), TaintSerdes.seeds().deserializer());
        byTopic.put(config.labelsTopic(), TaintSerdes.entities().deserializer());
        if (config.tokensTopic() != null) {
            byTopic.put(config.tokensTopic(), declaredTokens());
        }
        if (config.observedTokensTopic() != null) {
            byTopic.put(config.observedTokensTopic(), observedTokens());
        }
        return new Deserializer<>() {
            @Override
            public Object deserialize(String topic, byte[] data) {
                throw new IllegalStateException("reference records are decoded by the topic in their header");
            }

            @Override
            public Object deserialize(String topic, Headers headers, byte[] data) {
                String origin = referenceTopic(headers);
                Deserializer<?> d = origin == null ? null : byTopic.get(origin);
                if (d == null) {
                    throw new DecodeException("record in " + topic + " without a known " + REFERENCE_TOPIC_HEADER + " header: " + origin);
                }
                return data == null ? null : d.deserialize(origin, data);
            }
        };
    }

    /** The reference topic named in a record's {@link #REFERENCE_TOPIC_HEADER}, or null. */
    static String referenceTopic(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(REFERENCE_TOPIC_HEADER);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
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
