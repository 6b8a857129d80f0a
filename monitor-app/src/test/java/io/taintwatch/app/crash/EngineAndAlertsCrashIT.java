package io.taintwatch.app.crash;

import static io.taintwatch.app.crash.CrashKit.encodedHex;
import static io.taintwatch.app.crash.CrashKit.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.alerts.AlertJson;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.crash.Chaos.Victim;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.Json;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.synth.SyntheticChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The taint engine and the alert service, each in its own JVM ({@code taintwatch taint} / {@code taintwatch alerts}),
 * are killed with SIGKILL at seeded random points while blocks keep arriving, and restarted (once each on a wiped
 * state directory). The committed flows, the alerts topic and the webhook deliveries must equal an uninterrupted run:
 * the engine in process and the alert topology in a TopologyTestDriver over the same input.
 * <p>
 * Blocks keep arriving until every planned kill is done (at least {@value #BLOCKS}, at most {@value #MAX_BLOCKS}), so a
 * kill planned after "N more outputs since the restart" always finds work: with a fixed feed, a restart that caught up
 * the whole backlog in one transaction left nothing to do, and the last kill never came (CI, seed 47823631884325).
 */
class EngineAndAlertsCrashIT {
    static final ChainId CHAIN = new ChainId(777, "crash");
    static final int BLOCKS = 480;
    static final int MAX_BLOCKS = 4 * BLOCKS;
    static final int KILLS_EACH = 3;

    @TempDir
    Path dir;

    @Test
    void killedEngineAndAlertServiceLoseAndDuplicateNothing() throws Exception {
        long seed = Chaos.seed();
        Path logs = CrashKit.logDir(getClass());
        System.out.println("crash: seed " + seed + " (rerun with -Dtaintwatch.crash.seed=" + seed + ")");

        SyntheticChain synth = new SyntheticChain(CHAIN, new SyntheticChain.Params(42, 5_000, 60, 3, 20, 3, 40_000), 1);
        // the first BLOCKS blocks size the kill plans; the feeder draws more from synth while kills are still planned
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            blocks.add(synth.next());
        }
        // one theft is a sanctioned address instead, so that sanctioned direct exposure fires too
        List<Seed> seeds = new ArrayList<>(synth.seeds());
        Seed first = seeds.get(0);
        seeds.set(0, new Seed(first.address(), "synthetic:sanctioned-0", Category.SANCTIONS, 0, "crash test SDN"));
        List<Entity> labels = synth.labels();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, CrashKit.BROKER);
             CrashKit.Receiver rx = new CrashKit.Receiver();
             Admin admin = CrashKit.admin(kafka.bootstrapServers())) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> keys = new TreeMap<>(Map.of(
                "kafka.bootstrap-servers", bootstrap,
                "chains", CHAIN.name(),
                "chain.crash.id", Long.toString(CHAIN.id()),
                // no ingest part runs here: blocks are produced by the test
                "chain.crash.rpc-urls", "http://127.0.0.1:9/not-used",
                "metrics.port", "0",
                "http.port", "0",
                "alerts.own.entity-names", "Exchange 0 deposit",
                "alerts.webhooks", "rx",
                "alerts.webhook.rx.url", rx.uri().toString(),
                "alerts.webhook.rx.secret", CrashKit.WEBHOOK_SECRET));
            keys.put("state.dir", dir.resolve("taint-state").toString());
            Path taintConfig = CrashKit.config(dir.resolve("taint.properties"), keys);
            keys.put("state.dir", dir.resolve("alerts-state").toString());
            Path alertsConfig = CrashKit.config(dir.resolve("alerts.properties"), keys);

            PipelineConfig settings = CrashKit.settings(alertsConfig);
            ChainId chain = settings.chainIds().get(0);
            int plannedFlows = CrashKit.expectedFlows(settings, chain, seeds, labels, blocks).size();
            assertThat(plannedFlows).as("the synthetic chain launders enough").isGreaterThan(200);

            settings.topics().ensure(settings.kafka(), List.of(CHAIN));
            try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
                seeds.forEach(x -> p.send(new ProducerRecord<>("watchlist", x.address().toString(), Json.seedBytes(x))));
                labels.forEach(x -> p.send(new ProducerRecord<>("labels", x.address().toString(), Json.entityBytes(x))));
            }

            String taintGroup = settings.taintApplicationId();
            Chaos chaos = new Chaos(seed, admin);
            Victim taint = chaos.victim("taint engine",
                i -> Child.start("taint#" + i, logs.resolve("taint-" + i + ".log"), List.of("taint", "-c", taintConfig.toString())),
                () -> CrashKit.written(admin, CHAIN.flowsTopic()), List.of(taintGroup), dir.resolve("taint-state"), KILLS_EACH,
                plannedFlows / 8);
            Victim alert = chaos.victim("alert service",
                i -> Child.start("alerts#" + i, logs.resolve("alerts-" + i + ".log"), List.of("alerts", "-c", alertsConfig.toString())),
                () -> CrashKit.written(admin, "alerts"), List.of("taintwatch-alerts", "taintwatch-webhook-rx"), dir.resolve("alerts-state"),
                // alert versions come at about 0.8 per flow
                KILLS_EACH, plannedFlows / 10);
            chaos.launchAll();
            List<TaintFlow> flows;
            Map<String, Alert> alerts;
            AtomicBoolean chaosDone = new AtomicBoolean();
            try {
                // live seeds take effect from the next block processed: let the engine read them before any block exists
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .failFast("the engine exited", () -> !taint.child.alive())
                    .until(() -> CrashKit.referenceApplied(admin, taintGroup, CHAIN, seeds.size(), labels.size()));

                // the "ingest": blocks keep arriving, a few at a time, until every planned kill is done
                AtomicReference<Throwable> feedFailure = new AtomicReference<>();
                Thread feeder = Thread.ofPlatform().name("crash-feeder").start(() -> {
                    try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
                        for (int i = 0; i < BLOCKS || !chaosDone.get() && i < MAX_BLOCKS; i++) {
                            if (i == blocks.size()) {
                                blocks.add(synth.next());
                            }
                            Block b = blocks.get(i);
                            p.send(new ProducerRecord<>(CHAIN.blocksTopic(), null, b.timestamp() * 1000, Long.toString(CHAIN.id()),
                                TaintSerdes.blocks().serializer().serialize(CHAIN.blocksTopic(), b)));
                            if (i % 6 == 5) {
                                p.flush();
                                Thread.sleep(200);
                            }
                        }
                    } catch (Throwable t) {
                        feedFailure.set(t);
                    }
                });

                try {
                    chaos.run(Duration.ofSeconds(240));
                } finally {
                    chaosDone.set(true);
                }
                feeder.join();
                assertThat(feedFailure.get()).isNull();

                // the uninterrupted run over the blocks fed, in process
                flows = CrashKit.expectedFlows(settings, chain, seeds, labels, blocks);
                alerts = CrashKit.expectedAlerts(CrashKit.alertsConfig(settings, dir.resolve("ref")), chain, seeds, labels,
                    List.of(), blocks, flows, dir.resolve("ref"));
                Set<AlertRule> rules = alerts.values().stream().map(Alert::rule).collect(Collectors.toSet());
                System.out.printf("crash: reference %d blocks, %d flows, %d alert versions of %d alerts, rules %s%n", blocks.size(),
                    flows.size(), alerts.size(), alerts.values().stream().map(Alert::id).distinct().count(), rules);
                assertThat(alerts).hasSizeGreaterThan(40);
                assertThat(rules).contains(AlertRule.TAINTED_TO_EXCHANGE, AlertRule.OWN_DEPOSIT_TAINTED, AlertRule.WATCHLIST_MOVEMENT,
                    AlertRule.SANCTIONED_DIRECT);

                // the last instances run undisturbed until every input is consumed and committed, stage by stage
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(2))
                    .failFast("a part exited", () -> !taint.child.alive() || !alert.child.alive())
                    .until(() -> CrashKit.caughtUp(admin, taintGroup, CHAIN.blocksTopic())
                        && CrashKit.caughtUp(admin, "taintwatch-alerts", CrashKit.alertsInputs("taintwatch-alerts", CHAIN)));
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(new HashSet<>(rx.accepted())).as("webhook deliveries (seed %d)", seed).isEqualTo(alerts.keySet()));
            } finally {
                for (Victim v : chaos.victims()) {
                    v.child.stop();
                }
            }
            System.out.println("crash: " + chaos.status().strip());
            for (Victim v : chaos.victims()) {
                assertThat(v.kills).as(v.name + " kills").isEqualTo(KILLS_EACH);
                assertThat(v.wipes).as(v.name + " restarts on a wiped state dir").isEqualTo(1);
            }
            // every block consumed and committed: no output can still be on its way
            assertThat(CrashKit.committed(admin, taintGroup, CHAIN.blocksTopic())).isEqualTo(CrashKit.written(admin, CHAIN.blocksTopic()));

            CrashKit.assertFlows(bootstrap, CHAIN.flowsTopic(), flows, seed);
            CrashKit.assertAlerts(bootstrap, "alerts", alerts, seed);

            // webhooks: at least once, signed, no gaps; a version is first delivered only after its predecessor
            List<String> delivered = rx.accepted();
            assertThat(rx.badSignatures.get()).isZero();
            assertThat(new HashSet<>(delivered)).isEqualTo(alerts.keySet());
            Set<String> seen = new HashSet<>();
            for (String k : delivered) {
                Alert a = alerts.get(k);
                if (a.version() > 1) {
                    assertThat(seen).as("%s delivered before version %d", k, a.version() - 1).contains(a.id() + "#" + (a.version() - 1));
                }
                seen.add(k);
            }
            rx.bodies.forEach((k, body) -> assertThat(AlertJson.parse(body)).isEqualTo(alerts.get(k)));
            Map<String, Long> repeats = new LinkedHashMap<>();
            delivered.stream().collect(Collectors.groupingBy(k -> k, Collectors.counting())).forEach((k, n) -> {
                if (n > 1) {
                    repeats.put(k, n);
                }
            });
            System.out.printf("crash: %d webhook deliveries for %d alert versions (%d versions re-delivered after a kill)%n",
                delivered.size(), alerts.size(), repeats.size());
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
