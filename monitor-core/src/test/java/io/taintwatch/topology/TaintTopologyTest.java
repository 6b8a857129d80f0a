package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.RecordHeaders;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.testing.Chain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaintTopologyTest {
    static final TaintTopologyConfig CONFIG = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults());

    TopologyTestDriver driver;
    TestInputTopic<String, Block> blocks;
    TestInputTopic<String, byte[]> rawBlocks;
    TestInputTopic<String, Seed> watchlist;
    TestInputTopic<String, Entity> labels;
    TestOutputTopic<String, TaintFlow> flows;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        Path state = Files.createTempDirectory("tw-ttd-");
        // the test driver's clock does not move on its own: do not wait for empty partitions
        Properties p = StreamsSettings.of("ttd", "unused:9092", state, java.util.Map.of("max.task.idle.ms", 0L));
        driver = new TopologyTestDriver(TaintTopology.build(CONFIG, registry), p);
        blocks = driver.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
        rawBlocks = driver.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), new ByteArraySerializer());
        watchlist = driver.createInputTopic(CONFIG.watchlistTopic(), new StringSerializer(), TaintSerdes.seeds().serializer());
        labels = driver.createInputTopic(CONFIG.labelsTopic(), new StringSerializer(), TaintSerdes.entities().serializer());
        flows = driver.createOutputTopic(CONFIG.flowsTopic(), new StringDeserializer(), TaintSerdes.flows().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    void seed(String who, String source) {
        watchlist.pipeInput(addr(who).toString(), new Seed(addr(who), source, Category.THEFT, 0, "test reference"));
    }

    @Test
    void flowsAreKeyedByRecipientAndCarryTheirPathAtATerminal() {
        seed("hacker", "case:1");
        labels.pipeInput(addr("deposit").toString(), new Entity(addr("deposit"), "Exchange deposit", Category.EXCHANGE_DEPOSIT, "t", 100));
        Chain c = new Chain(1);
        blocks.pipeInput("31337", c.block().send("hacker", "mule", 5_000_000_000_000_000L).build());
        blocks.pipeInput("31337", c.block().send("mule", "deposit", 5_000_000_000_000_000L).build());
        List<TestRecord<String, TaintFlow>> out = flows.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly(addr("mule").toString(), addr("deposit").toString());
        TaintFlow terminal = out.get(1).value();
        assertThat(terminal.kind()).isEqualTo(FlowKind.TERMINAL);
        assertThat(terminal.paths().get(0).hops()).hasSize(2);
        assertThat(out.get(1).timestamp()).isEqualTo(c.blocks().get(1).timestamp() * 1000);
        assertThat(registry.get(TaintMetrics.LEGS).counter().count()).isEqualTo(2.0);
    }

    @Test
    void aSeedArrivingMidStreamTakesEffectFromTheNextBlock() {
        Chain c = new Chain(1);
        blocks.pipeInput("31337", c.block().send("hacker", "early", 5_000_000_000_000_000L).build());
        seed("hacker", "case:late");
        blocks.pipeInput("31337", c.block().send("hacker", "late", 5_000_000_000_000_000L).build());
        List<TaintFlow> out = flows.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).to()).isEqualTo(addr("late"));
        assertThat(out.get(0).shares().get(0).effectiveFrom()).isEqualTo(2);
        // a tombstone removes the seed from the next block on
        watchlist.pipeInput(addr("hacker").toString(), (Seed) null);
        blocks.pipeInput("31337", c.block().send("hacker", "after", 5_000_000_000_000_000L).build());
        assertThat(flows.readValuesToList()).isEmpty();
    }

    @Test
    void aPoisonPillDoesNotStopTheStream() {
        // the dead-letter record itself is checked on a real broker (TaintTopologyIT): the test driver
        // does not route a handler's dead-letter records
        seed("hacker", "case:1");
        Chain c = new Chain(1);
        rawBlocks.pipeInput("31337", "not a block".getBytes(StandardCharsets.UTF_8));
        blocks.pipeInput("31337", c.block().send("hacker", "mule", 5_000_000_000_000_000L).build());
        assertThat(flows.readValuesToList()).hasSize(1);
    }

    @Test
    void flowsCarryTheIngestTimestampOfTheirBlock() {
        seed("hacker", "case:1");
        Chain c = new Chain(1);
        org.apache.kafka.common.header.internals.RecordHeaders h = new org.apache.kafka.common.header.internals.RecordHeaders();
        h.add(RecordHeaders.INGEST_TIMESTAMP, "1790000000123".getBytes(StandardCharsets.US_ASCII));
        blocks.pipeInput(new TestRecord<>("31337", c.block().send("hacker", "mule", 5_000_000_000_000_000L).build(), h));
        TestRecord<String, TaintFlow> out = flows.readRecord();
        assertThat(new String(out.headers().lastHeader(RecordHeaders.INGEST_TIMESTAMP).value(), StandardCharsets.US_ASCII))
            .isEqualTo("1790000000123");
    }

    @Test
    void everyStoreUsesTheProcessWideRocksDbBudget() {
        Chain c = new Chain(1);
        seed("hacker", "hack-1");
        blocks.pipeInput("31337", c.block().send("hacker", "mule", 5_000_000_000_000_000L).build());
        // the shared cache exists only when Streams applied the setter; memtables and blocks are charged to it
        assertThat(BoundedRocksDb.usage()).isPositive().isLessThanOrEqualTo(BoundedRocksDb.budget() + (8L << 20));
        assertThatThrownBy(() -> BoundedRocksDb.budget(BoundedRocksDb.budget() * 2)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("before the first state store opens");
        assertThatThrownBy(() -> BoundedRocksDb.budget(1024)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDuplicateBlockIsSkipped() {
        seed("hacker", "case:1");
        Chain c = new Chain(1);
        Block b = c.block().send("hacker", "mule", 5_000_000_000_000_000L).build();
        blocks.pipeInput("31337", b);
        blocks.pipeInput("31337", b);
        assertThat(flows.readValuesToList()).hasSize(1);
        assertThat(registry.get(TaintMetrics.SKIPPED).counter().count()).isEqualTo(1.0);
    }

}
