package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.encoding.proto.BlockRecord;
import io.taintwatch.encoding.proto.LegRecord;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad records on every input of the taint topology: each one is dead-lettered with its reason (checked through the
 * handler the topology is configured with; the DLQ write itself is checked on a real broker in TaintTopologyIT),
 * the stream keeps running, and the good blocks after it are processed.
 */
class BadRecordsTopologyTest {
    static final TaintTopologyConfig CONFIG = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults());
    static final long AMOUNT = 5_000_000_000_000_000L;

    TopologyTestDriver driver;
    TestInputTopic<String, Block> blocks;
    TestInputTopic<String, byte[]> rawBlocks;
    TestInputTopic<String, byte[]> rawWatchlist;
    TestInputTopic<String, byte[]> rawLabels;
    TestInputTopic<String, Seed> watchlist;
    TestOutputTopic<String, TaintFlow> flows;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        Path state = Files.createTempDirectory("tw-bad-");
        Properties p = StreamsSettings.of("ttd-bad", "unused:9092", state, Map.of("max.task.idle.ms", 0L));
        driver = new TopologyTestDriver(TaintTopology.build(CONFIG, registry), p);
        blocks = driver.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
        rawBlocks = driver.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), new ByteArraySerializer());
        rawWatchlist = driver.createInputTopic(CONFIG.watchlistTopic(), new StringSerializer(), new ByteArraySerializer());
        rawLabels = driver.createInputTopic(CONFIG.labelsTopic(), new StringSerializer(), new ByteArraySerializer());
        watchlist = driver.createInputTopic(CONFIG.watchlistTopic(), new StringSerializer(), TaintSerdes.seeds().serializer());
        flows = driver.createOutputTopic(CONFIG.flowsTopic(), new StringDeserializer(), TaintSerdes.flows().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** Bad values of blocks.testnet, keyed by what their dead-letter reason must say. */
    static Map<String, byte[]> badBlocks(Chain c) {
        Block good = c.block().send("hacker", "mule", AMOUNT).send("mule", "other", 1).build();
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("invalid wire type", "not a block".getBytes(StandardCharsets.UTF_8));
        bad.put("truncated input", Arrays.copyOf(BlockCodec.encode(good), 30));
        byte[] groups = new byte[200_000];
        Arrays.fill(groups, (byte) 0x7b);
        bad.put("groups nested deeper than 100", concat(BlockCodec.encode(good), groups));
        bad.put("amount has 33 bytes", with(good, legs(l -> l.setAmount(ByteString.copyFrom(new byte[33])))));
        bad.put("from has 19 bytes", with(good, legs(l -> l.setFrom(ByteString.copyFrom(new byte[19])))));
        bad.put("unknown leg kind 42", with(good, legs(l -> l.setKindValue(42))));
        bad.put("legs out of order or duplicated", with(good, b -> b.addLegs(b.getLegs(0))));
        bad.put("unknown schema_version 2", with(good, b -> b.setSchemaVersion(2)));
        bad.put("this topic is for chain 31337", BlockCodec.encode(new Block(new ChainId(1, "ethereum"), good.number(), good.hash(),
            good.parentHash(), good.timestamp(), List.of(), null)));
        return bad;
    }

    @Test
    void everyBadBlockIsDeadLetteredWithItsReasonAndLaterGoodBlocksAreProcessed() {
        watchlist.pipeInput(addr("hacker").toString(), new Seed(addr("hacker"), "case:1", Category.THEFT, 0, "t"));
        Chain c = new Chain(1);
        Map<String, byte[]> bad = badBlocks(new Chain(1));
        List<String> reasons = new ArrayList<>();
        Properties p = StreamsSettings.of("x", "unused:9092", Path.of("unused"), Map.of());
        DeserializationExceptionHandler handler = handler(p);
        long offset = 0;
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            rawBlocks.pipeInput("31337", e.getValue());
            // what the topology's handler makes of the same failure: a DLQ record with the reason in a header
            reasons.add(deadLetterReason(handler, CONFIG.blocksTopic(), offset++, e.getValue()));
        }
        for (int i = 0; i < 3; i++) {
            blocks.pipeInput("31337", c.block().send("hacker", "mule" + i, AMOUNT).build());
        }
        assertThat(flows.readValuesToList()).extracting(TaintFlow::to).containsExactly(addr("mule0"), addr("mule1"), addr("mule2"));
        assertThat(reasons).hasSize(bad.size());
        int i = 0;
        for (String what : bad.keySet()) {
            assertThat(reasons.get(i++)).as(what).startsWith("DecodeException: ").contains(what).hasSizeLessThanOrEqualTo(1100);
        }
    }

    @Test
    void badSeedsAndLabelsAreDeadLetteredAndTheEngineKeepsItsSeeds() {
        watchlist.pipeInput(addr("hacker").toString(), new Seed(addr("hacker"), "case:1", Category.THEFT, 0, "t"));
        Map<String, byte[]> badSeeds = new LinkedHashMap<>();
        String a = addr("other").toString();
        badSeeds.put("unknown category 'nope'", ("{\"address\":\"" + a + "\",\"source_id\":\"s\",\"category\":\"nope\"}").getBytes());
        badSeeds.put("unknown key", ("{\"address\":\"" + a + "\",\"source_id\":\"s\",\"category\":\"theft\",\"valid_frm\":5}").getBytes());
        badSeeds.put("address", ("{\"address\":\"0x1234\",\"source_id\":\"s\",\"category\":\"theft\"}").getBytes());
        badSeeds.put("checksum", ("{\"address\":\"0x098B716B8Aaf21512996dC57EB0615e2383E2F96\",\"source_id\":\"s\",\"category\":\"theft\"}")
            .getBytes());
        badSeeds.put("not json", new byte[] {(byte) 0xff, 0x00, 0x7b});
        DeserializationExceptionHandler handler = handler(StreamsSettings.of("x", "unused:9092", Path.of("unused"), Map.of()));
        for (Map.Entry<String, byte[]> e : badSeeds.entrySet()) {
            rawWatchlist.pipeInput(a, e.getValue());
            String reason = deadLetterReason(handler, CONFIG.watchlistTopic(), 0, e.getValue());
            assertThat(reason).as(e.getKey()).startsWith("DecodeException: ");
        }
        rawLabels.pipeInput(a, ("{\"address\":\"" + a + "\",\"category\":\"casino\",\"confidence\":5}").getBytes());
        rawLabels.pipeInput(a, "[]".getBytes());
        assertThat(deadLetterReason(handler, CONFIG.labelsTopic(), 0, "[]".getBytes())).startsWith("DecodeException: ");

        blocks.pipeInput("31337", new Chain(1).block().send("hacker", "mule", AMOUNT).send("other", "mule2", AMOUNT).build());
        // the seed survived, and the bad seed for "other" did not make it a source
        assertThat(flows.readValuesToList()).extracting(TaintFlow::to).containsExactly(addr("mule"));
    }

    @Test
    void aDeadLetteredBlockLeavesAGapThatIsCountedAndLaterBlocksGoOn() {
        watchlist.pipeInput(addr("hacker").toString(), new Seed(addr("hacker"), "case:1", Category.THEFT, 0, "t"));
        Chain c = new Chain(1);
        blocks.pipeInput("31337", c.block().send("hacker", "mule", AMOUNT).build());
        Block second = c.block().send("hacker", "lost", AMOUNT).build();
        rawBlocks.pipeInput("31337", with(second, b -> b.setSchemaVersion(9)));
        blocks.pipeInput("31337", c.block().send("hacker", "after", AMOUNT).build());
        assertThat(flows.readValuesToList()).extracting(TaintFlow::to).containsExactly(addr("mule"), addr("after"));
        assertThat(registry.get(TaintMetrics.MISSING).counter().count()).isEqualTo(1.0);
        assertThat(registry.get(TaintMetrics.BLOCKS).counter().count()).isEqualTo(2.0);
    }

    /** The handler class the topology's settings name, as Kafka Streams instantiates it. */
    private static DeserializationExceptionHandler handler(Properties p) {
        try {
            Class<?> cls = (Class<?>) p.get("deserialization.exception.handler");
            return (DeserializationExceptionHandler) cls.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the value through the topic's deserializer and the handler; returns the DLQ record's reason header. */
    private static String deadLetterReason(DeserializationExceptionHandler handler, String topic, long offset, byte[] value) {
        Exception failure = null;
        try {
            if (topic.equals(CONFIG.blocksTopic())) {
                TaintTopology.blocksOf(CONFIG.chain()).deserialize(topic, value);
            } else if (topic.equals(CONFIG.watchlistTopic())) {
                TaintSerdes.seeds().deserializer().deserialize(topic, value);
            } else {
                TaintSerdes.entities().deserializer().deserialize(topic, value);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        assertThat(failure).as("%s value must fail to decode", topic).isNotNull();
        ConsumerRecord<byte[], byte[]> rec = new ConsumerRecord<>(topic, 0, offset, 0L, TimestampType.CREATE_TIME, 5, value.length,
            "31337".getBytes(), value, new RecordHeaders(), java.util.Optional.empty());
        var response = handler.handleError(new Context(), rec, failure);
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        var dead = response.deadLetterQueueRecords();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).topic()).isEqualTo(topic + ".dlq");
        assertThat(dead.get(0).value()).isEqualTo(value);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetterHandler.H_OFFSET).value(), StandardCharsets.UTF_8))
            .isEqualTo(Long.toString(offset));
        return new String(dead.get(0).headers().lastHeader(DeadLetterHandler.H_REASON).value(), StandardCharsets.UTF_8);
    }

    /** The handler's view of a stream task (task 0_0: not a global store). */
    private static final class Context implements ErrorHandlerContext {
        @Override
        public String topic() {
            return CONFIG.blocksTopic();
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return 0;
        }

        @Override
        public org.apache.kafka.common.header.Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return CONFIG.chain().name() + "-blocks-source";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    }

    private static Consumer<BlockRecord.Builder> legs(Consumer<LegRecord.Builder> change) {
        return b -> {
            LegRecord.Builder l = b.getLegs(0).toBuilder();
            change.accept(l);
            b.setLegs(0, l);
        };
    }

    private static byte[] with(Block good, Consumer<BlockRecord.Builder> change) {
        try {
            BlockRecord.Builder b = BlockRecord.parseFrom(BlockCodec.encode(good)).toBuilder();
            change.accept(b);
            return b.build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
