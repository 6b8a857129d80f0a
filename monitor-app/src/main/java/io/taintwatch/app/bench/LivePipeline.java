package io.taintwatch.app.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.AlertsConfig;
import io.taintwatch.alerts.AlertsRuntime;
import io.taintwatch.alerts.ChainSettings;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.app.run.TaintService;
import io.taintwatch.app.run.Topics;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaBlockSink;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.synth.MainnetChain;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.topology.TaintTopologyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The live pipeline as {@code taintwatch run} wires it (taint topology and alerts service with its rules reading flows
 * and blocks), fed by the ingest's own {@link KafkaBlockSink} (one transaction per batch, the
 * {@code taintwatch.ingest.timestamp} header stamped at publish) from a paced {@link MainnetChain}. Block-to-alert
 * latency is the alerts module's own {@code taintwatch.alerts.ingest.latency} timer, read per measurement window from
 * a registry added to the pipeline's composite registry for that window; a read_committed consumer of the alerts
 * topic also measures when each alert became visible.
 */
final class LivePipeline implements AutoCloseable {
    /** Latency of one window, milliseconds. */
    record Latency(long samples, double p50, double p99, double max, long visibleSamples, double visibleP50, double visibleP99, double visibleMax) {}

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final SimpleMeterRegistry base = new SimpleMeterRegistry();
    private final MainnetChain chain;
    private final KafkaBlockSink sink;
    private final TaintService taint;
    private final AlertsRuntime alerts;
    private final Path stateDir;
    private final Thread watcher;
    private final org.apache.kafka.clients.admin.Admin admin;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile List<Long> visible = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Throwable watcherFailure;
    private long producedLegs;
    private MainnetChain.GeneratedBlock pending;
    private long lastProduced = -1;

    LivePipeline(String bootstrap, MainnetChain chain, Path dir, String name) throws Exception {
        this(bootstrap, chain, dir, name, true);
    }

    /** With {@code pipeline = false} only the producing side: reference data and the paced blocks, for an external pipeline. */
    LivePipeline(String bootstrap, MainnetChain chain, Path dir, String name, boolean pipeline) throws Exception {
        this.chain = chain;
        this.stateDir = dir;
        registry.add(base);
        ChainId c = chain.chain();
        Topics.ensure(bootstrap, Map.of(), Topics.forChain(c, "watchlist", "labels", -1, 1));
        publishReferenceData(bootstrap, chain.seeds(), chain.labels());
        // the compacted tokens topic is the ingest's to create; the alerts service needs it to exist
        createIfMissing(bootstrap, "tokens", Map.of("cleanup.policy", "compact"));
        AlertsConfig ac = new AlertsConfig(bootstrap, "taintwatch-bench-alerts-" + name, dir.resolve("alerts"), -1,
            List.of(new ChainSettings(c.id(), c.name(), "ETH", 18)), null, true, null, null, ApiConfig.defaults().withPort(0));
        if (pipeline) {
            TaintTopologyConfig cfg = TaintTopologyConfig.live(c, TaintConfig.defaults()).withInitial(chain.seeds(), chain.labels());
            this.taint = new TaintService(cfg, "taintwatch-bench-taint-" + name, bootstrap, dir.resolve("taint"), Map.of(), registry).start();
            this.alerts = AlertsRuntime.start(ac, registry, Map.of(), 1);
        } else {
            this.taint = null;
            this.alerts = null;
        }
        this.sink = new KafkaBlockSink(c, new KafkaSinkConfig(bootstrap, "bench-checkpoints-" + name, "tokens", "taintwatch-bench-ingest-" + name,
            true, Map.of()), io.taintwatch.encoding.BlockCodec::encode, new IngestMetrics(new SimpleMeterRegistry()));
        Properties ap = new Properties();
        ap.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = org.apache.kafka.clients.admin.Admin.create(ap);
        this.watcher = pipeline ? new Thread(() -> watchAlerts(bootstrap, ac.topics().alerts()), "bench-alert-watcher") : null;
        if (watcher != null) {
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void createIfMissing(String bootstrap, String topic, Map<String, String> configs) throws Exception {
        Properties ap = new Properties();
        ap.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(ap)) {
            a.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty())
                .configs(configs))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** Seeds and labels on the compacted topics, where the alerts service reads them (the engine also gets them as its initial state). */
    private static void publishReferenceData(String bootstrap, List<Seed> seeds, List<Entity> labels) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // older than every block, so the engine's task reads them first
        long ts = 1_000_000_000_000L;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
             var seedSer = TaintSerdes.seeds().serializer(); var labelSer = TaintSerdes.entities().serializer()) {
            for (Seed s : seeds) {
                producer.send(new ProducerRecord<>("watchlist", null, ts, s.address().toString(), seedSer.serialize("watchlist", s)));
            }
            for (Entity e : labels) {
                producer.send(new ProducerRecord<>("labels", null, ts, e.address().toString(), labelSer.serialize("labels", e)));
            }
            producer.flush();
        }
    }

    private void watchAlerts(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "taintwatch-bench-alert-watcher-" + System.nanoTime());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    Header h = r.headers().lastHeader(AlertMetrics.INGEST_TIMESTAMP_HEADER);
                    if (h != null) {
                        try {
                            visible.add(now - Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII)));
                        } catch (NumberFormatException e) {
                            // not ours
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            watcherFailure = e;
        }
    }

    MainnetChain chain() {
        return chain;
    }

    /** The chain's next block, or the one a paced run generated ahead and gave back. */
    MainnetChain.GeneratedBlock nextBlock() {
        MainnetChain.GeneratedBlock g = pending;
        if (g != null) {
            pending = null;
            return g;
        }
        return chain.nextDetailed();
    }

    void putBack(MainnetChain.GeneratedBlock g) {
        pending = g;
    }

    CompositeMeterRegistry registry() {
        return registry;
    }

    /** Publishes blocks as ingest does; the header carries this moment. */
    void publish(List<MainnetChain.GeneratedBlock> blocks) {
        List<io.taintwatch.model.Block> bs = new ArrayList<>(blocks.size());
        for (MainnetChain.GeneratedBlock g : blocks) {
            bs.add(g.block());
            producedLegs += g.block().legs().size();
            lastProduced = g.block().number();
        }
        sink.publish(bs);
    }

    long producedLegs() {
        return producedLegs;
    }

    long lastProduced() {
        return lastProduced;
    }

    void checkAlive() {
        if (taint != null && !taint.alive()) {
            throw new IllegalStateException("the taint engine stopped during the benchmark", taint.failure());
        }
        if (watcherFailure != null) {
            throw new IllegalStateException("the alert watcher failed: " + watcherFailure.getMessage(), watcherFailure);
        }
    }

    double lastProcessed() {
        Gauge g = registry.find("taintwatch.taint.last.block").gauge();
        return g == null ? -1 : g.value();
    }

    double engineLegs() {
        Counter c = registry.find("taintwatch.taint.legs").counter();
        return c == null ? 0 : c.count();
    }

    double tracked() {
        Gauge g = registry.find("taintwatch.taint.tracked.addresses").gauge();
        return g == null ? 0 : g.value();
    }

    double alertsEmitted() {
        return registry.find(AlertMetrics.ALERTS_EMITTED).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Bytes under the taint and alerts state directories (RocksDB stores, checkpoints). */
    long stateBytes() {
        try (Stream<Path> s = Files.walk(stateDir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (java.io.IOException e) {
                    return 0; // a file RocksDB removed while we walked
                }
            }).sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * Bytes of the state stores' changelog topics on the broker (the durable state: taint accounts, seeds, labels,
     * meta, and the alerts' store), from the broker's log directories; -1 when the broker does not say.
     */
    long changelogBytes() {
        try {
            var dirs = admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList()).allDescriptions().get();
            long sum = 0;
            for (var broker : dirs.values()) {
                for (var d : broker.values()) {
                    for (var e : d.replicaInfos().entrySet()) {
                        if (e.getKey().topic().startsWith("taintwatch-bench-") && e.getKey().topic().endsWith("-changelog")) {
                            sum += e.getValue().size();
                        }
                    }
                }
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Waits until the engine has processed every produced block (false on timeout). */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastProcessed() < lastProduced) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Waits until the alerts service has emitted at least {@code atLeast} alert versions in all and then none for
     * {@code quiet} (it runs a step behind the engine: its own commit interval, the repartition of candidates).
     */
    boolean awaitAlertsQuiet(double atLeast, Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = alertsEmitted();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            checkAlive();
            Thread.sleep(50);
            double now = alertsEmitted();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (now >= atLeast && System.nanoTime() - since >= quiet.toNanos()) {
                return true;
            }
        }
        return false;
    }

    /** A window: registers a fresh latency registry, keeping every sample of the window (no decay) with 0.1% precision. */
    Window window() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        r.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(AlertMetrics.INGEST_LATENCY)) {
                    return config;
                }
                return DistributionStatisticConfig.builder().expiry(Duration.ofDays(1)).bufferLength(1).percentilePrecision(3).build().merge(config);
            }
        });
        registry.add(r);
        visible = java.util.Collections.synchronizedList(new ArrayList<>());
        return new Window(r);
    }

    /** An open measurement window. */
    final class Window {
        private final SimpleMeterRegistry r;
        private final List<Long> seen;

        Window(SimpleMeterRegistry r) {
            this.r = r;
            this.seen = visible;
        }

        /** Alert versions measured so far in this window. */
        long samples() {
            Timer t = r.find(AlertMetrics.INGEST_LATENCY).timer();
            return t == null ? 0 : t.count();
        }

        Latency close() {
            registry.remove(r);
            Timer t = r.find(AlertMetrics.INGEST_LATENCY).timer();
            long n = t == null ? 0 : t.count();
            double p50 = 0;
            double p99 = 0;
            double max = 0;
            if (n > 0) {
                var snap = t.takeSnapshot();
                for (ValueAtPercentile v : snap.percentileValues()) {
                    if (v.percentile() == 0.5) {
                        p50 = v.value(java.util.concurrent.TimeUnit.MILLISECONDS);
                    } else if (v.percentile() == 0.99) {
                        p99 = v.value(java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                }
                max = snap.max(java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            long[] v;
            synchronized (seen) {
                v = seen.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            return new Latency(n, p50, Math.max(p50, p99), Math.max(Math.max(p50, p99), max), v.length, rank(v, 0.5), rank(v, 0.99),
                v.length == 0 ? 0 : v[v.length - 1]);
        }
    }

    private static double rank(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            if (watcher != null) {
                watcher.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close();
        sink.close();
        if (alerts != null) {
            alerts.close();
        }
        if (taint != null) {
            taint.close();
        }
        registry.close();
    }
}
