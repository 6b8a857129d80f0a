package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.testing.Chain;
import java.nio.file.Files;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class SectionTimesTest {
    static final TaintTopologyConfig CONFIG = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults());

    @Test
    void everySectionIsChargedAndTogetherTheyFitInTheElapsedTime() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long elapsed;
        try (TopologyTestDriver driver = driver(CONFIG.withSectionTimes(true), registry)) {
            TestInputTopic<String, Block> blocks = driver.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(),
                TaintSerdes.blocks().serializer());
            driver.createInputTopic(CONFIG.watchlistTopic(), new StringSerializer(), TaintSerdes.seeds().serializer())
                .pipeInput(addr("hacker").toString(), new Seed(addr("hacker"), "case:1", Category.THEFT, 0, "test reference"));
            driver.createInputTopic(CONFIG.labelsTopic(), new StringSerializer(), TaintSerdes.entities().serializer())
                .pipeInput(addr("deposit").toString(), new Entity(addr("deposit"), "Exchange deposit", Category.EXCHANGE_DEPOSIT, "t", 100));
            Chain c = new Chain(1);
            long start = System.nanoTime();
            // passed over; touched: the mule's holding written, a flow sent; the mule pays a terminal and is removed
            blocks.pipeInput("31337", c.block().send("alice", "bob", 7).build());
            blocks.pipeInput("31337", c.block().send("hacker", "mule", 5_000_000_000_000_000L).build());
            blocks.pipeInput("31337", c.block().send("mule", "deposit", 5_000_000_000_000_000L).build());
            elapsed = System.nanoTime() - start;
            double total = 0;
            for (SectionTimes.Section s : SectionTimes.Section.values()) {
                double seconds = counter(registry, s);
                assertThat(seconds).as(s.label()).isPositive();
                total += seconds;
            }
            // decoding happens between blocks and is charged to decode only, never to outside as well
            assertThat(total).isLessThanOrEqualTo(elapsed / 1e9);
            assertThat(registry.get(TaintMetrics.BLOCKS).counter().count()).isEqualTo(3.0);
            assertThat(registry.get(TaintMetrics.PASSED_OVER).counter().count()).isEqualTo(1.0);
        }
        assertThat(registry.find(SectionTimes.METER).meters()).as("removed with the processor").isEmpty();
    }

    @Test
    void decodingBetweenBlocksIsChargedToDecodeAndNotToOutside() {
        long[] now = {100};
        SectionTimes t = new SectionTimes(true, () -> now[0]);
        long at = t.enterBlock();          // the first block: nothing before it is charged
        now[0] = 110;
        at = t.lap(SectionTimes.Section.PROBE, at);
        now[0] = 130;
        t.exitBlock(at);                  // other: 20
        now[0] = 140;
        long d = t.start();
        now[0] = 155;
        t.lap(SectionTimes.Section.DECODE, d);
        now[0] = 170;
        t.enterBlock();                   // 40 since the last block, 15 of them decoding
        assertThat(t.seconds(SectionTimes.Section.PROBE)).isEqualTo(10e-9);
        assertThat(t.seconds(SectionTimes.Section.OTHER)).isEqualTo(20e-9);
        assertThat(t.seconds(SectionTimes.Section.DECODE)).isEqualTo(15e-9);
        assertThat(t.seconds(SectionTimes.Section.OUTSIDE)).isEqualTo(25e-9);
        t.restart();
        now[0] = 1_000;
        t.enterBlock();                   // after a restart the gap is not charged
        assertThat(t.seconds(SectionTimes.Section.OUTSIDE)).isEqualTo(25e-9);
    }

    @Test
    void offReadsNoClock() {
        SectionTimes t = new SectionTimes(false, () -> {
            throw new AssertionError("clock read while off");
        });
        t.exitBlock(t.lap(SectionTimes.Section.PROBE, t.enterBlock()));
        assertThat(t.seconds(SectionTimes.Section.PROBE)).isZero();
    }

    @Test
    void offByDefaultWithNoMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TopologyTestDriver driver = driver(CONFIG, registry)) {
            driver.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer())
                .pipeInput("31337", new Chain(1).block().send("alice", "bob", 7).build());
            assertThat(registry.get(TaintMetrics.BLOCKS).counter().count()).isEqualTo(1.0);
            assertThat(registry.find(SectionTimes.METER).meters()).isEmpty();
        }
    }

    private static double counter(SimpleMeterRegistry registry, SectionTimes.Section s) {
        FunctionCounter c = registry.get(SectionTimes.METER).tag("section", s.label()).functionCounter();
        return c.count();
    }

    private static TopologyTestDriver driver(TaintTopologyConfig config, SimpleMeterRegistry registry) throws Exception {
        return new TopologyTestDriver(TaintTopology.build(config, registry),
            StreamsSettings.of("ttd", "unused:9092", Files.createTempDirectory("tw-sections-"), Map.of("max.task.idle.ms", 0L)));
    }
}
