package io.taintwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taintwatch.app.cli.KafkaPublisher;
import io.taintwatch.app.config.ConfigKeys;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.app.run.Pipeline;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.LaunderingStory;
import io.taintwatch.embedded.devnet.StoryManifest;
import io.taintwatch.embedded.devnet.StoryStep;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The demo: an in-process broker, an anvil devnet, and ingest, taint and alerts running live while a scripted
 * theft is laundered amid background traffic. Prints alerts as they fire and ends with a summary checked
 * against the story's ground truth: every laundering step into a mixer, bridge or exchange deposit caught,
 * no bystander flagged.
 */
public final class DemoRunner {
    /**
     * What the run showed; {@link #passed()} is what CI checks. {@code lookalikes}: the poisoner's lookalike addresses;
     * {@code followed}: those that taint reached anyway; {@code unflagged}: those no {@code address-poisoning} alert names.
     */
    public record Result(List<String> caught, List<String> missed, List<String> falseAlerts, int alerts, long blocks, int bystanders,
                         int lookalikes, List<String> followed, List<String> unflagged) {
        public boolean passed() {
            return missed.isEmpty() && falseAlerts.isEmpty() && !caught.isEmpty() && followed.isEmpty() && unflagged.isEmpty();
        }
    }

    /**
     * Demo settings: story size, HTTP ports (0 = any free port), where to print; {@code stay}: keep the pipeline and the
     * console up after the summary until the process is stopped (Ctrl-C); {@code whileUp}: called after the summary with
     * the running demo, before it stops (tests use it to work the console and restart the alerts part).
     */
    public record Options(LaunderingStory.Config story, int apiPort, int metricsPort, PrintStream out, Duration blockPause, boolean stay,
                          WhileUp whileUp) {
        public Options(LaunderingStory.Config story, int apiPort, int metricsPort, PrintStream out, Duration blockPause) {
            this(story, apiPort, metricsPort, out, blockPause, false, null);
        }

        public static Options defaults(PrintStream out) {
            return new Options(LaunderingStory.Config.defaults(), 0, 0, out, Duration.ofMillis(150));
        }

        public Options withWhileUp(WhileUp w) {
            return new Options(story, apiPort, metricsPort, out, blockPause, stay, w);
        }
    }

    /** Work done while the demo's pipeline is up, after the story and its summary. */
    @FunctionalInterface
    public interface WhileUp {
        void accept(Live live, Result result) throws Exception;
    }

    /** The running demo, as a test or an operator sees it. */
    public interface Live {
        /** The analyst console, e.g. {@code http://127.0.0.1:8080/console/}. */
        String consoleUrl();

        /** Stops the whole pipeline and starts its alerts part alone again, on the same configuration, state and port. */
        void restartAlerts() throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Options o;
    private final PrintStream out;
    private final Map<String, JsonNode> alerts = new LinkedHashMap<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public DemoRunner(Options options) {
        this.o = options;
        this.out = options.out();
        io.taintwatch.app.http.Binders.bindJvm(registry);
        ticker.setDaemon(true);
    }

    public Result run() throws Exception {
        Path work = Files.createTempDirectory("taintwatch-demo-");
        AtomicBoolean stop = new AtomicBoolean();
        List<AutoCloseable> running = new ArrayList<>();
        out.println("taintwatch demo: starting an in-process Kafka broker and an anvil devnet...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), true, Map.of());
             Anvil anvil = Anvil.builder().accounts(5).start();
             Devnet devnet = Devnet.connect(anvil);
             ShutdownGuard guard = new ShutdownGuard(() -> {
                 // Ctrl-C: stop the pipeline, then the broker (anvil's own hook kills the node), and remove the data
                 stop.set(true);
                 closeAll(running);
                 kafka.close();
                 deleteQuietly(work);
             })) {
            ChainId chain = new ChainId(anvil.chainId(), "devnet");
            String bootstrap = kafka.bootstrapServers();
            out.printf("  broker %s, anvil %s (chain id %d)%n", bootstrap, anvil.rpcUrl(), anvil.chainId());
            Thread printer = new Thread(() -> printAlerts(bootstrap, stop), "demo-alert-printer");
            printer.setDaemon(true);

            LaunderingStory.Listener listener = new LaunderingStory.Listener() {
                @Override
                public void roundMined(String round, long block, int txs) {
                    if (!round.startsWith("background") && !round.startsWith("noise")) {
                        out.printf("  [chain] block %d: %s%n", block, round);
                    }
                }

                @Override
                public void casePrepared(Address hacker, List<Entity> labels, Map<String, Address> contracts) {
                    out.printf("taintwatch demo: %d labelled service addresses; watching the attacker %s%n", labels.size(), hacker);
                    Seed seed = new Seed(hacker, "demo-vault-hack", Category.THEFT, 0, "LendingVault exploit (demo)");
                    running.addAll(startPipeline(kafka, anvil, chain, seed, labels, contracts, work));
                    printer.start();
                    ticker.start();
                    out.printf("  pipeline live: ingest -> taint -> alerts; API http://127.0.0.1:%d/alerts, metrics http://127.0.0.1:%d/metrics%n",
                        apiPort, metricsPort);
                    out.printf("  analyst console http://127.0.0.1:%d/console/ (sign in with the analyst token %s; admin: %s; viewer: %s)%n",
                        apiPort, DEMO_ANALYST_TOKEN, DEMO_ADMIN_TOKEN, DEMO_TOKEN);
                }
            };
            try {
                StoryManifest m = LaunderingStory.play(devnet, o.story().withBlockPause(o.blockPause()), listener);
                out.printf("taintwatch demo: story played (%d transactions, blocks %d..%d); waiting for the pipeline to catch up...%n",
                    m.transactions(), m.firstBlock(), m.lastBlock());
                awaitEngine(m.lastBlock());
                settle();
                stop.set(true);
                // no progress line may follow the summary
                ticker.interrupt();
                ticker.join(5_000);
                printer.join(5_000);
                Result result = summarize(m, lookalikeFlows(bootstrap, chain, m));
                Live live = live(running);
                if (o.whileUp() != null) {
                    o.whileUp().accept(live, result);
                }
                if (o.stay()) {
                    out.printf("%ntaintwatch demo: the console stays up at %s (analyst token %s); Ctrl-C stops the demo%n", live.consoleUrl(),
                        DEMO_ANALYST_TOKEN);
                    new java.util.concurrent.CountDownLatch(1).await(); // until Ctrl-C: the shutdown guard closes everything
                }
                return result;
            } finally {
                // the pipeline first, while the node and the broker it talks to are still up
                stop.set(true);
                ticker.interrupt();
                closeAll(running);
            }
        } finally {
            deleteQuietly(work);
        }
    }

    /** Runs {@code onSignal} if the JVM is stopped (Ctrl-C, SIGTERM) while the demo runs; removed on a normal end. */
    private static final class ShutdownGuard implements AutoCloseable {
        private final Thread hook;

        ShutdownGuard(Runnable onSignal) {
            this.hook = new Thread(onSignal, "taintwatch-demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
        }
    }

    private synchronized void closeAll(List<AutoCloseable> running) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                out.println("  (closing " + running.get(i).getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        }
        running.clear();
    }

    private static final String WEBHOOK_SECRET = "demo-webhook-secret-change-me";
    /** The alert API's plain bearer token in the demo (a viewer, as every plain token). */
    public static final String DEMO_TOKEN = "demo-token-please-change";
    /** The demo's analyst and admin users and their tokens (docs/console.md). */
    public static final String DEMO_ANALYST = "demo-analyst";
    public static final String DEMO_ANALYST_TOKEN = "demo-analyst-token-change-me";
    public static final String DEMO_ADMIN = "demo-admin";
    public static final String DEMO_ADMIN_TOKEN = "demo-admin-token-change-me";
    private volatile Map<String, String> preset;
    private volatile int apiPort;
    private volatile int metricsPort;
    private final Thread ticker = new Thread(this::progress, "demo-progress");
    private volatile WebhookReceiver receiver;
    private volatile boolean pipelineFailed;

    /**
     * The demo's preset of the production pipeline: the configuration an operator would write for this devnet (the
     * embedded broker, anvil with no confirmation depth, the devnet's WETH, a webhook to the in-process receiver, an API
     * token), validated by the same declarations, and the pipeline's one assembly started with it. The seed and the
     * labels are published to their topics as {@code taintwatch labels import --publish} would, and also given to the
     * engine as its initial state, so that it has them before the first block.
     */
    private List<AutoCloseable> startPipeline(EmbeddedKafka kafka, Anvil anvil, ChainId chain, Seed seed, List<Entity> labels,
                                              Map<String, Address> contracts, Path work) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            // a compliance team's webhook receiver, in process: alerts arrive signed, and the receiver checks that
            WebhookReceiver receiver = new WebhookReceiver(WEBHOOK_SECRET);
            started.add(receiver);
            this.receiver = receiver;
            Map<String, String> preset = new LinkedHashMap<>();
            preset.put(ConfigKeys.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
            preset.put(ConfigKeys.STATE_DIR, work.resolve("state").toString());
            preset.put(ConfigKeys.CHAINS, chain.name());
            String c = ConfigKeys.CHAIN_PREFIX + chain.name() + ".";
            preset.put(c + ConfigKeys.CHAIN_ID, Long.toString(chain.id()));
            preset.put(c + ConfigKeys.CHAIN_RPC_URLS, anvil.rpcUrl());
            preset.put(c + ConfigKeys.CHAIN_CONFIRMATIONS, "0");
            preset.put(c + ConfigKeys.CHAIN_TRACE, "trace-block");
            preset.put(c + ConfigKeys.CHAIN_WETH, weth(contracts).toString());
            preset.put(c + ConfigKeys.CHAIN_POLL_MS, "100");
            // end-of-block balances: what shows that a forged transfer "from" the hacker moved nothing he held (unbacked)
            preset.put(c + ConfigKeys.CHAIN_BALANCES, "true");
            // section times on (a few clock reads per block): the demo shows every dashboard panel, this one included
            preset.put(ConfigKeys.TAINT_SECTION_TIMES, "true");
            preset.put(ConfigKeys.TAINT_APPLICATION_ID, "taintwatch-demo-taint");
            preset.put(ConfigKeys.ALERTS_APPLICATION_ID, "taintwatch-demo-alerts");
            preset.put(ConfigKeys.HTTP_PORT, Integer.toString(o.apiPort()));
            preset.put(ConfigKeys.METRICS_PORT, Integer.toString(o.metricsPort()));
            preset.put(ConfigKeys.API_TOKENS, DEMO_TOKEN);
            preset.put(ConfigKeys.API_USERS, DEMO_ANALYST + "," + DEMO_ADMIN);
            preset.put(ConfigKeys.API_USER_PREFIX + DEMO_ANALYST + "." + ConfigKeys.API_USER_TOKEN, DEMO_ANALYST_TOKEN);
            preset.put(ConfigKeys.API_USER_PREFIX + DEMO_ANALYST + "." + ConfigKeys.API_USER_ROLE, "analyst");
            preset.put(ConfigKeys.API_USER_PREFIX + DEMO_ADMIN + "." + ConfigKeys.API_USER_TOKEN, DEMO_ADMIN_TOKEN);
            preset.put(ConfigKeys.API_USER_PREFIX + DEMO_ADMIN + "." + ConfigKeys.API_USER_ROLE, "admin");
            preset.put(ConfigKeys.WEBHOOKS, "demo-compliance");
            preset.put(ConfigKeys.WEBHOOK_PREFIX + "demo-compliance." + ConfigKeys.WEBHOOK_URL, receiver.url().toString());
            preset.put(ConfigKeys.WEBHOOK_PREFIX + "demo-compliance." + ConfigKeys.WEBHOOK_SECRET, WEBHOOK_SECRET);
            preset.put(ConfigKeys.RETRO_MODE, "off");
            PipelineConfig config = new PipelineConfig(TaintwatchConfig.of(preset));
            this.preset = Map.copyOf(preset);
            config.topics().ensure(config.kafka(), List.of(chain));
            try (KafkaPublisher publisher = new KafkaPublisher(config.kafka())) {
                publisher.seeds(config.topics().watchlist(), List.of(seed));
                publisher.labels(config.topics().labels(), labels);
                publisher.flush();
            }
            Pipeline pipeline = Pipeline.start(config, EnumSet.allOf(Pipeline.Part.class), new Pipeline.Extras(registry, List.of(seed), labels));
            started.add(pipeline);
            apiPort = pipeline.apiPort();
            metricsPort = pipeline.metricsPort();
            return started;
        } catch (Exception e) {
            pipelineFailed = true;
            closeAll(started);
            throw new IllegalStateException("demo pipeline failed to start: " + e.getMessage(), e);
        }
    }

    private Live live(List<AutoCloseable> running) {
        return new Live() {
            @Override
            public String consoleUrl() {
                return "http://127.0.0.1:" + apiPort + "/console/";
            }

            @Override
            public void restartAlerts() throws Exception {
                closeAll(running);
                // the same port, so the console's address stays: bound again once the old server has let it go
                Map<String, String> same = new LinkedHashMap<>(preset);
                same.put(ConfigKeys.HTTP_PORT, Integer.toString(apiPort));
                same.put(ConfigKeys.METRICS_PORT, "0");
                Pipeline p = Pipeline.start(new PipelineConfig(TaintwatchConfig.of(same)), EnumSet.of(Pipeline.Part.ALERTS),
                    new Pipeline.Extras(registry, List.of(), List.of()));
                running.add(p);
                apiPort = p.apiPort();
            }
        };
    }

    private static Address weth(Map<String, Address> contracts) {
        Address a = contracts.get("WrappedEther");
        if (a == null) {
            throw new IllegalStateException("the demo contracts have no WrappedEther: " + contracts.keySet());
        }
        return a;
    }

    private void printAlerts(String bootstrap, AtomicBoolean stop) {
        Properties p = KafkaClients.plain(bootstrap).consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "taintwatch-demo-printer"));
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("alerts"));
            while (!stop.get()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode a = JSON.readTree(r.value());
                        JsonNode before;
                        synchronized (alerts) {
                            before = alerts.put(a.path("id").asText(), a);
                        }
                        if (before == null) {
                            out.print(AlertText.describe(a));
                        } else {
                            boolean news = a.path("skipped").isObject() && !a.path("skipped").equals(before.path("skipped"));
                            out.printf("  [alert update] %s now %d legs%s%n", a.path("id").asText(), a.path("count").asLong(),
                                news ? "; " + AlertText.skipped(a) : "");
                        }
                    } catch (Exception e) {
                        out.println("  (unreadable alert " + r.key() + ": " + e.getMessage() + ")");
                    }
                }
            }
        }
    }

    /** Every few seconds: what the engine has processed, what it tracks, how many alerts fired. */
    private void progress() {
        while (true) {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                return;
            }
            int n;
            synchronized (alerts) {
                n = alerts.size();
            }
            out.printf("  [progress] engine at block %.0f, %.0f legs, %.0f tracked addresses, %d alerts%n", gauge("taintwatch.taint.last.block"),
                counter("taintwatch.taint.legs"), gauge("taintwatch.taint.tracked.addresses"), n);
        }
    }

    private double gauge(String name) {
        return registry.find(name).gauges().stream().mapToDouble(g -> g.value()).max().orElse(0);
    }

    private double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private void awaitEngine(long lastBlock) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !pipelineFailed) {
            Double processed = registry.find("taintwatch.taint.last.block").gauges().stream().map(g -> g.value()).max(Double::compare).orElse(-1.0);
            if (processed >= lastBlock) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the taint engine did not reach block " + lastBlock + " within 90 s");
    }

    /** Waits until no alert arrived for two seconds (alerts run a step behind the engine). */
    private void settle() throws InterruptedException {
        int last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(2).toNanos()) {
            int now;
            synchronized (alerts) {
                now = alerts.size();
            }
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    /**
     * What the engine wrote about the poisoner's lookalikes: those a flow other than a skipped one reached (taint followed
     * a forged transfer), and the skipped flows to them by reason.
     */
    private record LookalikeFlows(Set<Address> followed, Map<String, Integer> skipped) {
    }

    private static LookalikeFlows lookalikeFlows(String bootstrap, ChainId chain, StoryManifest m) {
        Set<Address> followed = new TreeSet<>();
        Map<String, Integer> skipped = new java.util.TreeMap<>();
        Properties p = KafkaClients.plain(bootstrap).consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, io.taintwatch.model.TaintFlow> c = new KafkaConsumer<>(p, new StringDeserializer(),
            io.taintwatch.encoding.TaintSerdes.flows().deserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(chain.flowsTopic()).stream()
                .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, io.taintwatch.model.TaintFlow> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null || !m.lookalikes().containsKey(r.value().to())) {
                        continue;
                    }
                    if (r.value().kind() == io.taintwatch.model.FlowKind.SKIPPED) {
                        skipped.merge(r.value().skipped().label(), 1, Integer::sum);
                    } else {
                        followed.add(r.value().to());
                    }
                }
            }
        }
        return new LookalikeFlows(followed, skipped);
    }

    private Result summarize(StoryManifest m, LookalikeFlows lookalikeFlows) {
        Set<Address> followedLookalikes = lookalikeFlows.followed();
        List<JsonNode> all;
        synchronized (alerts) {
            all = new ArrayList<>(alerts.values());
        }
        Set<String> alertedSubjects = new TreeSet<>();
        Set<String> alertedTx = new TreeSet<>();
        for (JsonNode a : all) {
            alertedSubjects.add(a.path("subject").asText());
            alertedTx.add(a.path("txHash").asText());
            alertedTx.add(a.path("firstSeen").path("txHash").asText());
            alertedTx.add(a.path("lastSeen").path("txHash").asText());
        }
        List<String> caught = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (StoryStep s : m.terminalDeliveries()) {
            String line = String.format("%-14s %s -> %s (%s) tx %s", s.kind(), s.from(), s.to(), s.terminal().label(), s.txHash());
            if (alertedSubjects.contains(s.to().toString()) || alertedTx.contains(s.txHash())) {
                caught.add(line);
            } else {
                missed.add(line);
            }
        }
        List<String> falseAlerts = new ArrayList<>();
        for (Address b : m.bystanders()) {
            if (alertedSubjects.contains(b.toString())) {
                falseAlerts.add(b.toString());
            }
        }
        Set<String> flaggedLookalikes = new TreeSet<>();
        for (JsonNode a : all) {
            if (a.path("rule").asText().equals("address-poisoning")) {
                flaggedLookalikes.add(a.path("subject").asText());
            }
        }
        List<String> followed = new ArrayList<>();
        List<String> unflagged = new ArrayList<>();
        for (Map.Entry<Address, Address> e : new java.util.TreeMap<>(m.lookalikes()).entrySet()) {
            if (followedLookalikes.contains(e.getKey())) {
                followed.add(e.getKey() + " (imitates " + e.getValue() + ")");
            }
            if (!flaggedLookalikes.contains(e.getKey().toString())) {
                unflagged.add(e.getKey() + " (imitates " + e.getValue() + ")");
            }
        }
        out.println();
        out.println("=== taintwatch demo summary ===");
        out.printf("alerts: %d, over %d blocks%n", all.size(), m.lastBlock() - m.firstBlock() + 1);
        out.printf("laundering steps into mixers, bridges and exchange deposits caught: %d of %d%n", caught.size(), caught.size() + missed.size());
        caught.forEach(l -> out.println("  caught  " + l));
        missed.forEach(l -> out.println("  MISSED  " + l));
        if (receiver != null) {
            out.printf("webhook: %d signed deliveries received, %d with a bad signature%n", receiver.verified(), receiver.rejected());
        }
        out.printf("bystanders (background users and dust recipients) not flagged: %d of %d%n",
            m.bystanders().size() - falseAlerts.size(), m.bystanders().size());
        falseAlerts.forEach(b -> out.println("  FALSE ALERT on bystander " + b));
        out.printf("address poisoning: forged and zero-value transfers \"from\" the hacker to %d lookalikes of his fan-out addresses; "
            + "followed by taint: %d of %d (not followed, by reason: %s; a zero-value transfer carries nothing); flagged as lookalikes "
            + "(address-poisoning): %d of %d%n", m.lookalikes().size(), followed.size(), m.lookalikes().size(), lookalikeFlows.skipped(),
            m.lookalikes().size() - unflagged.size(), m.lookalikes().size());
        followed.forEach(l -> out.println("  FOLLOWED lookalike " + l));
        unflagged.forEach(l -> out.println("  UNFLAGGED lookalike " + l));
        Result r = new Result(caught, missed, falseAlerts, all.size(), m.lastBlock() - m.firstBlock() + 1, m.bystanders().size(),
            m.lookalikes().size(), followed, unflagged);
        out.println(r.passed() ? "demo result: every laundering step caught, no bystander flagged, no lookalike followed, every lookalike flagged"
            : "demo result: FAILED (see MISSED / FALSE ALERT / FOLLOWED / UNFLAGGED above)");
        return r;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // best effort: a temp dir
        }
    }
}
