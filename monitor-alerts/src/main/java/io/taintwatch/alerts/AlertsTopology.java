package io.taintwatch.alerts;

import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.alerts.rules.AlertAggregator;
import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.CounterpartyMemory;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainKind;
import io.taintwatch.encoding.AddressKeys;
import io.taintwatch.encoding.BadRecordException;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.topology.DeadLetterHandler;
import io.taintwatch.topology.DeadLetterWriter;
import io.taintwatch.topology.LiveCommits;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
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
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The alert service's Kafka Streams topology, built apart from running it:
 * <pre>
 * taint-flows.&lt;chain&gt; (one partition each) --alerts-flow-rules--> repartition by group key (alerts-candidates) --+
 * blocks.&lt;chain&gt; (optional, a task per chain) --alerts-block-rules-&lt;chain&gt; [store alerts-counterparties-&lt;chain&gt;,
 *     changelogged]--> repartition by group key (alerts-block-candidates-&lt;chain&gt;) ----------------------------+
 *     --> alerts-aggregate [store alerts-state, changelogged] --> alerts (key alert id, JSON)
 * taint-flows.&lt;chain&gt; --alerts-tracked-writer--> alerts.tracked (compacted; read back as a global store)
 * watchlist, labels, tokens, token-registry, alerts.tracked --> global in-memory stores, keys normalised to the address in
 *   its chains' form (lower-case 0x..., or T... on Tron; token contracts as lower-case hex)
 * </pre>
 * Every processor and store has a stable name (names leak into changelog and repartition topics).
 */
public final class AlertsTopology {
    public static final String WATCHLIST_STORE = "alerts-watchlist";
    public static final String LABELS_STORE = "alerts-labels";
    public static final String TOKENS_STORE = "alerts-tokens";
    public static final String TRACKED_STORE = "alerts-tracked";
    public static final String TOKEN_REGISTRY_STORE = "alerts-token-registry";
    public static final String STATE_STORE = "alerts-state";
    public static final String CANDIDATES = "alerts-candidates";

    private static final Logger log = LoggerFactory.getLogger(AlertsTopology.class);

    private AlertsTopology() {}

    /**
     * @param flowSerde  serde of {@code taint-flows.<chain>} values (the project's FlowCodec)
     * @param blockSerde serde of {@code blocks.<chain>} values, used only when {@code config.readBlocks()}
     */
    public static Topology build(AlertsConfig config, Serde<TaintFlow> flowSerde, Serde<Block> blockSerde, AlertMetrics metrics) {
        return build(config, flowSerde, blockSerde, metrics, DeadLetterWriter.kafka());
    }

    /** @param globalDeadLetters where the global stores' loaders write the dead letters Kafka Streams cannot send for them */
    public static Topology build(AlertsConfig config, Serde<TaintFlow> flowSerde, Serde<Block> blockSerde, AlertMetrics metrics,
                                 DeadLetterWriter globalDeadLetters) {
        AlertsTopics topics = config.topics();
        Map<String, ChainSettings> chains = config.chains().stream().collect(Collectors.toMap(ChainSettings::name, c -> c));
        StreamsBuilder b = new StreamsBuilder();
        Serde<Alert> alertSerde = AlertSerdes.alert();

        // keyed by the address in its chains' form: a seed of one key on Ethereum and on Tron stays two entries
        addGlobal(b, WATCHLIST_STORE, topics.watchlist(), globalDeadLetters, AlertSerdes.seed(),
            (k, s) -> addressStoreKey(k, s == null ? null : s.address(), s == null ? null : s.kind()));
        addGlobal(b, LABELS_STORE, topics.labels(), globalDeadLetters, AlertSerdes.entity(),
            (k, e) -> addressStoreKey(k, e == null ? null : e.address(), e == null ? null : e.kind()));
        addGlobal(b, TOKENS_STORE, topics.tokens(), globalDeadLetters, AlertSerdes.token(), (k, t) -> tokenKey(k));
        java.util.concurrent.atomic.AtomicLong declaredVersion = new java.util.concurrent.atomic.AtomicLong();
        addGlobal(b, TOKEN_REGISTRY_STORE, topics.tokenRegistry(), globalDeadLetters, declaredTokenSerde(), (k, t) -> declaredTokenKey(k, t),
            declaredVersion::incrementAndGet);
        if (config.readBlocks()) {
            addGlobal(b, TRACKED_STORE, topics.tracked(), globalDeadLetters, AlertSerdes.sourceSet(), (k, v) -> addressKey(k));
        }
        Map<String, ChainId> chainOfTopic = new java.util.HashMap<>();
        for (ChainSettings c : config.chains()) {
            chainOfTopic.put(c.chainId().flowsTopic(), c.chainId());
            chainOfTopic.put(c.chainId().blocksTopic(), c.chainId());
        }
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), alertSerde));

        List<String> flowTopics = config.chains().stream().map(c -> c.chainId().flowsTopic()).toList();
        KStream<String, TaintFlow> flows = b.stream(flowTopics, Consumed.with(Serdes.String(), flowSerde).withName("alerts-flows-source"));
        RulesConfig rules = config.rules();
        boolean withTracked = config.readBlocks();
        KStream<String, Alert> candidates = flows.process(
            () -> new RulesProcessor<TaintFlow>(rules, chains, withTracked, declaredVersion, null, RuleEngine::onFlow, TaintFlow::chain, (topic, key, f) -> {
                // keyed by recipient, on the topic of its chain: anything else was written by something that is not the engine
                AddressKeys.matching(key, f.to());
                sameChain(topic, chainOfTopic, f.chain(), "flow " + f.id());
            }, false, config.candidatePartitions()), Named.as("alerts-flow-rules"));
        // a chain's flows are one partition, read in chain order by one task: the candidates of one dedup group reach its
        // partition in that order, so an alert's versions do not depend on timing
        KStream<String, Alert> grouped = candidates.repartition(Repartitioned.with(Serdes.String(), alertSerde).withName(CANDIDATES)
            .withNumberOfPartitions(config.candidatePartitions()));
        if (config.readBlocks()) {
            // each chain's blocks in a task of their own (a blocks topic has one partition): the block rules read every leg,
            // and instances share them chain by chain; their candidates' group keys never meet the flows' (rule and
            // direction are part of them), so their own repartition topic changes no alert's order. Each chain's lookalike
            // memory is a store of its own: a store shared by the chains' processors would join them into one task.
            for (ChainSettings c : config.chains()) {
                KStream<String, Block> blocks = b.stream(c.chainId().blocksTopic(), Consumed.with(Serdes.serdeFrom(
                    new org.apache.kafka.common.serialization.StringSerializer(), TaintSerdes.blockKeys(chainOfTopic::get)), blockSerde)
                    .withName("alerts-blocks-source-" + c.name()));
                String memory = counterpartiesStore(c.name());
                b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(memory), Serdes.Bytes(), Serdes.ByteArray())
                    .withCachingDisabled());
                grouped = grouped.merge(blocks.process(
                        () -> new RulesProcessor<Block>(rules, chains, true, declaredVersion, memory, RuleEngine::onBlock, Block::chain,
                            (topic, key, block) -> sameChain(topic, chainOfTopic, block.chain(), "block " + block.number()), true,
                            config.candidatePartitions()),
                        Named.as("alerts-block-rules-" + c.name()), memory)
                    .repartition(Repartitioned.with(Serdes.String(), alertSerde).withName(blockCandidates(c.name()))
                        .withNumberOfPartitions(config.candidatePartitions())),
                    Named.as("alerts-candidates-merge-" + c.name()));
            }
            flows.process(TrackedWriter::new, Named.as("alerts-tracked-writer"))
                .to(topics.tracked(), Produced.with(Serdes.String(), AlertSerdes.sourceSet()).withName("alerts-tracked-sink"));
        }
        grouped.process(() -> new AggregateProcessor(rules.quietBlocks(), metrics), Named.as("alerts-aggregate"), STATE_STORE)
            .to(topics.alerts(), Produced.with(Serdes.String(), alertSerde).withName("alerts-sink"));
        return b.build();
    }

    /** A chain's lookalike memory of who paid whom ({@link CounterpartyMemory}), kept by its block rules. */
    public static String counterpartiesStore(String chain) {
        return "alerts-counterparties-" + chain;
    }

    /** The repartition of a chain's block-rule candidates by group key: {@code <application id>-<this>-repartition}. */
    public static String blockCandidates(String chain) {
        return "alerts-block-candidates-" + chain;
    }

    /**
     * Topic keys may be checksummed, lower or upper case, or Tron's {@code T...}: the store key is the address in the form
     * of its kind of chain (lower-case {@code 0x...} or {@code T...}), so that a seed of one key on Ethereum and on Tron
     * stays two entries and each chain's rules look up their own.
     */
    static String addressKey(String key) {
        return AddressKeys.storeKey(key);
    }

    /** The store key of a watchlist or labels record, whose key must name the value's address and kind (a tombstone has none). */
    private static String addressStoreKey(String key, Address valueAddress, ChainKind valueKind) {
        AddressKeys.matching(key, valueAddress, valueKind);
        return AddressKeys.storeKey(key);
    }

    /** Token keys are a contract address, optionally prefixed with a chain name ({@code ethereum:0x..}), or {@code <chain>:native}. */
    static String tokenKey(String key) {
        if (key == null) {
            throw new BadRecordException("record without a key (a token contract address is expected)");
        }
        int colon = key.indexOf(':');
        if (colon < 0) {
            return Address.parse(key).toString();
        }
        String rest = key.substring(colon + 1);
        return key.substring(0, colon) + ":" + ("native".equals(rest) ? rest : Address.parse(rest).toString());
    }

    /** {@code token-registry} values: a declared token (a bad one is dead-lettered by the loader). */
    private static Serde<Token> declaredTokenSerde() {
        return Serdes.serdeFrom((topic, t) -> t == null ? null : TokenJson.bytes(t), (topic, bytes) -> bytes == null ? null : TokenJson.parse(bytes));
    }

    /** A declared token's key is {@code <chain>:<address>} of the token it holds; a tombstone's key is checked alone. */
    static String declaredTokenKey(String key, Token t) {
        if (key == null || key.indexOf(':') < 0) {
            throw new BadRecordException("token-registry record with key '" + key + "': the key must be <chain>:<address>");
        }
        String normalised = key.substring(0, key.indexOf(':')) + ":" + addressKey(key.substring(key.indexOf(':') + 1));
        if (t != null && !normalised.equals(t.key())) {
            throw new BadRecordException("token-registry record with key '" + key + "' holds token " + t.key());
        }
        return normalised;
    }

    /** Whether a record's key and (decoded) value are valid together: the store key they go under, or an exception saying why not. */
    private interface StoreKey<V> {
        String of(String key, V value);
    }

    /** A block or flow of another chain on this chain's topic: refused before it reaches the rules. */
    private static void sameChain(String topic, Map<String, ChainId> chainOfTopic, ChainId chain, String what) {
        ChainId expected = chainOfTopic.get(topic);
        if (expected != null && !expected.equals(chain)) {
            throw new BadRecordException(what + " in topic " + topic + " is for chain " + chain.id() + " (" + chain.name() + "), this topic is for chain "
                + expected.id() + " (" + expected.name() + ")");
        }
    }

    private static <V> void addGlobal(StreamsBuilder b, String store, String topic, DeadLetterWriter deadLetters, Serde<V> serde, StoreKey<V> storeKey) {
        addGlobal(b, store, topic, deadLetters, serde, storeKey, () -> { });
    }

    /** @param changed told after each change of the store (the rules rebuild what they derive from it) */
    private static <V> void addGlobal(StreamsBuilder b, String store, String topic, DeadLetterWriter deadLetters, Serde<V> serde, StoreKey<V> storeKey,
                                      Runnable changed) {
        // raw bytes in: the loader decodes and checks, so a bad record is dead-lettered instead of stopping the global thread
        b.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), Serdes.String(), serde).withLoggingDisabled(),
            topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(store + "-source"),
            () -> new GlobalLoader<>(store, storeKey, serde.deserializer(), deadLetters, changed));
    }

    /**
     * Loads a compacted input topic into a global store under normalised keys. A record whose key or value is bad, or
     * whose key and value disagree, is written to {@code <topic>.dlq} (Kafka Streams cannot do it for a global store)
     * before the store moves on.
     */
    private static final class GlobalLoader<V> implements Processor<byte[], byte[], Void, Void> {
        private final String storeName;
        private final StoreKey<V> storeKey;
        private final org.apache.kafka.common.serialization.Deserializer<V> values;
        private final DeadLetterWriter deadLetters;
        private final Runnable changed;
        private KeyValueStore<String, V> store;
        private ProcessorContext<Void, Void> context;

        GlobalLoader(String storeName, StoreKey<V> storeKey, org.apache.kafka.common.serialization.Deserializer<V> values, DeadLetterWriter deadLetters,
                     Runnable changed) {
            this.storeName = storeName;
            this.storeKey = storeKey;
            this.values = values;
            this.deadLetters = deadLetters;
            this.changed = changed;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
            this.context = context;
            deadLetters.open(context.appConfigs());
        }

        @Override
        public void process(Record<byte[], byte[]> r) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(storeName);
            String rawKey = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            String key;
            V value;
            try {
                value = r.value() == null ? null : values.deserialize(topic, r.value());
                key = storeKey.of(rawKey, value);
            } catch (RuntimeException e) {
                RecordMetadata m = context.recordMetadata().orElseThrow();
                String reason = DeadLetterHandler.reason(e);
                log.warn("bad record {}/{}@{} of global store {} sent to {}: {}", m.topic(), m.partition(), m.offset(), storeName,
                    PipelineTopics.dlq(m.topic()), reason);
                deadLetters.send(DeadLetterHandler.deadLetter(m.topic(), m.partition(), m.offset(), r.key(), r.value(), r.headers(), reason));
                return;
            }
            if (value == null) {
                store.delete(key);
            } else {
                store.put(key, value);
            }
            changed.run();
        }

        @Override
        public void close() {
            deadLetters.close();
        }
    }

    /** Evaluates the rules on each input record; forwards candidates keyed by group key. */
    private static final class RulesProcessor<T> implements Processor<String, T, String, Alert> {
        private final RulesConfig rules;
        private final Map<String, ChainSettings> chains;
        private final boolean withTracked;
        private final java.util.concurrent.atomic.AtomicLong declaredVersion;
        private final String memoryStore;
        private final java.util.function.BiFunction<RuleEngine, T, List<Candidate>> evaluate;
        private final java.util.function.Function<T, ChainId> chainOf;
        private final Check<T> check;
        private final boolean blockPerRecord;
        private final List<String> blockEndKeys;
        /** Candidates were forwarded since the last block end. */
        private boolean unclosed;
        private ProcessorContext<String, Alert> context;
        /** One per kind of chain: each looks up the watchlist and labels of its own kind. */
        private final Map<ChainKind, RuleEngine> engines = new java.util.EnumMap<>(ChainKind.class);

        /**
         * @param declaredVersion changes with the declared tokens' global store
         * @param memoryStore     the store of the lookalike rules' counterparty memory (the block rules); null: none
         * @param check           throws a {@link BadRecordException} for a record that must not reach the rules (dead-lettered)
         * @param blockPerRecord  each input record is a whole block (the block rules); otherwise a block's last record carries
         *                        {@link io.taintwatch.encoding.RecordHeaders#BLOCK_END} (the flows)
         * @param candidatePartitions partitions of the topic the candidates are repartitioned through
         */
        RulesProcessor(RulesConfig rules, Map<String, ChainSettings> chains, boolean withTracked,
                       java.util.concurrent.atomic.AtomicLong declaredVersion, String memoryStore,
                       java.util.function.BiFunction<RuleEngine, T, List<Candidate>> evaluate, java.util.function.Function<T, ChainId> chainOf,
                       Check<T> check, boolean blockPerRecord, int candidatePartitions) {
            this.check = check;
            this.blockPerRecord = blockPerRecord;
            this.blockEndKeys = blockEndKeys(candidatePartitions);
            this.rules = rules;
            this.chains = chains;
            this.withTracked = withTracked;
            this.declaredVersion = declaredVersion;
            this.memoryStore = memoryStore;
            this.evaluate = evaluate;
            this.chainOf = chainOf;
        }

        @Override
        public void init(ProcessorContext<String, Alert> context) {
            this.context = context;
            KeyValueStore<Bytes, byte[]> counterparties = memoryStore == null ? null : context.getStateStore(memoryStore);
            CounterpartyMemory memory = counterparties == null ? null : new CounterpartyMemory(new StoreSortedBytes(counterparties), rules.lookalike());
            for (ChainKind k : ChainKind.values()) {
                engines.put(k, new RuleEngine(rules, new StoreLookups(store(context, WATCHLIST_STORE), store(context, LABELS_STORE),
                    store(context, TOKENS_STORE), store(context, TOKEN_REGISTRY_STORE), declaredVersion::get,
                    withTracked ? store(context, TRACKED_STORE) : null, chains, k), memory));
            }
        }

        @Override
        public void process(Record<String, T> r) {
            if (r.value() == null) {
                return;
            }
            check.accept(context.recordMetadata().map(RecordMetadata::topic).orElse(""), r.key(), r.value());
            List<Candidate> candidates = evaluate.apply(engines.get(chainOf.apply(r.value()).kind()), r.value());
            if (!candidates.isEmpty()) {
                // the ingest's publish time travels in the input's header (a record's timestamp is its block's time)
                Headers headers = new RecordHeaders(r.headers().toArray());
                headers.remove(io.taintwatch.encoding.RecordHeaders.BLOCK_END);
                for (Candidate c : candidates) {
                    context.forward(r.withKey(c.groupKey()).withValue(c.alert()).withHeaders(headers));
                }
                unclosed = true;
            }
            if (unclosed && (blockPerRecord || io.taintwatch.encoding.RecordHeaders.blockEnd(r.headers()))) {
                unclosed = false;
                if (LiveCommits.live(r.headers())) {
                    // a live block's candidates are complete: a marker to every partition of the candidates tells each
                    // aggregating task to commit at once, and this task commits them
                    Headers end = new RecordHeaders(r.headers().toArray());
                    end.remove(io.taintwatch.encoding.RecordHeaders.BLOCK_END);
                    end.add(io.taintwatch.encoding.RecordHeaders.BLOCK_END, new byte[] {'1'});
                    for (String key : blockEndKeys) {
                        context.forward(new Record<String, Alert>(key, null, r.timestamp(), end));
                    }
                    context.commit();
                }
            }
        }
    }

    /**
     * One key per partition of a topic of {@code partitions} partitions, each hashed to its partition as the producer's
     * default partitioner does (murmur2 of the key's bytes): the keys of the markers that close a block's candidates on
     * every partition. A marker has no value, so no alert group ever sees it.
     */
    static List<String> blockEndKeys(int partitions) {
        String[] keys = new String[partitions];
        int found = 0;
        for (int i = 0; found < partitions; i++) {
            String k = "block-end-" + i;
            int p = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(k.getBytes(StandardCharsets.UTF_8)))
                % partitions;
            if (keys[p] == null) {
                keys[p] = k;
                found++;
            }
        }
        return List.of(keys);
    }

    /** A check of one input record (topic, key, value) before the rules see it. */
    private interface Check<T> {
        void accept(String topic, String key, T value);
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
                if (io.taintwatch.encoding.RecordHeaders.blockEnd(r.headers())) {
                    // the rules' marker: this partition has every candidate of a block; a live one's alerts are committed now
                    LiveCommits.requestIfLive(context, r.headers());
                }
                return;
            }
            Alert previous = state.get(r.key());
            Alert next = aggregator.merge(previous, r.value());
            if (next == null) {
                log.debug("leg {} already counted in alert group {}", r.value().legId(), r.key());
                return;
            }
            state.put(r.key(), next);
            if (!AlertAggregator.published(previous, next)) {
                return; // skipped legs noted; they show in the next version
            }
            context.forward(r.withKey(next.id()).withValue(next));
            if (metrics != null) {
                metrics.emitted(next, io.taintwatch.encoding.RecordHeaders.ingestTimestamp(r.headers()), System.currentTimeMillis());
            }
        }
    }
}
