package io.taintwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.synth.SyntheticChain;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** The taint application of several chains: a task per chain, each with the flows its chain's engine alone gives. */
class MultiChainTopologyTest {
    static final List<ChainId> CHAINS = List.of(new ChainId(1, "ethereum"), new ChainId(137, "polygon"), new ChainId(56, "bsc"));
    static final SyntheticChain.Params SHAPE = new SyntheticChain.Params(42, 5_000, 60, 3, 20, 3, 40_000);

    static List<TaintTopologyConfig> configs() {
        return CHAINS.stream().map(c -> TaintTopologyConfig.live(c, TaintConfig.defaults())).toList();
    }

    @Test
    void eachChainsEngineIsASubtopologyOfItsOwnReadingItsBlocksAndItsShareOfTheReferenceData() {
        TopologyDescription d = TaintTopology.build(configs(), ReferencePositions.none(), new SimpleMeterRegistry()).describe();
        assertThat(d.subtopologies()).hasSize(1 + CHAINS.size());
        Set<Set<String>> sources = d.subtopologies().stream().map(MultiChainTopologyTest::topics).collect(Collectors.toSet());
        Set<Set<String>> expected = new java.util.HashSet<>();
        expected.add(Set.of("watchlist", "labels"));
        for (ChainId c : CHAINS) {
            // a repartition topic as the description names it; running, Kafka Streams puts the application id before it
            expected.add(Set.of(c.blocksTopic(), c.name() + "-taint-reference-repartition"));
        }
        assertThat(sources).isEqualTo(expected);
        assertThat(TaintTopology.referenceRepartitionTopic("app", CHAINS.get(0))).isEqualTo("app-ethereum-taint-reference-repartition");
    }

    private static Set<String> topics(TopologyDescription.Subtopology s) {
        Set<String> out = new TreeSet<>();
        for (TopologyDescription.Node n : s.nodes()) {
            if (n instanceof TopologyDescription.Source src) {
                out.addAll(src.topicSet());
            }
        }
        return out;
    }

    @Test
    void everyChainGetsTheFlowsItsEngineAloneGivesFromTheSharedSeedsAndLabels() throws Exception {
        Map<ChainId, List<Block>> blocks = new java.util.LinkedHashMap<>();
        List<Seed> seeds = null;
        List<Entity> labels = null;
        for (ChainId c : CHAINS) {
            // the same shape and seed on every chain: the same thieves and exchanges, so the shared watchlist matters to each
            SyntheticChain synth = new SyntheticChain(c, SHAPE, 1);
            List<Block> bs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                bs.add(synth.next());
            }
            blocks.put(c, bs);
            seeds = synth.seeds();
            labels = synth.labels();
        }
        Properties p = StreamsSettings.of("ttd", "unused:9092", Files.createTempDirectory("tw-multi-"), Map.of("max.task.idle.ms", 0L));
        Topology topology = TaintTopology.build(configs(), ReferencePositions.none(), new SimpleMeterRegistry());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, p)) {
            TestInputTopic<String, Seed> watchlist = driver.createInputTopic("watchlist", new StringSerializer(), TaintSerdes.seeds().serializer());
            TestInputTopic<String, Entity> labelTopic = driver.createInputTopic("labels", new StringSerializer(), TaintSerdes.entities().serializer());
            seeds.forEach(s -> watchlist.pipeInput(s.address().toString(), s, 0L));
            labels.forEach(e -> labelTopic.pipeInput(e.address().toString(), e, 0L));
            for (int i = 0; i < 60; i++) {
                for (ChainId c : CHAINS) {
                    Block b = blocks.get(c).get(i);
                    driver.createInputTopic(c.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer())
                        .pipeInput(Long.toString(c.id()), b, b.timestamp() * 1000);
                }
            }
            for (ChainId c : CHAINS) {
                List<String> out = driver.createOutputTopic(c.flowsTopic(), new StringDeserializer(), new ByteArrayDeserializer()).readValuesToList()
                    .stream().map(HexFormat.of()::formatHex).toList();
                TaintEngine alone = new TaintEngine(c, TaintConfig.defaults());
                seeds.forEach(alone::putSeed);
                labels.forEach(alone::putLabel);
                List<String> expected = new ArrayList<>();
                for (Block b : blocks.get(c)) {
                    alone.process(b).flows().stream().map(f -> HexFormat.of().formatHex(FlowCodec.encode(f))).forEach(expected::add);
                }
                assertThat(expected).as("flows of %s", c.name()).hasSizeGreaterThan(20);
                assertThat(out).as("flows of %s", c.name()).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void chainsThatReadDifferentReferenceTopicsAreRefused() {
        List<TaintTopologyConfig> c = List.of(TaintTopologyConfig.live(CHAINS.get(0), TaintConfig.defaults()),
            TaintTopologyConfig.live(CHAINS.get(1), TaintConfig.defaults()).withTopics(CHAINS.get(1).blocksTopic(), "other-watchlist", "labels",
                CHAINS.get(1).flowsTopic()));
        assertThatThrownBy(() -> TaintTopology.build(c, ReferencePositions.none(), new SimpleMeterRegistry()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different reference topics");
    }
}
