package io.taintwatch.app.crash;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.AlertsConfig;
import io.taintwatch.alerts.AlertsTopology;
import io.taintwatch.alerts.delivery.WebhookSigner;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.topology.TaintTopology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** Shared pieces of the crash tests: config files, topic reads, the uninterrupted references, a webhook receiver. */
final class CrashKit {
    static final String WEBHOOK_SECRET = "whsec_crash_0123456789abcdef";
    /**
     * Broker overrides: no log cleaner. The alerts topic is compacted, so a version superseded by a later one of the
     * same id may be cleaned away at any time (seen: the webhook got version 1, the topic read after the run showed
     * only version 2); the tests read every version back after the run, so nothing may be compacted meanwhile.
     */
    static final Map<String, String> BROKER = Map.of("log.cleaner.enable", "false");

    private CrashKit() {}

    /** A fresh directory for the children's logs under target/, kept after the test for post-mortems. */
    static Path logDir(Class<?> test) {
        Path d = Path.of("target", "crash-logs", test.getSimpleName()).toAbsolutePath();
        Chaos.wipe(d);
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("crash: child logs in " + d);
        return d;
    }

    /** Writes a taintwatch .properties config file. */
    static Path config(Path file, Map<String, String> keys) {
        Properties p = new Properties();
        p.putAll(keys);
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, "crash test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return Admin.create(p);
    }

    /** Records written to a topic so far, committed or not (the end offsets): a child's progress. 0 while it does not exist. */
    static long written(Admin admin, String topic) {
        return ends(admin, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** A group's committed offset on partition 0 of a topic (stable: no pending transactional commit), or -1. */
    static long committed(Admin admin, String group, String topic) {
        return committed(admin, group, topic, true);
    }

    /** A group's committed offset on partition 0 of a topic, or -1; {@code stable}: -1 while a transactional commit is pending. */
    static long committed(Admin admin, String group, String topic, boolean stable) {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(stable))
                .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata o = m.get(new TopicPartition(topic, 0));
            return o == null ? -1 : o.offset();
        } catch (ExecutionException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a group has consumed and committed every topic to its end. For a Streams application (which commits
     * its consumer's position, past transaction markers) caught up on all its inputs, nothing more will come.
     */
    static boolean caughtUp(Admin admin, String group, String... topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group,
                new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata().get();
            for (String t : topics) {
                for (Map.Entry<TopicPartition, Long> e : ends(admin, t).entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    // a partition nothing was ever written to has nothing to commit
                    if (c == null ? e.getValue() != 0 : c.offset() != e.getValue()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The end offset of every partition of a topic; empty while it does not exist. */
    static Map<TopicPartition, Long> ends(Admin admin, String topic) {
        try {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(topic)).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            d.get(topic).partitions().forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(req).all().get().forEach((tp, i) -> out.put(tp, i.offset()));
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Map.of();
            }
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the taint application {@code group} has handed {@code chain}'s engine the reference data: its reference task
     * committed at least {@code seeds} watchlist and {@code labels} labels records, and the engine read all it was handed.
     * Live seeds and labels take effect from the next block processed: a test waits for this before any block exists.
     */
    static boolean referenceApplied(Admin admin, String group, ChainId chain, int seeds, int labels) {
        return committed(admin, group, "watchlist") >= seeds && committed(admin, group, "labels") >= labels
            && caughtUp(admin, group, TaintTopology.referenceRepartitionTopic(group, chain));
    }

    /** Every topic the alert service {@code group} reads for a chain: flows, blocks, and its repartition topics (candidates by group key). */
    static String[] alertsInputs(String group, ChainId chain) {
        return new String[] {chain.flowsTopic(), chain.blocksTopic(), group + "-" + AlertsTopology.CANDIDATES + "-repartition",
            group + "-" + AlertsTopology.blockCandidates(chain.name()) + "-repartition"};
    }

    /** Every committed record of a topic ({@code read_committed}), partition by partition in offset order. */
    static List<ConsumerRecord<String, byte[]>> readCommitted(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            for (TopicPartition tp : tps) {
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                // with read_committed the end offset is the last stable offset: nothing committed lies beyond it
                long end = c.endOffsets(List.of(tp)).get(tp);
                while (c.position(tp) < end) {
                    c.poll(Duration.ofMillis(200)).forEach(out::add);
                }
            }
            return out;
        }
    }

    /** The flows of an uninterrupted run: the engine in process (a pure function of seeds, labels and blocks). */
    static List<TaintFlow> expectedFlows(PipelineConfig s, ChainId chain, List<Seed> seeds, List<Entity> labels, List<Block> blocks) {
        TaintEngine engine = new TaintEngine(chain, s.taint(), s.nativeAsset(chain));
        seeds.forEach(engine::putSeed);
        labels.forEach(engine::putLabel);
        List<TaintFlow> flows = new ArrayList<>();
        for (Block b : blocks) {
            flows.addAll(engine.process(b).flows());
        }
        return flows;
    }

    static List<String> hex(List<byte[]> values) {
        java.util.HexFormat h = java.util.HexFormat.of();
        return values.stream().map(h::formatHex).toList();
    }

    static List<String> encodedHex(List<TaintFlow> flows) {
        return hex(flows.stream().map(FlowCodec::encode).toList());
    }

    /** The alert configuration the alerts part builds from these settings, under another state directory. */
    static AlertsConfig alertsConfig(PipelineConfig s, Path stateDir) {
        AlertsConfig a = s.alerts();
        return new AlertsConfig(a.kafka(), a.applicationId(), stateDir, a.replicationFactor(), a.chains(), a.topics(), a.readBlocks(), a.rules(),
            a.webhooks(), a.api(), a.candidatePartitions());
    }

    /** The configuration a child process reads from {@code file}. */
    static PipelineConfig settings(Path file) {
        return new PipelineConfig(TaintwatchConfig.load(file, Map.of(), Map.of()));
    }

    /**
     * The alerts of an uninterrupted run, id#version -> alert: the alert topology over the expected flows and the
     * blocks in a TopologyTestDriver (reference data first, then each block followed by its flows).
     */
    static Map<String, Alert> expectedAlerts(AlertsConfig cfg, ChainId chain, List<Seed> seeds, List<Entity> labels,
                                             List<ConsumerRecord<String, byte[]>> tokens, List<Block> blocks, List<TaintFlow> flows,
                                             Path stateDir) {
        return expectedAlerts(cfg, seeds, labels, tokens, Map.of(chain, blocks), Map.of(chain, flows), stateDir);
    }

    /** As above for several chains, one chain after the other (an alert is of one chain: their order does not matter). */
    static Map<String, Alert> expectedAlerts(AlertsConfig cfg, List<Seed> seeds, List<Entity> labels, List<ConsumerRecord<String, byte[]>> tokens,
                                             Map<ChainId, List<Block>> blocksByChain, Map<ChainId, List<TaintFlow>> flowsByChain, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "crash-reference");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Map<String, Alert> out = new LinkedHashMap<>();
        try (TopologyTestDriver d = new TopologyTestDriver(AlertsTopology.build(cfg, TaintSerdes.flows(), TaintSerdes.blocks(),
            new AlertMetrics(new SimpleMeterRegistry())), p)) {
            TestInputTopic<String, byte[]> w = d.createInputTopic(cfg.topics().watchlist(), new StringSerializer(), new ByteArraySerializer());
            seeds.forEach(x -> w.pipeInput(x.address().toString(), Json.seedBytes(x)));
            TestInputTopic<String, byte[]> l = d.createInputTopic(cfg.topics().labels(), new StringSerializer(), new ByteArraySerializer());
            labels.forEach(x -> l.pipeInput(x.address().toString(), Json.entityBytes(x)));
            TestInputTopic<String, byte[]> t = d.createInputTopic(cfg.topics().tokens(), new StringSerializer(), new ByteArraySerializer());
            tokens.forEach(x -> t.pipeInput(x.key(), x.value()));
            for (Map.Entry<ChainId, List<Block>> e : blocksByChain.entrySet()) {
                ChainId chain = e.getKey();
                List<TaintFlow> flows = flowsByChain.get(chain);
                TestInputTopic<String, Block> b = d.createInputTopic(chain.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
                TestInputTopic<String, TaintFlow> f = d.createInputTopic(chain.flowsTopic(), new StringSerializer(),
                    TaintSerdes.flows().serializer());
                int i = 0;
                for (Block block : e.getValue()) {
                    b.pipeInput(Long.toString(chain.id()), block, block.timestamp() * 1000);
                    while (i < flows.size() && flows.get(i).position().block() == block.number()) {
                        TaintFlow x = flows.get(i++);
                        f.pipeInput(x.to().toString(), x, block.timestamp() * 1000);
                    }
                }
            }
            d.createOutputTopic(cfg.topics().alerts(), new StringDeserializer(), new ByteArrayDeserializer()).readValuesToList()
                .forEach(v -> {
                    Alert a = AlertJson.parse(v);
                    out.put(key(a), a);
                });
        }
        return out;
    }

    /**
     * The committed flows equal the uninterrupted run's, byte for byte, and in its order within each partition (the
     * producer's partition of the recipient's key).
     */
    static void assertFlows(String bootstrap, String topic, List<TaintFlow> expected, long seed) {
        List<ConsumerRecord<String, byte[]>> records = readCommitted(bootstrap, topic);
        int partitions = partitions(bootstrap, topic);
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            List<TaintFlow> mine = expected.stream().filter(f -> partitionOf(f.to().toString(), partitions) == partition).toList();
            org.assertj.core.api.Assertions.assertThat(hex(records.stream().filter(r -> r.partition() == partition).map(ConsumerRecord::value).toList()))
                .as("committed flows on %s-%d (seed %d)", topic, partition, seed).containsExactlyElementsOf(encodedHex(mine));
        }
    }

    /** The partition a keyed record goes to with the producer's default partitioning. */
    static int partitionOf(String key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            % partitions;
    }

    static int partitions(String bootstrap, String topic) {
        try (Admin admin = admin(bootstrap)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The committed alerts hold each id#version once, equal to the uninterrupted run's, the versions of an id in order. */
    static void assertAlerts(String bootstrap, String topic, Map<String, Alert> expected, long seed) {
        List<String> versions = new ArrayList<>();
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(bootstrap, topic)) {
            Alert a = AlertJson.parse(r.value());
            org.assertj.core.api.Assertions.assertThat(r.key()).isEqualTo(a.id());
            org.assertj.core.api.Assertions.assertThat(a).as("alert %s (seed %d)", key(a), seed).isEqualTo(expected.get(key(a)));
            org.assertj.core.api.Assertions.assertThat(a.version()).as("versions of %s in order (seed %d)", a.id(), seed)
                .isEqualTo(last.getOrDefault(a.id(), 0L) + 1);
            last.put(a.id(), a.version());
            versions.add(key(a));
        }
        org.assertj.core.api.Assertions.assertThat(versions).as("alert versions on %s (seed %d)", topic, seed).doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    static String key(Alert a) {
        return a.id() + "#" + a.version();
    }

    /** A webhook receiver that verifies signatures and records every accepted delivery, in arrival order. */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        /** id#version of every delivery accepted, repeats included. */
        final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        final Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicInteger badSignatures = new AtomicInteger();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/hook", this::handle);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        }

        private void handle(HttpExchange ex) throws IOException {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            var h = ex.getRequestHeaders();
            if (!WebhookSigner.verify(WEBHOOK_SECRET, h.getFirst(WebhookSigner.HEADER_TIMESTAMP), h.getFirst(WebhookSigner.HEADER_SIGNATURE),
                body, System.currentTimeMillis() / 1000, 300)) {
                badSignatures.incrementAndGet();
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            String k = h.getFirst(WebhookSigner.HEADER_ALERT_ID) + "#" + h.getFirst(WebhookSigner.HEADER_ALERT_VERSION);
            bodies.put(k, body);
            accepted.add(k);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        }

        List<String> accepted() {
            synchronized (accepted) {
                return List.copyOf(accepted);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
