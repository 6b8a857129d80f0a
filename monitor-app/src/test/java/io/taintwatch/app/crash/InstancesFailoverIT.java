package io.taintwatch.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.alerts.AlertJson;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.Json;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.synth.SyntheticChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three chains, two taint instances and two alert service instances, each its own JVM ({@code taintwatch taint|alerts}
 * with one configuration but its own state directory): the taint application spreads the chains over its instances and
 * the alert service its tasks, with standby replicas. While blocks of every chain arrive, one instance of each is killed
 * with SIGKILL and not restarted: the survivors take its tasks over (found by the consumer group's session timeout, as
 * in production), and the flows of every chain, the alerts (id and version) and the webhook deliveries equal an
 * uninterrupted single-instance run (the engine in process, the alert topology in a TopologyTestDriver).
 * <p>
 * Prints how long each takeover took: from the kill to the first commit of the victim's chains by the survivor
 * ({@code -Dtaintwatch.failover.standbys=0|1}; {@code -Dtaintwatch.failover.prefill=BLOCKS}, the blocks per chain
 * processed before the live part, and {@code -Dtaintwatch.failover.laundering=PER_MILLION}, the synthetic chains' laundering
 * legs per million, size the state to take over; docs/BENCHMARKS.md, "Failover").
 */
class InstancesFailoverIT {
    static final List<ChainId> CHAINS = List.of(new ChainId(7771, "chain1"), new ChainId(7772, "chain2"), new ChainId(7773, "chain3"));
    /** Live blocks per chain at least; more while a kill or a takeover is still to come. */
    static final int LIVE_BLOCKS = 240;
    static final int MAX_LIVE_BLOCKS = 6 * LIVE_BLOCKS;
    static final int SESSION_TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;

    @Test
    void survivorsTakeOverAKilledTaintAndAlertsInstanceAndTheOutputEqualsOneInstancesRun() throws Exception {
        long started = System.nanoTime();
        int standbys = Integer.getInteger("taintwatch.failover.standbys", 1);
        int prefill = Integer.getInteger("taintwatch.failover.prefill", 120);
        int laundering = Integer.getInteger("taintwatch.failover.laundering", 40_000);
        Path logs = CrashKit.logDir(getClass());

        Map<ChainId, SyntheticChain> synth = new LinkedHashMap<>();
        Map<ChainId, List<Block>> blocks = new LinkedHashMap<>();
        List<Seed> seeds = new ArrayList<>();
        List<Entity> labels = new ArrayList<>();
        for (int i = 0; i < CHAINS.size(); i++) {
            ChainId c = CHAINS.get(i);
            SyntheticChain s = new SyntheticChain(c, new SyntheticChain.Params(42 + i, 5_000, 60, 3, 20, 3, laundering), 1);
            synth.put(c, s);
            blocks.put(c, new ArrayList<>());
            seeds.addAll(s.seeds());
            labels.addAll(s.labels());
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, CrashKit.BROKER);
             CrashKit.Receiver rx = new CrashKit.Receiver();
             Admin admin = CrashKit.admin(kafka.bootstrapServers())) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, String> keys = new TreeMap<>();
            keys.put("kafka.bootstrap-servers", bootstrap);
            keys.put("chains", String.join(",", CHAINS.stream().map(ChainId::name).toList()));
            for (ChainId c : CHAINS) {
                keys.put("chain." + c.name() + ".id", Long.toString(c.id()));
                // no ingest part runs here: blocks are produced by the test
                keys.put("chain." + c.name() + ".rpc-urls", "http://127.0.0.1:9/not-used");
            }
            keys.put("metrics.port", "0");
            keys.put("http.port", "0");
            // alerts and the alert service's candidates by dedup group in two partitions: its instances share them
            keys.put("topics.create.partitions", "2");
            keys.put("taint.standby-replicas", Integer.toString(standbys));
            keys.put("alerts.standby-replicas", Integer.toString(standbys));
            keys.put("kafka.client.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
            keys.put("alerts.own.entity-names", "Exchange 0 deposit");
            keys.put("alerts.webhooks", "rx");
            keys.put("alerts.webhook.rx.url", rx.uri().toString());
            keys.put("alerts.webhook.rx.secret", CrashKit.WEBHOOK_SECRET);
            Map<String, Path> configs = new LinkedHashMap<>();
            for (String name : List.of("taint-a", "taint-b", "alerts-a", "alerts-b")) {
                keys.put("state.dir", dir.resolve(name + "-state").toString());
                // the instance's Kafka clients are named after it: the group's members say which instance has which task
                keys.put("kafka.client.client.id", name);
                configs.put(name, CrashKit.config(dir.resolve(name + ".properties"), keys));
            }
            PipelineConfig settings = CrashKit.settings(configs.get("alerts-a"));
            String taintGroup = settings.taintApplicationId();
            String alertsGroup = settings.alerts().applicationId();
            settings.topics().ensure(settings.kafka(), CHAINS);
            try (KafkaProducer<String, byte[]> p = EngineAndAlertsCrashIT.producer(bootstrap)) {
                seeds.forEach(x -> p.send(new ProducerRecord<>("watchlist", x.address().toString(), Json.seedBytes(x))));
                labels.forEach(x -> p.send(new ProducerRecord<>("labels", x.address().toString(), Json.entityBytes(x))));
            }

            Map<String, Child> children = new LinkedHashMap<>();
            configs.forEach((name, file) -> children.put(name, Child.start(name, logs.resolve(name + ".log"),
                List.of(name.startsWith("taint") ? "taint" : "alerts", "-c", file.toString()))));
            Predicate<String> dead = name -> !children.get(name).alive();
            try {
                // live seeds take effect from the next block processed: every chain's engine reads them before any block exists
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .failFast("a taint instance exited", () -> dead.test("taint-a") || dead.test("taint-b"))
                    .until(() -> CHAINS.stream().allMatch(c -> CrashKit.referenceApplied(admin, taintGroup, c, seeds.size(), labels.size())));
                // both taint instances run chains before anything is killed
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !chainsOf(admin, taintGroup, "taint-a").isEmpty() && !chainsOf(admin, taintGroup, "taint-b").isEmpty());
                System.out.printf("failover: taint-a runs %s, taint-b runs %s%n", chainsOf(admin, taintGroup, "taint-a"),
                    chainsOf(admin, taintGroup, "taint-b"));

                // state to take over: prefill blocks per chain, processed before the live part starts
                try (KafkaProducer<String, byte[]> p = EngineAndAlertsCrashIT.producer(bootstrap)) {
                    for (int i = 0; i < prefill; i++) {
                        for (ChainId c : CHAINS) {
                            send(p, c, next(synth, blocks, c));
                        }
                    }
                }
                Awaitility.await().atMost(Duration.ofSeconds(600)).pollInterval(Duration.ofSeconds(1))
                    .failFast("a part exited", () -> children.keySet().stream().anyMatch(dead))
                    .until(() -> CHAINS.stream().allMatch(c -> CrashKit.caughtUp(admin, taintGroup, c.blocksTopic())));
                long tracked = tracked(settings, seeds, labels, blocks);
                for (String name : List.of("taint-a", "taint-b")) {
                    System.out.printf("sizing: %s runs %s after the prefill (%d tracked addresses in all chains): live heap %d bytes, state "
                        + "directory %d bytes%n", name, chainsOf(admin, taintGroup, name), tracked, liveHeap(children.get(name)),
                        Sizes.directory(dir.resolve(name + "-state")));
                }
                Map<String, Long> cpuAtStart = new LinkedHashMap<>();
                children.forEach((name, child) -> cpuAtStart.put(name, Sizes.cpuMillis(child.pid())));
                long liveStart = System.nanoTime();
                int blocksAtStart = blocks.get(CHAINS.get(0)).size();

                // the live part: blocks of every chain keep arriving until both takeovers are done
                AtomicBoolean takeoversDone = new AtomicBoolean();
                AtomicReference<Throwable> feedFailure = new AtomicReference<>();
                Thread feeder = Thread.ofPlatform().name("failover-feeder").start(() -> {
                    try (KafkaProducer<String, byte[]> p = EngineAndAlertsCrashIT.producer(bootstrap)) {
                        for (int i = 0; i < LIVE_BLOCKS || !takeoversDone.get() && i < MAX_LIVE_BLOCKS; i++) {
                            for (ChainId c : CHAINS) {
                                send(p, c, next(synth, blocks, c));
                            }
                            if (i % 2 == 1) {
                                p.flush();
                                Thread.sleep(200);
                            }
                        }
                    } catch (Throwable t) {
                        feedFailure.set(t);
                    }
                });
                try {
                    long flowsAtStart = flowsWritten(admin);
                    // long enough a window to say what the instances use at this rate
                    Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200))
                        .until(() -> flowsWritten(admin) >= flowsAtStart + 60 && System.nanoTime() - liveStart > 30_000_000_000L);
                    double wall = (System.nanoTime() - liveStart) / 1e9;
                    int live = blocks.get(CHAINS.get(0)).size() - blocksAtStart;
                    children.forEach((name, child) -> System.out.printf("sizing: %s used %.3f cores over %.1f s of the live part (%d blocks "
                        + "of 60 legs per chain)%n", name, (Sizes.cpuMillis(child.pid()) - cpuAtStart.get(name)) / 1000.0 / wall, wall, live));
                    takeOver(admin, children, victim(admin, taintGroup, "taint-a", "taint-b"), taintGroup, standbys);

                    long alertsAtKill = CrashKit.written(admin, "alerts");
                    Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200))
                        .until(() -> CrashKit.written(admin, "alerts") >= alertsAtKill + 20);
                    takeOver(admin, children, victim(admin, alertsGroup, "alerts-a", "alerts-b"), alertsGroup, standbys);
                } finally {
                    takeoversDone.set(true);
                }
                feeder.join();
                assertThat(feedFailure.get()).isNull();

                List<String> survivors = children.keySet().stream().filter(n -> children.get(n).alive()).toList();
                assertThat(survivors).hasSize(2);
                Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(2))
                    .failFast("a survivor exited", () -> survivors.stream().anyMatch(dead))
                    .until(() -> CHAINS.stream().allMatch(c -> CrashKit.caughtUp(admin, taintGroup, c.blocksTopic())
                        && CrashKit.caughtUp(admin, alertsGroup, CrashKit.alertsInputs(alertsGroup, c))));

                // the uninterrupted single-instance run over the blocks fed
                Map<ChainId, List<TaintFlow>> flows = new LinkedHashMap<>();
                for (ChainId c : CHAINS) {
                    flows.put(c, CrashKit.expectedFlows(settings, c, seeds, labels, blocks.get(c)));
                    assertThat(flows.get(c)).as("flows of %s", c.name()).hasSizeGreaterThan(100);
                    CrashKit.assertFlows(bootstrap, c.flowsTopic(), flows.get(c), 0);
                }
                Map<String, Alert> alerts = CrashKit.expectedAlerts(CrashKit.alertsConfig(settings, dir.resolve("ref")), seeds, labels, List.of(),
                    blocks, flows, dir.resolve("ref"));
                assertThat(alerts.values().stream().map(a -> a.chain()).distinct()).as("alerts on every chain").hasSize(CHAINS.size());
                CrashKit.assertAlerts(bootstrap, "alerts", alerts, 0);
                Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(new HashSet<>(rx.accepted())).as("webhook deliveries").isEqualTo(alerts.keySet()));
                rx.bodies.forEach((k, body) -> assertThat(AlertJson.parse(body)).isEqualTo(alerts.get(k)));
                System.out.printf("failover: %d blocks per chain (%d prefill), %d flows, %d alert versions%n", blocks.get(CHAINS.get(0)).size(),
                    prefill, flows.values().stream().mapToInt(List::size).sum(), alerts.size());
            } finally {
                for (Child c : children.values()) {
                    if (c.alive()) {
                        c.stop();
                    }
                }
            }
            // a clean stop flushes the stores' memtables: the directory then holds the state
            System.out.printf("sizing: after the survivors' clean stop, %d tracked addresses in all chains: state directory of taint-a %d, "
                + "taint-b %d bytes%n", tracked(settings, seeds, labels, blocks), Sizes.directory(dir.resolve("taint-a-state")),
                Sizes.directory(dir.resolve("taint-b-state")));
            System.out.printf("failover: test took %.0f s%n", (System.nanoTime() - started) / 1e9);
        }
    }

    /** The addresses the engines track after {@code blocks}, in all chains. */
    private static long tracked(PipelineConfig settings, List<Seed> seeds, List<Entity> labels, Map<ChainId, List<Block>> blocks) {
        long n = 0;
        for (Map.Entry<ChainId, List<Block>> e : blocks.entrySet()) {
            io.taintwatch.taint.TaintEngine engine = new io.taintwatch.taint.TaintEngine(e.getKey(), settings.taint(), settings.nativeAsset(e.getKey()));
            seeds.forEach(engine::putSeed);
            labels.forEach(engine::putLabel);
            e.getValue().forEach(engine::process);
            n += engine.trackedCount();
        }
        return n;
    }

    /** The instance to kill: the first that runs a task reading blocks or flows. */
    private static String victim(Admin admin, String group, String... instances) {
        for (String i : instances) {
            if (!partitionsOf(admin, group, i, InstancesFailoverIT::input).isEmpty()) {
                return i;
            }
        }
        throw new AssertionError("no instance of " + group + " runs a task");
    }

    private static boolean input(TopicPartition tp) {
        return tp.topic().startsWith("blocks.") || tp.topic().startsWith("taint-flows.");
    }

    /**
     * Kills {@code victim} with SIGKILL and waits until the survivor has committed progress on every blocks and flows
     * partition the victim had; prints how long that took for each.
     */
    private static void takeOver(Admin admin, Map<String, Child> children, String victim, String group, int standbys) throws Exception {
        Set<TopicPartition> owned = partitionsOf(admin, group, victim, InstancesFailoverIT::input);
        long killed = System.nanoTime();
        children.get(victim).kill();
        // a commit the victim sent before it died may still be completed by the broker: the offsets it leaves, a moment later
        Thread.sleep(1_000);
        Map<TopicPartition, Long> before = new LinkedHashMap<>();
        for (TopicPartition tp : owned) {
            before.put(tp, committed(admin, group, tp));
        }
        Map<TopicPartition, Long> tookOver = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (TopicPartition tp : owned) {
                if (!tookOver.containsKey(tp) && committed(admin, group, tp) > before.get(tp)) {
                    tookOver.put(tp, (System.nanoTime() - killed) / 1_000_000);
                }
            }
            return tookOver.size() == owned.size();
        });
        System.out.printf("failover: %s killed (standby replicas %d, session timeout %d ms); the survivor committed %s after (ms) %s%n",
            victim, standbys, SESSION_TIMEOUT_MS, group, tookOver);
    }

    /** A group's last committed offset of a partition (committed transactions only), or -1. */
    private static long committed(Admin admin, String group, TopicPartition tp) throws Exception {
        var o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        return o == null ? -1 : o.offset();
    }

    private static Set<String> chainsOf(Admin admin, String group, String instance) {
        Set<String> out = new TreeSet<>();
        partitionsOf(admin, group, instance, tp -> tp.topic().startsWith("blocks.")).forEach(tp -> out.add(tp.topic()));
        return out;
    }

    /** The partitions {@code instance}'s members of the group are assigned (its clients are named after it). */
    private static Set<TopicPartition> partitionsOf(Admin admin, String group, String instance, Predicate<TopicPartition> which) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            Set<TopicPartition> out = new HashSet<>();
            for (MemberDescription m : d.members()) {
                if (m.clientId().startsWith(instance + "-")) {
                    m.assignment().topicPartitions().stream().filter(which).forEach(out::add);
                }
            }
            return out;
        } catch (ExecutionException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bytes of live objects in a child's heap after a full collection ({@code jcmd GC.class_histogram}, which runs one). */
    private static long liveHeap(Child child) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(child.pid()),
            "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        String total = out.lines().filter(l -> l.startsWith("Total")).findFirst().orElseThrow(() -> new AssertionError("jcmd: " + out));
        return Long.parseLong(total.trim().split("\\s+")[2]);
    }

    private static long flowsWritten(Admin admin) {
        return CHAINS.stream().mapToLong(c -> CrashKit.written(admin, c.flowsTopic())).sum();
    }

    private static Block next(Map<ChainId, SyntheticChain> synth, Map<ChainId, List<Block>> blocks, ChainId c) {
        Block b = synth.get(c).next();
        blocks.get(c).add(b);
        return b;
    }

    private static void send(KafkaProducer<String, byte[]> p, ChainId c, Block b) {
        p.send(new ProducerRecord<>(c.blocksTopic(), null, b.timestamp() * 1000, Long.toString(c.id()),
            TaintSerdes.blocks().serializer().serialize(c.blocksTopic(), b)));
    }
}
