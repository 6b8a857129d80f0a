package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.testing.Chain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeds and labels that decode but whose key is missing, is not an address or names another address than the value
 * (a tombstone with a bad key among them) are refused by the engine before they change anything and land in
 * {@code <topic>.dlq} through the processing-exception handler, with key, value and topic/partition/offset/reason
 * headers; the engine goes on. (The TopologyTestDriver does not capture the dead letters of the deserialization
 * handler: records that do not decode are checked on a real broker, with every other input, by {@code DeadLettersIT}.)
 */
class TaintEngineDeadLettersTest {
    static final TaintTopologyConfig CONFIG = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults());
    static final long AMOUNT = 5_000_000_000_000_000L;

    /** One bad input record and what its dead-letter reason must contain; {@code decodes}: refused by a processor, not a deserializer. */
    record Bad(String topic, byte[] key, byte[] value, String reason, boolean decodes) {
        Bad(String topic, byte[] key, byte[] value, String reason) {
            this(topic, key, value, reason, !reason.equals("DecodeException") && !topic.startsWith("blocks."));
        }
    }

    TopologyTestDriver driver;
    final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    final Map<String, Long> offsets = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        driver = new TopologyTestDriver(TaintTopology.build(CONFIG, new SimpleMeterRegistry()),
            StreamsSettings.of("ttd-dlq", "unused:9092", Files.createTempDirectory("tw-dlq-"), Map.of("max.task.idle.ms", 0L)));
        for (String t : List.of(CONFIG.blocksTopic(), CONFIG.watchlistTopic(), CONFIG.labelsTopic())) {
            inputs.put(t, driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
        }
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** Pipes a record and returns its offset in the topic. */
    long pipe(String topic, byte[] key, byte[] value) {
        inputs.get(topic).pipeInput(key, value);
        return offsets.merge(topic, 1L, Long::sum) - 1;
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Bad> badRecords(Chain c) {
        Block good = c.block().send("hacker", "x", AMOUNT).build();
        byte[] block = BlockCodec.encode(good);
        byte[] otherChain = BlockCodec.encode(new Block(new ChainId(1, "ethereum"), good.number(), good.hash(), good.parentHash(),
            good.timestamp(), List.of(), null));
        String other = addr("other").toString();
        byte[] seed = Json.seedBytes(new Seed(addr("other"), "case:bad", Category.THEFT, 0, "bad"));
        byte[] label = Json.entityBytes(new Entity(addr("other"), "Bad", Category.EXCHANGE, "test", 100));
        List<Bad> bad = new ArrayList<>();
        String blocks = CONFIG.blocksTopic();
        bad.add(new Bad(blocks, utf8("1"), block, "bad block key in topic blocks.testnet: '1', expected the chain id 31337"));
        bad.add(new Bad(blocks, null, block, "bad block key in topic blocks.testnet: none"));
        bad.add(new Bad(blocks, utf8("31337"), utf8("not a block"), "DecodeException"));
        bad.add(new Bad(blocks, utf8("31337"), otherChain, "is for chain 1 (ethereum), this topic is for chain 31337"));
        for (String t : List.of(CONFIG.watchlistTopic(), CONFIG.labelsTopic())) {
            byte[] value = t.equals(CONFIG.watchlistTopic()) ? seed : label;
            bad.add(new Bad(t, utf8("not-an-address"), value, "key 'not-an-address' is not an address"));
            bad.add(new Bad(t, utf8("not-an-address"), null, "key 'not-an-address' is not an address"));
            bad.add(new Bad(t, null, value, "record without a key"));
            bad.add(new Bad(t, null, null, "record without a key"));
            bad.add(new Bad(t, utf8(other), utf8("[]"), "DecodeException"));
            bad.add(new Bad(t, utf8(addr("mule").toString()), value, "key " + addr("mule") + " does not match the value's address " + other));
        }
        return bad;
    }

    @Test
    void seedsAndLabelsWithBadOrMismatchedKeysAreDeadLetteredAndTheEngineGoesOn() {
        Chain c = new Chain(1);
        pipe(CONFIG.watchlistTopic(), utf8(addr("hacker").toString()), Json.seedBytes(new Seed(addr("hacker"), "case:1", Category.THEFT, 0, "t")));
        List<Bad> bad = badRecords(new Chain(1)).stream().filter(Bad::decodes).toList();
        Map<String, List<Long>> badOffsets = new HashMap<>();
        for (Bad b : bad) {
            badOffsets.computeIfAbsent(b.topic(), k -> new ArrayList<>()).add(pipe(b.topic(), b.key(), b.value()));
        }
        // the engine goes on: good records after the bad ones are applied
        pipe(CONFIG.labelsTopic(), utf8(addr("exchange").toString()), Json.entityBytes(new Entity(addr("exchange"), "Ex", Category.EXCHANGE, "t", 100)));
        pipe(CONFIG.blocksTopic(), utf8("31337"), BlockCodec.encode(c.block().send("hacker", "mule", AMOUNT).send("mule", "exchange", AMOUNT / 2)
            .send("other", "nobody", AMOUNT).build()));
        var flows = driver.createOutputTopic(CONFIG.flowsTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer()).readValuesToList();
        assertThat(flows.stream().map(FlowCodec::decode).map(TaintFlow::to)).containsExactly(addr("mule"), addr("exchange"));

        for (String topic : List.of(CONFIG.watchlistTopic(), CONFIG.labelsTopic())) {
            List<Bad> expected = bad.stream().filter(b -> b.topic().equals(topic)).toList();
            List<TestRecord<byte[], byte[]>> dead = driver.createOutputTopic(PipelineTopics.dlq(topic), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
            assertThat(dead).as(topic).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                Bad b = expected.get(i);
                TestRecord<byte[], byte[]> d = dead.get(i);
                assertThat(d.key()).as("%s #%d key", topic, i).isEqualTo(b.key());
                assertThat(d.value()).as("%s #%d value", topic, i).isEqualTo(b.value());
                assertThat(header(d, DeadLetterHandler.H_TOPIC)).isEqualTo(topic);
                assertThat(header(d, DeadLetterHandler.H_PARTITION)).isEqualTo("0");
                assertThat(header(d, DeadLetterHandler.H_OFFSET)).as("%s #%d offset", topic, i).isEqualTo(badOffsets.get(topic).get(i).toString());
                assertThat(header(d, DeadLetterHandler.H_REASON)).as("%s #%d reason", topic, i).contains(b.reason());
            }
        }
    }

    static String header(TestRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
