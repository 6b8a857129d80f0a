package io.taintwatch.alerts;

import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.alerts.rules.AlertAggregator;
import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The alert service's Kafka Streams topology, built apart from running it:
 * <pre>
 * taint-flows.&lt;chain&gt; --alerts-flow-rules--+
 * blocks.&lt;chain&gt; (optional) --alerts-block-rules--+--> repartition by group key (alerts-candidates)
 *     --> alerts-aggregate [store alerts-state, changelogged] --> alerts (key alert id, JSON)
 * taint-flows.&lt;chain&gt; --alerts-tracked-writer--> alerts.tracked (compacted; read back as a global store)
 * watchlist, labels, tokens, alerts.tracked --> global in-memory stores, keys normalised to lower-case addresses
 * </pre>
 * Every processor and store has a stable name (names leak into changelog and repartition topics).
 */
public final class AlertsTopology {
    public static final String WATCHLIST_STORE = "alerts-watchlist";
    public static final String LABELS_STORE = "alerts-labels";
    public static final String TOKENS_STORE = "alerts-tokens";
    public static final String TRACKED_STORE = "alerts-tracked";
    public static final String STATE_STORE = "alerts-state";
    public static final String CANDIDATES = "alerts-candidates";

    private static final Logger log = LoggerFactory.getLogger(AlertsTopology.class);

    private AlertsTopology() {}

    /**
     * @param flowSerde  serde of {@code taint-flows.<chain>} values (the project's FlowCodec)
     * @param blockSerde serde of {@code blocks.<chain>} values, used only when {@code config.readBlocks()}
     */
    public static Topology build(AlertsConfig config, Serde<TaintFlow> flowSerde, Serde<Block> blockSerde, AlertMetrics metrics) {
        AlertsTopics topics = config.topics();
        Map<String, ChainSettings> chains = config.chains().stream().collect(Collectors.toMap(ChainSettings::name, c -> c));
        StreamsBuilder b = new StreamsBuilder();
        Serde<Alert> alertSerde = AlertSerdes.alert();

        addGlobal(b, WATCHLIST_STORE, topics.watchlist(), AlertSerdes.seed(), AlertsTopology::addressKey);
        addGlobal(b, LABELS_STORE, topics.labels(), AlertSerdes.entity(), AlertsTopology::addressKey);
        addGlobal(b, TOKENS_STORE, topics.tokens(), AlertSerdes.token(), AlertsTopology::tokenKey);
        if (config.readBlocks()) {
            addGlobal(b, TRACKED_STORE, topics.tracked(), AlertSerdes.sourceSet(), AlertsTopology::addressKey);
        }
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), alertSerde));

        List<String> flowTopics = config.chains().stream().map(c -> c.chainId().flowsTopic()).toList();
        KStream<String, TaintFlow> flows = b.stream(flowTopics, Consumed.with(Serdes.String(), flowSerde).withName("alerts-flows-source"));
        RulesConfig rules = config.rules();
        boolean withTracked = config.readBlocks();
        KStream<String, Alert> candidates = flows.process(
            () -> new RulesProcessor<TaintFlow>(rules, chains, withTracked, RuleEngine::onFlow, TaintFlow::chain, false), Named.as("alerts-flow-rules"));
        if (config.readBlocks()) {
            List<String> blockTopics = config.chains().stream().map(c -> c.chainId().blocksTopic()).toList();
            KStream<String, Block> blocks = b.stream(blockTopics, Consumed.with(Serdes.String(), blockSerde).withName("alerts-blocks-source"));
            candidates = candidates.merge(blocks.process(
                () -> new RulesProcessor<Block>(rules, chains, true, RuleEngine::onBlock, Block::chain, true), Named.as("alerts-block-rules")),
                Named.as("alerts-candidates-merge"));
            flows.process(TrackedWriter::new, Named.as("alerts-tracked-writer"))
                .to(topics.tracked(), Produced.with(Serdes.String(), AlertSerdes.sourceSet()).withName("alerts-tracked-sink"));
        }
        candidates.repartition(Repartitioned.with(Serdes.String(), alertSerde).withName(CANDIDATES))
            .process(() -> new AggregateProcessor(rules.quietBlocks(), metrics), Named.as("alerts-aggregate"), STATE_STORE)
            .to(topics.alerts(), Produced.with(Serdes.String(), alertSerde).withName("alerts-sink"));
        return b.build();
    }

    /**
     * Topic keys may be checksummed, lower or upper case, or Tron's {@code T...}: the store key is the address in the form
     * of its kind of chain (lower-case {@code 0x...} or {@code T...}), so that a seed of one key on Ethereum and on Tron
     * stays two entries and each chain's rules look up their own.
     */
    static String addressKey(String key) {
        return ChainKind.ofText(key).format(Address.parse(key));
    }

    /** Token keys are a contract address, optionally prefixed with a chain name ({@code ethereum:0x..}), or {@code <chain>:native}. */
    static String tokenKey(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) {
            return Address.parse(key).toString();
        }
        String rest = key.substring(colon + 1);
        return key.substring(0, colon) + ":" + ("native".equals(rest) ? rest : Address.parse(rest).toString());
    }

    private static <V> void addGlobal(StreamsBuilder b, String store, String topic, Serde<V> serde, Function<String, String> normalise) {
        // values are decoded in the loader, so one bad record is skipped with a warning instead of stopping the global thread
        b.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(), serde).withLoggingDisabled(),
            topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(store + "-source"),
            () -> new GlobalLoader<>(store, normalise, serde.deserializer()));
    }

    /** Loads a compacted input topic into a global store under normalised keys; a bad key or value is skipped and logged. */
    private static final class GlobalLoader<V> implements Processor<String, byte[], Void, Void> {
        private final String storeName;
        private final Function<String, String> normalise;
        private final org.apache.kafka.common.serialization.Deserializer<V> values;
        private KeyValueStore<String, V> store;
        private ProcessorContext<Void, Void> context;

        GlobalLoader(String storeName, Function<String, String> normalise, org.apache.kafka.common.serialization.Deserializer<V> values) {
            this.storeName = storeName;
            this.normalise = normalise;
            this.values = values;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> r) {
            if (r.key() == null) {
                log.warn("{}: record without key skipped", storeName);
                return;
            }
            String key;
            try {
                key = normalise.apply(r.key());
            } catch (IllegalArgumentException e) {
                log.warn("{}: record with bad key skipped: {}", storeName, e.getMessage());
                return;
            }
            if (r.value() == null) {
                store.delete(key);
                return;
            }
            String where = context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).orElse(storeName);
            try {
                store.put(key, values.deserialize(where, r.value()));
            } catch (RuntimeException e) {
                log.warn("{}: bad value at {} (key {}) skipped: {}", storeName, where, key, e.getMessage());
            }
        }
    }

    /** Evaluates the rules on each input record; forwards candidates keyed by group key. */
    private static final class RulesProcessor<T> implements Processor<String, T, String, Alert> {
        private final RulesConfig rules;
        private final Map<String, ChainSettings> chains;
        private final boolean withTracked;
        private final java.util.function.BiFunction<RuleEngine, T, List<Candidate>> evaluate;
        private final java.util.function.Function<T, ChainId> chainOf;
        private final boolean stampIngestTime;
        private ProcessorContext<String, Alert> context;
        /** One per kind of chain: each looks up the watchlist and labels of its own kind. */
        private final Map<ChainKind, RuleEngine> engines = new java.util.EnumMap<>(ChainKind.class);

        /** @param stampIngestTime the input record's timestamp is the ingest's publish time (blocks): carry it in a header */
        RulesProcessor(RulesConfig rules, Map<String, ChainSettings> chains, boolean withTracked,
                       java.util.function.BiFunction<RuleEngine, T, List<Candidate>> evaluate, java.util.function.Function<T, ChainId> chainOf,
                       boolean stampIngestTime) {
            this.rules = rules;
            this.chains = chains;
            this.withTracked = withTracked;
            this.evaluate = evaluate;
            this.chainOf = chainOf;
            this.stampIngestTime = stampIngestTime;
        }

        @Override
        public void init(ProcessorContext<String, Alert> context) {
            this.context = context;
            for (ChainKind k : ChainKind.values()) {
                engines.put(k, new RuleEngine(rules, new StoreLookups(store(context, WATCHLIST_STORE), store(context, LABELS_STORE),
                    store(context, TOKENS_STORE), withTracked ? store(context, TRACKED_STORE) : null, chains, k)));
            }
        }

        @Override
        public void process(Record<String, T> r) {
            if (r.value() == null) {
                return;
            }
            List<Candidate> candidates = evaluate.apply(engines.get(chainOf.apply(r.value()).kind()), r.value());
            if (candidates.isEmpty()) {
                return;
            }
            Headers headers = new RecordHeaders(r.headers().toArray());
            if (stampIngestTime && headers.lastHeader(AlertMetrics.INGEST_TIMESTAMP_HEADER) == null) {
                headers.add(AlertMetrics.INGEST_TIMESTAMP_HEADER, Long.toString(r.timestamp()).getBytes(StandardCharsets.US_ASCII));
            }
            for (Candidate c : candidates) {
                context.forward(r.withKey(c.groupKey()).withValue(c.alert()).withHeaders(headers));
            }
        }
    }

    private static <V> KeyValueStore<String, V> store(ProcessorContext<?, ?> ctx, String name) {
        return ctx.getStateStore(name);
    }

    /** Writes the sources a newly tracked address holds taint of, when the global store does not know them yet. */
    private static final class TrackedWriter implements Processor<String, TaintFlow, String, Set<String>> {
        private ProcessorContext<String, Set<String>> context;
        private KeyValueStore<String, Set<String>> tracked;

        @Override
        public void init(ProcessorContext<String, Set<String>> context) {
            this.context = context;
            tracked = context.getStateStore(TRACKED_STORE);
        }

        @Override
        public void process(Record<String, TaintFlow> r) {
            TaintFlow f = r.value();
            if (f == null || f.kind() != FlowKind.TRACKED) {
                return;
            }
            String key = f.chain().format(f.to());
            Set<String> known = tracked.get(key);
            Set<String> all = new TreeSet<>(known == null ? Set.of() : known);
            for (SourceShare s : f.shares()) {
                all.add(s.sourceId());
            }
            if (known == null || !known.containsAll(all)) {
                context.forward(r.withKey(key).withValue(Set.copyOf(all)));
            }
        }
    }

    /** The ingest publish time carried in the header, or 0 when the record has none (or a malformed one). */
    static long ingestTimestamp(Headers headers) {
        Header h = headers.lastHeader(AlertMetrics.INGEST_TIMESTAMP_HEADER);
        if (h == null || h.value() == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Folds candidates into the stored alert of their group and emits each new version keyed by alert id. */
    private static final class AggregateProcessor implements Processor<String, Alert, String, Alert> {
        private final AlertAggregator aggregator;
        private final AlertMetrics metrics;
        private ProcessorContext<String, Alert> context;
        private KeyValueStore<String, Alert> state;

        AggregateProcessor(long quietBlocks, AlertMetrics metrics) {
            this.aggregator = new AlertAggregator(quietBlocks);
            this.metrics = metrics;
        }

        @Override
        public void init(ProcessorContext<String, Alert> context) {
            this.context = context;
            state = context.getStateStore(STATE_STORE);
        }

        @Override
        public void process(Record<String, Alert> r) {
            if (r.key() == null || r.value() == null) {
                return;
            }
            Alert next = aggregator.merge(state.get(r.key()), r.value());
            if (next == null) {
                log.debug("leg {} already counted in alert group {}", r.value().legId(), r.key());
                return;
            }
            state.put(r.key(), next);
            context.forward(r.withKey(next.id()).withValue(next));
            if (metrics != null) {
                metrics.emitted(next, ingestTimestamp(r.headers()), System.currentTimeMillis());
            }
        }
    }
}
