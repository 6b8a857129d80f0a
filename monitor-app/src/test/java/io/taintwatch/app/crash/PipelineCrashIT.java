package io.taintwatch.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.crash.Chaos.Victim;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.LaunderingStory;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.ingest.IngestConfig;
import io.taintwatch.ingest.IngestService;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real node: anvil plays the laundering story while {@code taintwatch ingest} and
 * {@code taintwatch run --parts taint,alerts} run in their own JVMs and are killed with SIGKILL at seeded random
 * points (the downstream process once on a wiped state directory). The blocks topic must equal an uninterrupted
 * ingest of the same chain, and flows and alerts the uninterrupted run over those blocks.
 */
class PipelineCrashIT {
    static final int INGEST_KILLS = 3;
    static final int DOWNSTREAM_KILLS = 2;

    @TempDir
    Path dir;

    @Test
    void killedIngestAndDownstreamLoseAndDuplicateNothing() throws Exception {
        long seed = Chaos.seed();
        Path logs = CrashKit.logDir(getClass());
        System.out.println("crash: seed " + seed + " (rerun with -Dtaintwatch.crash.seed=" + seed + ")");
        try (Anvil anvil = Anvil.start();
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, CrashKit.BROKER);
             Admin admin = CrashKit.admin(kafka.bootstrapServers())) {
            String bootstrap = kafka.bootstrapServers();
            ChainId chain = new ChainId(anvil.chainId(), "devnet");
            String taintGroup = "taintwatch-taint-" + chain.name();
            Chaos chaos = new Chaos(seed, admin);
            AtomicReference<Path> config = new AtomicReference<>();
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
                        Seed s = new Seed(hacker, "crash-vault-hack", Category.THEFT, 0, "LendingVault exploit (crash test)");
                        watched.set(s);
                        labelled.set(labels);
                        Path cfg = writeConfig(bootstrap, anvil, chain, contracts.get("WrappedEther"));
                        config.set(cfg);
                        try (KafkaProducer<String, byte[]> p = EngineAndAlertsCrashIT.producer(bootstrap)) {
                            CrashKit.settings(cfg).topics().ensure(io.taintwatch.kafka.KafkaClients.plain(bootstrap), List.of(chain));
                            p.send(new ProducerRecord<>("watchlist", hacker.toString(), Json.seedBytes(s)));
                            labels.forEach(x -> p.send(new ProducerRecord<>("labels", x.address().toString(), Json.entityBytes(x))));
                        }
                        // the tokens topic is ingest's; the alerts part reads it as a global table, so it must exist first
                        kafka.createTopic(KafkaSinkConfig.DEFAULT_TOKENS_TOPIC, 1, Map.of("cleanup.policy", "compact"));
                        Victim downstream = chaos.victim("taint+alerts",
                            i -> Child.start("downstream#" + i, logs.resolve("downstream-" + i + ".log"),
                                List.of("run", "--parts", "taint,alerts", "-c", cfg.toString())),
                            () -> Math.max(0, CrashKit.committed(admin, taintGroup, chain.blocksTopic(), false)),
                            List.of(taintGroup, "taintwatch-alerts"), dir.resolve("downstream-state"), DOWNSTREAM_KILLS, 6);
                        downstream.launch();
                        // seeds and labels take effect from the next block processed: let the engine read them before
                        // ingest publishes the first block, so that the run is deterministic
                        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                            .failFast("the downstream process exited", () -> !downstream.child.alive())
                            .until(() -> CrashKit.committed(admin, taintGroup, "watchlist") >= 1
                                && CrashKit.committed(admin, taintGroup, "labels") >= labels.size());
                        Victim ingest = chaos.victim("ingest",
                            i -> Child.start("ingest#" + i, logs.resolve("ingest-" + i + ".log"), List.of("ingest", "-c", cfg.toString())),
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
                prepared.get(240, TimeUnit.SECONDS);
                chaos.run(Duration.ofSeconds(300));
            } finally {
                chaosDone.set(true);
            }
            story.get(120, TimeUnit.SECONDS);
            long head = anvil.blockNumber();

            PipelineConfig settings = CrashKit.settings(config.get());
            EvmChainConfig c = settings.ingestChains().get(0);
            List<Block> reference;
            List<TaintFlow> flows;
            Map<String, Alert> alerts;
            try {
                // the uninterrupted ingest of the same chain, in process, into its own topics
                EvmChainConfig ref = new EvmChainConfig(c.chain(), c.endpoints(), c.confirmations(), c.useFinalized(), c.nativeSymbol(),
                    c.nativeDecimals(), c.wethContracts(), c.traceMode(), c.balances(), c.tokenMetadata(), c.batchBlocks(), c.pollInterval(),
                    c.startBlock(), head, "blocks.reference");
                try (IngestService refIngest = IngestService.start(new IngestConfig(new KafkaSinkConfig(io.taintwatch.kafka.KafkaClients.plain(bootstrap), "reference-checkpoints",
                    "reference-tokens", "reference-ingest-", true), RpcSettings.defaults(), List.of(ref)), IngestMetrics.noop())) {
                    refIngest.awaitTermination();
                    assertThat(refIngest.failures()).isEmpty();
                }
                reference = CrashKit.readCommitted(bootstrap, "blocks.reference").stream().map(r -> BlockCodec.decode(r.value())).toList();
                assertThat(reference).isNotEmpty();
                assertThat(reference.getLast().number()).isEqualTo(head);

                // blocks: every block once, in order, as the uninterrupted ingest publishes it
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> CrashKit.readCommitted(bootstrap, chain.blocksTopic()).size() >= reference.size());
                List<Block> published = CrashKit.readCommitted(bootstrap, chain.blocksTopic()).stream()
                    .map(r -> BlockCodec.decode(r.value())).toList();
                assertThat(published).as("blocks.%s (seed %d)", chain.name(), seed).containsExactlyElementsOf(reference);

                flows = CrashKit.expectedFlows(settings, c.chain(), List.of(watched.get()), labelled.get(), reference);
                alerts = CrashKit.expectedAlerts(CrashKit.alertsConfig(settings, dir.resolve("ref")), c.chain(), List.of(watched.get()),
                    labelled.get(), CrashKit.readCommitted(bootstrap, KafkaSinkConfig.DEFAULT_TOKENS_TOPIC), reference, flows,
                    dir.resolve("ref"));
                System.out.printf("crash: reference %d blocks, %d flows, %d alert versions of %d alerts%n", reference.size(), flows.size(),
                    alerts.size(), alerts.values().stream().map(Alert::id).distinct().count());
                assertThat(flows).hasSizeGreaterThan(20);
                assertThat(alerts).hasSizeGreaterThan(5);

                Victim downstream = chaos.victims().getFirst();
                // every block is published: run until every input is consumed and committed, stage by stage
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(2))
                    .failFast("the downstream process exited", () -> !downstream.child.alive())
                    .until(() -> CrashKit.caughtUp(admin, taintGroup, chain.blocksTopic())
                        && CrashKit.caughtUp(admin, "taintwatch-alerts", chain.flowsTopic(), chain.blocksTopic(), CrashKit.alertsRepartition()));
            } finally {
                // ingest first: then nothing new reaches the blocks topic while the downstream commits its last offsets
                for (Victim v : chaos.victims().reversed()) {
                    v.child.stop();
                }
            }
            System.out.println("crash: " + chaos.status().strip());
            for (Victim v : chaos.victims()) {
                assertThat(v.kills).as(v.name + " kills").isEqualTo(v.name.equals("ingest") ? INGEST_KILLS : DOWNSTREAM_KILLS);
            }
            assertThat(chaos.victims().getFirst().wipes).as("downstream restarts on a wiped state dir").isEqualTo(1);
            // the engine consumed and committed the whole blocks topic (offsets count ingest's transaction markers and
            // aborted batches too): no output can still be on its way
            assertThat(CrashKit.committed(admin, taintGroup, chain.blocksTopic())).isEqualTo(CrashKit.written(admin, chain.blocksTopic()));
            CrashKit.assertFlows(bootstrap, chain.flowsTopic(), flows, seed);
            CrashKit.assertAlerts(bootstrap, "alerts", alerts, seed);
        }
    }

    private Path writeConfig(String bootstrap, Anvil anvil, ChainId chain, Address weth) {
        String p = "chain." + chain.name() + ".";
        Map<String, String> keys = new TreeMap<>();
        keys.put("kafka.bootstrap-servers", bootstrap);
        keys.put("state.dir", dir.resolve("downstream-state").toString());
        keys.put("chains", chain.name());
        keys.put(p + "id", Long.toString(chain.id()));
        keys.put(p + "rpc-urls", anvil.rpcUrl());
        keys.put(p + "confirmations", "0");
        keys.put(p + "trace", "trace-block");
        keys.put(p + "weth", weth.toString());
        // small transactions and a short poll: many points to be killed at
        keys.put(p + "batch-blocks", "2");
        keys.put(p + "poll-ms", "100");
        keys.put("metrics.port", "0");
        keys.put("http.port", "0");
        return CrashKit.config(dir.resolve("pipeline.properties"), keys);
    }
}
