package io.taintwatch.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.app.cli.KafkaPublisher;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.run.Pipeline;
import io.taintwatch.encoding.RecordHeaders;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaBlockSink;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.MainnetChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
    private final Pipeline pipeline;
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
        PipelineConfig config = BenchPreset.config(bootstrap, c, dir, name);
        KafkaClients kafka = config.kafka();
        config.topics().ensure(kafka, List.of(c));
        // seeds and labels on the compacted topics, where the alerts service reads them (the engine also gets them as its
        // initial state); older than every block, so the engine's task reads them first
        try (KafkaPublisher reference = new KafkaPublisher(kafka)) {
            reference.seeds(config.topics().watchlist(), chain.seeds());
            reference.labels(config.topics().labels(), chain.labels());
            reference.flush();
        }
        this.pipeline = pipeline ? Pipeline.start(config, EnumSet.of(Pipeline.Part.TAINT, Pipeline.Part.ALERTS),
            new Pipeline.Extras(registry, chain.seeds(), chain.labels())) : null;
        this.sink = new KafkaBlockSink(c, new KafkaSinkConfig(kafka, "bench-checkpoints-" + name, config.topics().tokens(),
            "taintwatch-bench-ingest-" + name, true), io.taintwatch.encoding.BlockCodec::encode, new IngestMetrics(new SimpleMeterRegistry()));
        this.admin = org.apache.kafka.clients.admin.Admin.create(kafka.admin());
        String alertsTopic = config.topics().alerts();
        this.watcher = pipeline ? new Thread(() -> watchAlerts(kafka, alertsTopic), "bench-alert-watcher") : null;
        if (watcher != null) {
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private void watchAlerts(KafkaClients kafka, String topic) {
        Properties p = kafka.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "latest", ConsumerConfig.GROUP_ID_CONFIG, "taintwatch-bench-alert-watcher-" + System.nanoTime()));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long ingested = RecordHeaders.ingestTimestamp(r.headers());
                    if (ingested > 0) {
                        visible.add(System.currentTimeMillis() - ingested);
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

    /** The pipeline's meters. */
    io.micrometer.core.instrument.MeterRegistry meters() {
        return registry;
    }

    /** The pipeline's API port (alerts and exposure). */
    int apiPort() {
        return pipeline.apiPort();
    }

    void checkAlive() {
        if (pipeline != null && !pipeline.alive()) {
            throw new IllegalStateException("the pipeline stopped during the benchmark (see the log)");
        }
        if (watcherFailure != null) {
            throw new IllegalStateException("the alert watcher failed: " + watcherFailure.getMessage(), watcherFailure);
        }
    }

    double lastProcessed() {
        Gauge g = registry.find("taintwatch.taint.last.block").gauge();
        return g == null ? -1 : g.value();
    }

    /** Reference records of {@code kind} the engine has read (seed, label, ...), since the start (a window's registry counts from its own). */
    private double referenceRead(String kind) {
        Counter c = base.find("taintwatch.taint.reference.records").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
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
        return Machine.treeBytes(stateDir);
    }

    /**
     * Bytes of the state stores' changelog topics on the broker (the durable state: taint accounts, seeds, labels,
     * meta, and the alerts' store), from the broker's log directories; -1 when the broker does not say.
     */
    long changelogBytes() {
        return changelogBytes(admin);
    }

    /** Bytes of the benchmarks' changelog topics on the broker, or -1 when the broker does not say. */
    static long changelogBytes(org.apache.kafka.clients.admin.Admin admin) {
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

    /**
     * Waits until the engine has read the seeds and labels published at start (through the reference fan-out, a while
     * after it started on them) and processed every produced block (false on timeout).
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastProcessed() < lastProduced || referenceRead("seed") < chain.seeds().size() || referenceRead("label") < chain.labels().size()) {
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
        if (pipeline != null) {
            pipeline.close();
        }
        registry.close();
    }
}
