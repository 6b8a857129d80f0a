package io.taintwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.synth.SyntheticChain;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topology on a real KRaft broker with exactly-once: an uninterrupted run and runs restarted in the
 * middle (same state directory, and a wiped one restored from the changelogs) give exactly the flows the
 * engine computes in process, byte for byte, none lost, none duplicated.
 */
class TaintTopologyIT {
    static final ChainId CHAIN = new ChainId(777, "synth");
    static EmbeddedKafka kafka;
    static List<byte[]> expected;
    static List<Block> blocks;
    static List<Seed> seeds;
    static List<Entity> labels;
    static final int BLOCKS = 400;
    /** Flows carry block timestamps (2023): time-based retention would delete them (as it did, 30 s after broker start). */
    static final Map<String, String> KEEP = Map.of("retention.ms", "-1");
    static final byte[] POISON = "not a block record".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @BeforeAll
    static void setUp() {
        kafka = EmbeddedKafka.start();
        SyntheticChain chain = new SyntheticChain(CHAIN, new SyntheticChain.Params(42, 5_000, 60, 3, 20, 3, 40_000), 1);
        blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            blocks.add(chain.next());
        }
        TaintEngine engine = new TaintEngine(CHAIN, TaintConfig.defaults());
        seeds = chain.seeds();
        labels = chain.labels();
        seeds.forEach(engine::putSeed);
        labels.forEach(engine::putLabel);
        expected = new ArrayList<>();
        for (Block b : blocks) {
            for (TaintFlow f : engine.process(b).flows()) {
                expected.add(FlowCodec.encode(f));
            }
        }
        assertThat(expected).as("the synthetic chain launders enough to test with").hasSizeGreaterThan(200);

        kafka.createTopic(CHAIN.blocksTopic(), 1, KEEP);
        kafka.createTopic(PipelineTopics.dlq(CHAIN.blocksTopic()), 1, Map.of());
        kafka.createTopic("watchlist", 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic("labels", 1, Map.of("cleanup.policy", "compact"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            // seeds and labels are the topology's initial configuration (as in a replay); the topics stay empty
            producer.flush();
            int i = 0;
            for (Block b : blocks) {
                if (i++ == BLOCKS / 2) {
                    producer.send(new ProducerRecord<>(CHAIN.blocksTopic(), null, b.timestamp() * 1000, "777", POISON));
                }
                producer.send(new ProducerRecord<>(CHAIN.blocksTopic(), null, b.timestamp() * 1000, Long.toString(CHAIN.id()),
                    TaintSerdes.blocks().serializer().serialize(CHAIN.blocksTopic(), b)));
            }
        }
    }

    @AfterAll
    static void tearDown() {
        if (kafka != null) {
            kafka.close();
        }
    }

    KafkaStreams start(String appId, String flowsTopic, Path stateDir) {
        return start(appId, CHAIN.blocksTopic(), flowsTopic, stateDir);
    }

    KafkaStreams start(String appId, String blocksTopic, String flowsTopic, Path stateDir) {
        TaintTopologyConfig cfg = new TaintTopologyConfig(CHAIN, TaintConfig.defaults(), blocksTopic, "watchlist", "labels",
            flowsTopic, seeds, labels, false);
        KafkaStreams streams = new KafkaStreams(TaintTopology.build(cfg, new SimpleMeterRegistry()),
            StreamsSettings.of(appId, kafka.bootstrapServers(), stateDir, Map.of()));
        streams.start();
        return streams;
    }

    @Test
    void anUninterruptedRunEqualsTheEngineInProcess() throws Exception {
        kafka.createTopic("flows-a", 1, KEEP);
        KafkaStreams s = start("it-a", "flows-a", Files.createTempDirectory("it-a-"));
        try {
            assertSameFlows(readFlows("flows-a", n -> n >= expected.size()));
        } finally {
            close(s);
        }
        // the poison pill in the middle went to the dead-letter topic, with where it came from and why
        List<ConsumerRecord<byte[], byte[]>> dead = readRecords(PipelineTopics.dlq(CHAIN.blocksTopic()), n -> n >= 1);
        assertThat(dead).hasSizeGreaterThanOrEqualTo(1);
        ConsumerRecord<byte[], byte[]> d = dead.get(0);
        assertThat(d.value()).isEqualTo(POISON);
        assertThat(header(d, DeadLetterHandler.H_TOPIC)).isEqualTo(CHAIN.blocksTopic());
        assertThat(header(d, DeadLetterHandler.H_OFFSET)).isEqualTo(String.valueOf(BLOCKS / 2));
        assertThat(header(d, DeadLetterHandler.H_REASON)).contains("DecodeException");
    }

    @Test
    void restartsInTheMiddleLoseAndDuplicateNothing() throws Exception {
        String topic = "blocks-b";
        kafka.createTopic(topic, 1, KEEP);
        kafka.createTopic("flows-b", 1, KEEP);
        Path state = Files.createTempDirectory("it-b-");
        int third = BLOCKS / 3;
        produce(topic, blocks.subList(0, third));
        KafkaStreams first = start("it-b", topic, "flows-b", state);
        int afterFirst = flowsUpTo(third);
        readFlows("flows-b", n -> n >= afterFirst);
        close(first);
        // blocks arrive while the engine is down; it restarts on the same state directory
        produce(topic, blocks.subList(third, 2 * third));
        KafkaStreams second = start("it-b", topic, "flows-b", state);
        int afterSecond = flowsUpTo(2 * third);
        readFlows("flows-b", n -> n >= afterSecond);
        close(second);
        // and once more on an empty state directory: the engine's state comes back from the changelogs
        produce(topic, blocks.subList(2 * third, BLOCKS));
        KafkaStreams last = start("it-b", topic, "flows-b", Files.createTempDirectory("it-b-fresh-"));
        try {
            assertSameFlows(readFlows("flows-b", n -> n >= expected.size()));
        } finally {
            close(last);
        }
    }

    /** How many of the expected flows come from the first {@code n} blocks. */
    static int flowsUpTo(int n) {
        long lastBlock = blocks.get(n - 1).number();
        return (int) expected.stream().map(FlowCodec::decode).filter(f -> f.position().block() <= lastBlock).count();
    }

    static void produce(String topic, List<Block> some) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Block b : some) {
                producer.send(new ProducerRecord<>(topic, null, b.timestamp() * 1000, Long.toString(CHAIN.id()),
                    TaintSerdes.blocks().serializer().serialize(topic, b)));
            }
        }
    }

    /** A graceful stop that leaves the group, so the next instance does not wait out the session timeout. */
    static void close(KafkaStreams s) {
        s.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
            org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }

    static void assertSameFlows(List<byte[]> actual) {
        HexFormat hex = HexFormat.of();
        assertThat(actual.stream().map(hex::formatHex).toList()).containsExactlyElementsOf(expected.stream().map(hex::formatHex).toList());
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static List<byte[]> readFlows(String topic, IntPredicate done) {
        return readRecords(topic, done).stream().map(ConsumerRecord::value).toList();
    }

    /** Reads the committed records until {@code done} holds for their count, then once more to catch extras. */
    static List<ConsumerRecord<byte[], byte[]>> readRecords(String topic, IntPredicate done) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!done.test(out.size()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(1500))) {
                out.add(r);
            }
        }
        return out;
    }
}
