package io.taintwatch.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.alerts.AlertJson;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.app.crash.Chaos.Victim;
import io.taintwatch.app.deploy.DeployFiles;
import io.taintwatch.app.replay.Cli;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.embedded.LoopbackPorts;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.LaunderingStory;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.ingest.IngestConfig;
import io.taintwatch.ingest.IngestService;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.labels.NormalisedCsv;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.Severity;
import io.taintwatch.model.TaintFlow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production path as operators deploy it: a Kafka broker in its own process, anvil playing the laundering story, and
 * ingest, taint and alerts as three separate {@code taintwatch run --parts X} processes, each with the shipped
 * {@code deploy/config/taintwatch.yaml} and the environment that {@code deploy/docker-compose.yml} gives its service
 * (the .env variables, a state volume per service, the published ports). The seed and labels are published with
 * {@code taintwatch labels import --publish --config}. Each process is killed with SIGKILL at seeded random points (the
 * taint and alerts processes once on a wiped state volume) and restarted; at the end each is stopped with SIGTERM.
 * <p>
 * The blocks topic must equal an uninterrupted ingest of the same chain, and flows and alerts the uninterrupted run over
 * those blocks with the same configuration (the crash tests' comparison); the file's severity setting must change the
 * alerts; the webhook endpoint the file filters to high and severe receives exactly those; the alert API, bound to
 * 0.0.0.0 by the file, answers at 127.0.0.2; every process turns ready and stops cleanly on SIGTERM.
 */
class ProductionPathIT {
    static final int INGEST_KILLS = 2;
    static final int TAINT_KILLS = 2;
    static final int ALERTS_KILLS = 1;
    static final String API_TOKEN = "production-path-api-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void threeProcessesFromTheShippedConfigurationLoseAndDuplicateNothing() throws Exception {
        // the image holds this build's jars (ProductionPathImageIT checks): the run in it covers this one, in CI's time budget
        Assumptions.assumeTrue(getClass() != ProductionPathIT.class || System.getProperty(ProductionPathImageIT.IMAGE_PROPERTY, "").isBlank(),
            "an image is given (-D" + ProductionPathImageIT.IMAGE_PROPERTY + "): ProductionPathImageIT runs this test in it");
        long started = System.nanoTime();
        long seed = Chaos.seed();
        Path logs = CrashKit.logDir(getClass());
        System.out.println("crash: seed " + seed + " (rerun with -Dtaintwatch.crash.seed=" + seed + ")");
        Child broker = Child.java("broker", logs.resolve("broker.log"), EmbeddedKafka.class.getName(),
            List.of(dir.resolve("kafka").toString(), "log.cleaner.enable=false"), Map.of());
        try (Anvil anvil = Anvil.start();
             CrashKit.Receiver rx = new CrashKit.Receiver()) {
            String bootstrap = broker.awaitLine("bootstrap=", Duration.ofSeconds(120));
            try (Admin admin = CrashKit.admin(bootstrap)) {
                run(seed, logs, bootstrap, anvil, rx, admin);
            }
        } finally {
            broker.stop();
        }
        System.out.printf("crash: production path test took %.0f s (%s)%n", (System.nanoTime() - started) / 1e9, getClass().getSimpleName());
    }

    private void run(long seed, Path logs, String bootstrap, Anvil anvil, CrashKit.Receiver rx, Admin admin) throws Exception {
        Path shipped = DeployFiles.deploy().resolve("config/taintwatch.yaml");
        ChainId chain = new ChainId(anvil.chainId(), "ethereum");
        int[] ports = LoopbackPorts.free(5);
        int apiPort = ports[0];
        // taint and alerts each serve an API (exposure; alerts) on the API port of their own container: here, one host
        int taintApiPort = ports[4];
        Map<String, Integer> metricsPorts = Map.of("ingest", ports[1], "taint", ports[2], "alerts", ports[3]);
        PipelineConfig settings = new PipelineConfig(TaintwatchConfig.load(shipped, env("alerts", bootstrap, anvil, rx, apiPort, 0), Map.of()));
        String taintGroup = settings.taintApplicationId();
        String alertsGroup = settings.alerts().applicationId();
        Chaos chaos = new Chaos(seed, admin);
        AtomicReference<Seed> watched = new AtomicReference<>();
        AtomicReference<List<Entity>> labelled = new AtomicReference<>();
        CompletableFuture<Void> prepared = new CompletableFuture<>();
        AtomicBoolean chaosDone = new AtomicBoolean();

        LaunderingStory.Listener listener = new LaunderingStory.Listener() {
            @Override
            public void roundMined(String round, long head, int transactions) {
            }

            @Override
            public void casePrepared(Address hacker, List<Entity> labels, Map<String, Address> contracts) {
                try {
                    Seed s = new Seed(hacker, "crash-vault-hack", Category.THEFT, 0, "LendingVault exploit (production path test)");
                    watched.set(s);
                    labelled.set(labels);
                    // as an operator publishes them: the command takes the deployment's configuration
                    publishReferenceData(shipped, bootstrap, s, labels);
                    Victim taint = chaos.victim("taint", i -> part("taint", i, shipped, bootstrap, anvil, rx, taintApiPort, metricsPorts, logs),
                        () -> Math.max(0, CrashKit.committed(admin, taintGroup, chain.blocksTopic(), false)), List.of(taintGroup),
                        dir.resolve("taint-state"), TAINT_KILLS, 6);
                    Victim alerts = chaos.victim("alerts", i -> part("alerts", i, shipped, bootstrap, anvil, rx, apiPort, metricsPorts, logs),
                        () -> CrashKit.written(admin, settings.topics().alerts()), List.of(alertsGroup, "taintwatch-webhook-ops"),
                        dir.resolve("alerts-state"), ALERTS_KILLS, 4);
                    taint.launch();
                    alerts.launch();
                    // seeds and labels take effect from the next block processed: let the engine read them before
                    // ingest publishes the first block, so that the run is deterministic
                    Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                        .failFast("the taint process exited", () -> !taint.child.alive())
                        .until(() -> CrashKit.referenceApplied(admin, taintGroup, chain, 1, labels.size()));
                    Victim ingest = chaos.victim("ingest", i -> part("ingest", i, shipped, bootstrap, anvil, rx, apiPort, metricsPorts, logs),
                        () -> CrashKit.written(admin, chain.blocksTopic()), List.of(), null, INGEST_KILLS, 4);
                    ingest.launch();
                    prepared.complete(null);
                } catch (Throwable t) {
                    prepared.completeExceptionally(t);
                    throw new IllegalStateException(t);
                }
            }
        };

        // the story plays on its own thread; after it, empty blocks keep coming until every planned kill is done
        Devnet devnet = Devnet.connect(anvil);
        CompletableFuture<Void> story = CompletableFuture.runAsync(() -> {
            LaunderingStory.play(devnet, LaunderingStory.Config.defaults().withBackgroundAccounts(40).withNoise(2, 2, 12), listener);
            while (!chaosDone.get()) {
                anvil.mine();
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        try {
            prepared.get(300, TimeUnit.SECONDS);
            chaos.run(Duration.ofSeconds(420));
        } finally {
            chaosDone.set(true);
        }
        story.get(120, TimeUnit.SECONDS);
        long head = anvil.blockNumber();

        EvmChainConfig c = settings.ingestChains().get(0);
        List<Block> reference;
        List<TaintFlow> flows;
        Map<String, Alert> alerts;
        try {
            // the uninterrupted ingest of the same chain, in process, into its own topics
            EvmChainConfig ref = new EvmChainConfig(c.chain(), c.endpoints(), c.confirmations(), c.useFinalized(), c.nativeSymbol(),
                c.nativeDecimals(), c.wethContracts(), c.traceMode(), c.balances(), c.tokenMetadata(), c.batchBlocks(), c.pollInterval(),
                c.startBlock(), head, "blocks.reference");
            try (IngestService refIngest = IngestService.start(new IngestConfig(new KafkaSinkConfig(KafkaClients.plain(bootstrap),
                "reference-checkpoints", "reference-tokens", "reference-ingest-", true), RpcSettings.defaults(), List.of(ref)), IngestMetrics.noop())) {
                refIngest.awaitTermination();
                assertThat(refIngest.failures()).isEmpty();
            }
            reference = CrashKit.readCommitted(bootstrap, "blocks.reference").stream().map(r -> BlockCodec.decode(r.value())).toList();
            assertThat(reference).isNotEmpty();
            assertThat(reference.getLast().number()).isEqualTo(head);

            // blocks: every block once, in order, as the uninterrupted ingest publishes it
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> CrashKit.readCommitted(bootstrap, chain.blocksTopic()).size() >= reference.size());
            List<Block> published = CrashKit.readCommitted(bootstrap, chain.blocksTopic()).stream().map(r -> BlockCodec.decode(r.value())).toList();
            assertThat(published).as("blocks.%s (seed %d)", chain.name(), seed).containsExactlyElementsOf(reference);

            var tokens = CrashKit.readCommitted(bootstrap, settings.topics().tokens());
            flows = CrashKit.expectedFlows(settings, chain, List.of(watched.get()), labelled.get(), reference);
            alerts = CrashKit.expectedAlerts(CrashKit.alertsConfig(settings, dir.resolve("ref")), chain, List.of(watched.get()), labelled.get(),
                tokens, reference, flows, dir.resolve("ref"));
            System.out.printf("crash: reference %d blocks, %d flows, %d alert versions of %d alerts%n", reference.size(), flows.size(),
                alerts.size(), alerts.values().stream().map(Alert::id).distinct().count());
            assertThat(flows).hasSizeGreaterThan(20);
            assertThat(alerts).hasSizeGreaterThan(5);
            // the file's severity setting (a point for 10 ETH and more) changes the alerts: the same run with the defaults differs
            Map<String, Alert> withDefaults = CrashKit.expectedAlerts(CrashKit.alertsConfig(new PipelineConfig(TaintwatchConfig.of(
                    Map.of("chain.ethereum.id", Long.toString(chain.id())))), dir.resolve("ref-defaults")), chain, List.of(watched.get()),
                labelled.get(), tokens, reference, flows, dir.resolve("ref-defaults"));
            assertThat(severities(alerts)).as("the file's severity settings change some alert's severity").isNotEqualTo(severities(withDefaults));

            // every process turned ready, and the alert API, bound to 0.0.0.0 by the file, answers on another loopback address
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (var m : metricsPorts.entrySet()) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> status(http,
                    "http://127.0.0.1:" + m.getValue() + "/ready", null) == 200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> status(http, "http://127.0.0.2:" + apiPort + "/alerts", API_TOKEN) == 200);
            assertThat(status(http, "http://127.0.0.2:" + apiPort + "/alerts", null)).as("the API refuses a request without a token").isEqualTo(401);

            Victim alertsVictim = chaos.victims().stream().filter(v -> v.name.equals("alerts")).findFirst().orElseThrow();
            Victim taintVictim = chaos.victims().stream().filter(v -> v.name.equals("taint")).findFirst().orElseThrow();
            // every block is published: run until every input is consumed and committed, stage by stage
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(2))
                .failFast("a process exited", () -> !taintVictim.child.alive() || !alertsVictim.child.alive())
                .until(() -> CrashKit.caughtUp(admin, taintGroup, chain.blocksTopic())
                    && CrashKit.caughtUp(admin, alertsGroup, CrashKit.alertsInputs(alertsGroup, chain)));
            // the webhook endpoint the file filters to high and severe gets exactly those alert versions (repeats allowed)
            Set<String> pageable = alerts.entrySet().stream().filter(e -> e.getValue().severity() == Severity.HIGH
                || e.getValue().severity() == Severity.SEVERE).map(Map.Entry::getKey).collect(Collectors.toSet());
            assertThat(pageable).as("the story raises high or severe alerts").isNotEmpty();
            assertThat(pageable.size()).as("and alerts of other severities, which the filter holds back").isLessThan(alerts.size());
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(new HashSet<>(rx.accepted())).as("webhook deliveries (seed %d)", seed).isEqualTo(pageable));
            assertThat(rx.badSignatures.get()).isZero();
        } finally {
            // ingest first: then nothing new reaches the blocks topic while the others commit their last offsets
            List<Victim> order = new ArrayList<>(chaos.victims());
            order.sort((a, b) -> Integer.compare(rank(a.name), rank(b.name)));
            for (Victim v : order) {
                if (v.child.alive()) {
                    v.child.stopGracefully(Duration.ofSeconds(60));
                }
            }
        }
        System.out.println("crash: " + chaos.status().strip());
        for (Victim v : chaos.victims()) {
            int planned = switch (v.name) {
                case "ingest" -> INGEST_KILLS;
                case "taint" -> TAINT_KILLS;
                default -> ALERTS_KILLS;
            };
            assertThat(v.kills).as(v.name + " kills").isEqualTo(planned);
            assertThat(v.wipes).as(v.name + " restarts on a wiped state volume").isEqualTo(v.name.equals("ingest") ? 0 : 1);
        }
        // the engine consumed and committed the whole blocks topic: no output can still be on its way
        assertThat(CrashKit.committed(admin, taintGroup, chain.blocksTopic())).isEqualTo(CrashKit.written(admin, chain.blocksTopic()));
        CrashKit.assertFlows(bootstrap, chain.flowsTopic(), flows, seed);
        CrashKit.assertAlerts(bootstrap, settings.topics().alerts(), alerts, seed);
    }

    private static int rank(String part) {
        return switch (part) {
            case "ingest" -> 0;
            case "taint" -> 1;
            default -> 2;
        };
    }

    private static Map<String, Severity> severities(Map<String, Alert> alerts) {
        Map<String, Severity> m = new LinkedHashMap<>();
        alerts.forEach((k, a) -> m.put(k, a.severity()));
        return m;
    }

    /**
     * The environment docker-compose.yml gives a service: the .env variables (the anvil profile's chain lines, the API
     * token, the webhook receiver), and what differs from the compose network on one host: the broker's address, the state
     * volume and the published ports.
     */
    private Map<String, String> env(String part, String bootstrap, Anvil anvil, CrashKit.Receiver rx, int apiPort, int metricsPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TAINTWATCH_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("TAINTWATCH_CHAIN_ETHEREUM_RPC_URLS", anvil.rpcUrl());
        env.put("TAINTWATCH_CHAIN_ETHEREUM_ID", Long.toString(anvil.chainId()));
        env.put("TAINTWATCH_CHAIN_ETHEREUM_CONFIRMATIONS", "0");
        env.put("TAINTWATCH_ALERTS_API_TOKENS", API_TOKEN);
        env.put("TAINTWATCH_ALERTS_WEBHOOK_OPS_URL", rx.uri().toString());
        env.put("TAINTWATCH_ALERTS_WEBHOOK_OPS_SECRET", CrashKit.WEBHOOK_SECRET);
        env.put("TAINTWATCH_STATE_DIR", dir.resolve(part + "-state").toString());
        env.put("TAINTWATCH_HTTP_PORT", Integer.toString(apiPort));
        env.put("TAINTWATCH_METRICS_PORT", Integer.toString(metricsPort));
        // many points to be killed at: small ingest transactions and a short poll (anvil mines a block every 300 ms)
        env.put("TAINTWATCH_CHAIN_ETHEREUM_BATCH_BLOCKS", "2");
        env.put("TAINTWATCH_CHAIN_ETHEREUM_POLL_MS", "100");
        env.put("TAINTWATCH_CHAIN_ETHEREUM_TRACE", "trace-block");
        return env;
    }

    private Child part(String part, int launch, Path shipped, String bootstrap, Anvil anvil, CrashKit.Receiver rx, int apiPort,
                       Map<String, Integer> metricsPorts, Path logs) {
        return start(part + "#" + launch, logs.resolve(part + "-" + launch + ".log"), shipped, part,
            env(part, bootstrap, anvil, rx, apiPort, metricsPorts.get(part)));
    }

    /**
     * Starts {@code taintwatch run --config <config> --parts <part>} with the service's environment, whose
     * TAINTWATCH_STATE_DIR is its state volume: here in its own JVM with the test's class path;
     * {@link ProductionPathImageIT} runs the container image instead.
     */
    Child start(String name, Path log, Path config, String part, Map<String, String> env) {
        return Child.start(name, log, List.of("run", "--config", config.toString(), "--parts", part), env);
    }

    private void publishReferenceData(Path shipped, String bootstrap, Seed seed, List<Entity> labels) throws Exception {
        Path seeds = dir.resolve("seeds.csv");
        Path labelFile = dir.resolve("labels.csv");
        NormalisedCsv.writeSeeds(seeds, List.of(seed));
        NormalisedCsv.writeLabels(labelFile, labels);
        for (Path f : List.of(seeds, labelFile)) {
            Cli r = Cli.run("labels", "import", f.toString(), "--format", "csv", "--publish", "--config", shipped.toString(), "--bootstrap",
                bootstrap);
            assertThat(r.exit()).as("labels import --publish %s: %s", f, r.err()).isZero();
        }
    }

    private static int status(HttpClient http, String url, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
