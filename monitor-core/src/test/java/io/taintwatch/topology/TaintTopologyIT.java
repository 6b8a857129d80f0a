package io.taintwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.TaintSerdes;
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
    static final int BLOCKS = 400;

    @BeforeAll
    static void setUp() {
        kafka = EmbeddedKafka.start();
        SyntheticChain chain = new SyntheticChain(CHAIN, new SyntheticChain.Params(42, 5_000, 60, 3, 20, 3, 40_000), 1);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            blocks.add(chain.next());
        }
        TaintEngine engine = new TaintEngine(CHAIN, TaintConfig.defaults());
        chain.seeds().forEach(engine::putSeed);
        chain.labels().forEach(engine::putLabel);
        expected = new ArrayList<>();
        for (Block b : blocks) {
            for (TaintFlow f : engine.process(b).flows()) {
                expected.add(FlowCodec.encode(f));
            }
        }
        assertThat(expected).as("the synthetic chain launders enough to test with").hasSizeGreaterThan(200);

        kafka.createTopic(CHAIN.blocksTopic(), 1, Map.of());
        kafka.createTopic("watchlist", 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic("labels", 1, Map.of("cleanup.policy", "compact"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            // seeds and labels are older than every block, so the task reads them first
            for (Seed s : chain.seeds()) {
                producer.send(new ProducerRecord<>("watchlist", null, 0L, s.address().toString(), TaintSerdes.seeds().serializer().serialize("watchlist", s)));
            }
            for (Entity e : chain.labels()) {
                producer.send(new ProducerRecord<>("labels", null, 0L, e.address().toString(), TaintSerdes.entities().serializer().serialize("labels", e)));
            }
            producer.flush();
            for (Block b : blocks) {
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
        TaintTopologyConfig cfg = new TaintTopologyConfig(CHAIN, TaintConfig.defaults(), CHAIN.blocksTopic(), "watchlist", "labels", flowsTopic);
        KafkaStreams streams = new KafkaStreams(TaintTopology.build(cfg, new SimpleMeterRegistry()),
            StreamsSettings.of(appId, kafka.bootstrapServers(), stateDir, Map.of()));
        streams.start();
        return streams;
    }

    @Test
    void anUninterruptedRunEqualsTheEngineInProcess() throws Exception {
        kafka.createTopic("flows-a", 1, Map.of());
        try (KafkaStreams s = start("it-a", "flows-a", Files.createTempDirectory("it-a-"))) {
            assertSameFlows(readFlows("flows-a", n -> n >= expected.size()));
        }
    }

    @Test
    void restartsInTheMiddleLoseAndDuplicateNothing() throws Exception {
        kafka.createTopic("flows-b", 1, Map.of());
        Path state = Files.createTempDirectory("it-b-");
        KafkaStreams first = start("it-b", "flows-b", state);
        readFlows("flows-b", n -> n >= expected.size() / 3);
        first.close(Duration.ofSeconds(30));
        // restart on the same state directory
        KafkaStreams second = start("it-b", "flows-b", state);
        readFlows("flows-b", n -> n >= 2 * expected.size() / 3);
        second.close(Duration.ofSeconds(30));
        // restart on an empty state directory: the engine's state comes back from the changelogs
        try (KafkaStreams third = start("it-b", "flows-b", Files.createTempDirectory("it-b-fresh-"))) {
            assertSameFlows(readFlows("flows-b", n -> n >= expected.size()));
        }
    }

    static void assertSameFlows(List<byte[]> actual) {
        HexFormat hex = HexFormat.of();
        assertThat(actual.stream().map(hex::formatHex).toList()).containsExactlyElementsOf(expected.stream().map(hex::formatHex).toList());
    }

    /** Reads the committed flows until {@code done} holds for their count, then once more to catch extras. */
    static List<byte[]> readFlows(String topic, IntPredicate done) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!done.test(out.size()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(1500))) {
                out.add(r.value());
            }
        }
        return out;
    }
}
