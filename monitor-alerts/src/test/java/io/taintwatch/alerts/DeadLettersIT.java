package io.taintwatch.alerts;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.testing.Chain;
import io.taintwatch.topology.DeadLetterHandler;
import io.taintwatch.topology.StreamsSettings;
import io.taintwatch.topology.TaintTopology;
import io.taintwatch.topology.TaintTopologyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad record (bad key, bad value, key and value that disagree, a tombstone with a bad key; no key where
 * the topic is not compacted: the broker refuses keyless records on compacted topics) on each input
 * topic of the taint engine ({@code blocks.<chain>}, {@code watchlist}, {@code labels}) and of the alert service
 * ({@code taint-flows.<chain>}, {@code blocks.<chain>}, and its global stores {@code watchlist}, {@code labels},
 * {@code tokens}, {@code alerts.tracked}), on a real broker: every one lands in {@code <topic>.dlq} once per part that
 * reads the topic, with its key, value and the topic/partition/offset/reason headers, and both parts go on to turn the
 * good records after them into flows and alerts.
 */
class DeadLettersIT {
    private static final TaintTopologyConfig TAINT = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults());
    private static final long AMOUNT = 5_000_000_000_000_000L;

    @TempDir
    Path dir;

    /** A bad record, what its dead-letter reason must contain, and how many parts read its topic (each dead-letters it). */
    record Bad(String topic, byte[] key, byte[] value, String reason, int readers) {}

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Bad> badRecords() {
        Chain c = new Chain(1);
        Block block = c.block().send("hacker", "x", AMOUNT).build();
        byte[] otherChainBlock = BlockCodec.encode(new Block(new ChainId(1, "ethereum"), block.number(), block.hash(), block.parentHash(),
            block.timestamp(), List.of(), null));
        TaintFlow flow = new Scenario().flows.get(0);
        TaintFlow otherChainFlow = new TaintFlow(new ChainId(1, "ethereum"), flow.position(), flow.blockTimestamp(), flow.legKind(), flow.txHash(),
            flow.from(), flow.to(), flow.asset(), flow.amount(), flow.shares(), flow.policy(), flow.kind(), flow.recipientEntity(), flow.senderBasis(),
            flow.paths());
        String other = addr("other").toString();
        byte[] seed = Json.seedBytes(new io.taintwatch.model.Seed(addr("other"), "case:bad", io.taintwatch.model.Category.THEFT, 0, "bad"));
        byte[] label = Json.entityBytes(new io.taintwatch.model.Entity(addr("other"), "Bad", io.taintwatch.model.Category.EXCHANGE, "t", 100));
        List<Bad> bad = new ArrayList<>();
        String blocks = Chain.CHAIN.blocksTopic();
        bad.add(new Bad(blocks, utf8("1"), BlockCodec.encode(block), "bad block key in topic " + blocks + ": '1', expected the chain id 31337", 2));
        bad.add(new Bad(blocks, null, BlockCodec.encode(block), "bad block key in topic " + blocks + ": none", 2));
        bad.add(new Bad(blocks, utf8("31337"), utf8("not a block"), "DecodeException: block record: invalid wire type", 2));
        bad.add(new Bad(blocks, utf8("31337"), otherChainBlock, "is for chain 1 (ethereum), this topic is for chain 31337 (testnet)", 2));
        for (String t : List.of("watchlist", "labels")) {
            byte[] value = t.equals("watchlist") ? seed : label;
            bad.add(new Bad(t, utf8("not-an-address"), value, "key 'not-an-address' is not an address", 2));
            bad.add(new Bad(t, utf8("not-an-address"), null, "key 'not-an-address' is not an address", 2));
            bad.add(new Bad(t, utf8(other), utf8("[]"), "must be a JSON object", 2));
            bad.add(new Bad(t, utf8(addr("mule").toString()), value, "key " + addr("mule") + " does not match the value's address " + other, 2));
        }
        bad.add(new Bad("tokens", utf8("testnet:not-an-address"), utf8("{\"symbol\":\"X\",\"decimals\":1}"), "invalid address 'not-an-address'", 1));
        bad.add(new Bad("tokens", utf8("testnet:" + other), utf8("{\"symbol\":\"X\",\"decimals\":\"six\"}"), "'decimals' is not an integer", 1));
        byte[] token = io.taintwatch.tokens.TokenJson.bytes(new io.taintwatch.tokens.Token(Chain.CHAIN, addr("other"), "USDT", "Tether USD", 6,
            io.taintwatch.model.TokenStatus.VERIFIED, "", "test"));
        bad.add(new Bad("token-registry", utf8("testnet:not-an-address"), token, "key 'not-an-address' is not an address", 1));
        bad.add(new Bad("token-registry", utf8("testnet:" + other), utf8("[]"), "token must be a JSON object", 1));
        bad.add(new Bad("token-registry", utf8("testnet:" + addr("mule")), token, "holds token testnet:" + other, 1));
        bad.add(new Bad("alerts.tracked", utf8("not-an-address"), utf8("[\"s\"]"), "key 'not-an-address' is not an address", 1));
        bad.add(new Bad("alerts.tracked", utf8(other), utf8("{}"), "expected a JSON array of source ids", 1));
        String flows = Chain.CHAIN.flowsTopic();
        bad.add(new Bad(flows, utf8("not-an-address"), FlowCodec.encode(flow), "key 'not-an-address' is not an address", 1));
        bad.add(new Bad(flows, utf8(other), FlowCodec.encode(flow), "key " + other + " does not match the value's address " + flow.to(), 1));
        bad.add(new Bad(flows, utf8(flow.to().toString()), utf8("not a flow"), "DecodeException: ", 1));
        bad.add(new Bad(flows, utf8(flow.to().toString()), FlowCodec.encode(otherChainFlow), "is for chain 1 (ethereum), this topic is for chain 31337", 1));
        return bad;
    }

    @Test
    void everyKindOfBadRecordOnEveryInputIsDeadLetteredByEachPartAndBothPartsGoOn() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            AlertsConfig alerts = Scenario.config(kafka.bootstrapServers(), dir.resolve("alerts"), true);
            // every topic of the pipeline with the dead-letter topics of its inputs, as the parts create them
            Scenario.ensureTopics(alerts, 1);
            List<Bad> bad = badRecords();
            Map<String, List<Long>> offsets = new HashMap<>();
            Chain c = new Chain(1);
            try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
                send(p, "watchlist", utf8(addr("hacker").toString()), Json.seedBytes(new Scenario().seeds.get(0)));
                for (Bad b : bad) {
                    offsets.computeIfAbsent(b.topic(), k -> new ArrayList<>()).add(send(p, b.topic(), b.key(), b.value()));
                }
                for (io.taintwatch.model.Entity e : new Scenario().labels) {
                    send(p, "labels", utf8(e.address().toString()), Json.entityBytes(e));
                }
            }
            Properties taintProps = StreamsSettings.of("dlq-it-taint", kafka.bootstrapServers(), dir.resolve("taint"), Map.of());
            try (KafkaStreams taint = new KafkaStreams(TaintTopology.build(TAINT, new SimpleMeterRegistry()), taintProps);
                 AlertsService service = new AlertsService(alerts, TaintSerdes.flows(), TaintSerdes.blocks(), new AlertMetrics(new SimpleMeterRegistry()))) {
                taint.start();
                service.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> taint.state() == KafkaStreams.State.RUNNING && service.ready());
                try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
                    // after the bad records: a theft that reaches our deposit address through a mule
                    send(p, TAINT.blocksTopic(), utf8("31337"), BlockCodec.encode(c.block().send("hacker", "mule1", AMOUNT).build()));
                    send(p, TAINT.blocksTopic(), utf8("31337"), BlockCodec.encode(c.block().send("mule1", "our-deposit", AMOUNT / 2).build()));
                }
                // both parts went on: the engine's flows became an alert about our deposit address
                await().atMost(Duration.ofSeconds(120)).until(() -> read(kafka, "alerts", 1).stream()
                    .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(addr("our-deposit").toString())));
                for (String topic : offsets.keySet()) {
                    List<Bad> expected = bad.stream().filter(b -> b.topic().equals(topic)).toList();
                    int count = expected.stream().mapToInt(Bad::readers).sum();
                    List<ConsumerRecord<byte[], byte[]>> dead = read(kafka, PipelineTopics.dlq(topic), count);
                    assertThat(dead).as(topic).hasSize(count);
                    for (int i = 0; i < expected.size(); i++) {
                        Bad b = expected.get(i);
                        String offset = offsets.get(topic).get(i).toString();
                        List<ConsumerRecord<byte[], byte[]>> letters = dead.stream().filter(d -> header(d, DeadLetterHandler.H_OFFSET).equals(offset)).toList();
                        assertThat(letters).as("%s offset %s (%s)", topic, offset, b.reason()).hasSize(b.readers());
                        for (ConsumerRecord<byte[], byte[]> d : letters) {
                            assertThat(d.key()).as("%s offset %s key", topic, offset).isEqualTo(b.key());
                            assertThat(d.value()).as("%s offset %s value", topic, offset).isEqualTo(b.value());
                            assertThat(header(d, DeadLetterHandler.H_TOPIC)).isEqualTo(topic);
                            assertThat(header(d, DeadLetterHandler.H_PARTITION)).isEqualTo("0");
                            assertThat(header(d, DeadLetterHandler.H_REASON)).as("%s offset %s reason", topic, offset).contains(b.reason());
                        }
                    }
                }
                assertThat(taint.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(service.alive()).isTrue();
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static long send(KafkaProducer<byte[], byte[]> p, String topic, byte[] key, byte[] value) throws Exception {
        RecordMetadata m = p.send(new ProducerRecord<>(topic, key, value)).get();
        return m.offset();
    }

    /** The committed records of a one-partition topic, read until at least {@code atLeast} are there. */
    private static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafka kafka, String topic, int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // a moment more: a part writing one dead letter too many must not go unseen
            consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
