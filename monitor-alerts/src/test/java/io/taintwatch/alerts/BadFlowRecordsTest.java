package io.taintwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.Seed;
import io.taintwatch.model.Entity;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.testing.Chain;
import io.taintwatch.topology.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad records on the alert service's input, {@code taint-flows.<chain>}: with the service's own Streams settings
 * (the dead-letter handler) each is skipped to the DLQ and the good flows after them still become alerts, exactly
 * the alerts of a run without the bad records.
 */
class BadFlowRecordsTest {
    @TempDir
    Path dir;

    private final Scenario scenario = new Scenario();
    private TopologyTestDriver driver;
    private TestOutputTopic<String, Alert> alerts;
    private TestInputTopic<String, TaintFlow> flows;
    private TestInputTopic<String, byte[]> rawFlows;
    private TestInputTopic<String, Block> blocks;

    @BeforeEach
    void start() {
        start(dir.resolve("with-bad"));
    }

    private void start(Path state) {
        AlertsConfig cfg = Scenario.config("unused:9092", state, true);
        Properties p = AlertsService.streamsProperties(cfg);
        assertThat(p.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetterHandler.class);
        driver = new TopologyTestDriver(AlertsTopology.build(cfg, TaintSerdes.flows(), TaintSerdes.blocks(),
            new AlertMetrics(new SimpleMeterRegistry())), p);
        TestInputTopic<String, Seed> watchlist = driver.createInputTopic("watchlist", new StringSerializer(), AlertSerdes.seed().serializer());
        TestInputTopic<String, Entity> labels = driver.createInputTopic("labels", new StringSerializer(), AlertSerdes.entity().serializer());
        scenario.seeds.forEach(s -> watchlist.pipeInput(s.address().toString(), s));
        scenario.labels.forEach(e -> labels.pipeInput(e.address().toString(), e));
        blocks = driver.createInputTopic(Chain.CHAIN.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
        flows = driver.createInputTopic(Chain.CHAIN.flowsTopic(), new StringSerializer(), TaintSerdes.flows().serializer());
        rawFlows = driver.createInputTopic(Chain.CHAIN.flowsTopic(), new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic("alerts", new StringDeserializer(), AlertSerdes.alert().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void badFlowRecordsAreSkippedAndLaterFlowsStillBecomeTheSameAlerts() {
        int bad = 0;
        for (Block b : scenario.blocks) {
            blocks.pipeInput(Long.toString(b.chain().id()), b);
            for (TaintFlow f : scenario.flows) {
                if (f.position().block() == b.number()) {
                    byte[] good = FlowCodec.encode(f);
                    // before every good flow, a bad one of another kind
                    rawFlows.pipeInput(f.to().toString(), switch (bad++ % 5) {
                        case 0 -> "not a flow".getBytes(StandardCharsets.UTF_8);
                        case 1 -> Arrays.copyOf(good, good.length / 2);
                        case 2 -> flipped(good);
                        case 3 -> concat(good, groups());
                        default -> new byte[] {0x08, 0x02};
                    });
                    flows.pipeInput(f.to().toString(), f);
                }
            }
        }
        List<Alert> withBad = alerts.readValuesToList();
        assertThat(bad).isGreaterThan(5);

        // the same scenario without bad records gives the same alerts
        stop();
        start(dir.resolve("clean"));
        for (Block b : scenario.blocks) {
            blocks.pipeInput(Long.toString(b.chain().id()), b);
            scenario.flows.stream().filter(f -> f.position().block() == b.number()).forEach(f -> flows.pipeInput(f.to().toString(), f));
        }
        List<Alert> clean = alerts.readValuesToList();
        assertThat(clean).isNotEmpty();
        assertThat(withBad).extracting(Alert::id).containsExactlyElementsOf(clean.stream().map(Alert::id).toList());
        assertThat(withBad).extracting(Alert::version).containsExactlyElementsOf(clean.stream().map(Alert::version).toList());
    }

    /** The schema version byte of a flow record set to 9: an unknown version. */
    private static byte[] flipped(byte[] good) {
        byte[] b = good.clone();
        b[1] = 9;
        return b;
    }

    private static byte[] groups() {
        byte[] g = new byte[10_000];
        for (int i = 0; i < g.length; i += 2) {
            g[i] = (byte) 0x93;
            g[i + 1] = 0x03;
        }
        return g;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
