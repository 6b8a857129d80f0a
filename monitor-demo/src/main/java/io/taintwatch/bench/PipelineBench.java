package io.taintwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.run.Pipeline;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.MainnetChain;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.topology.TaintTopologyConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One run on one in-process broker (docs/BENCHMARKS.md): on a mainnet-shaped synthetic chain ({@link MainnetChain}),
 * the raw produce and consume rates of {@code blocks.<chain>}, the engine in process, the taint topology end to end
 * (exactly-once, catching up over the produced blocks), then the live pipeline (ingest's sink, taint, alerts) paced
 * at 1x, 10x and 100x mainnet for block-to-alert latency, a ramp for the highest sustained rate, and heap and RSS.
 * Optionally a day of mainnet (7,200 blocks, ~5M legs) replayed through the taint topology.
 */
public final class PipelineBench {
    /** Mainnet at 1x in legs per second (Ethereum mainnet: ~22 transactions and ~60 legs per second, a block every 12 s). */
    public static final double MAINNET_LEGS_PER_S = 60.0;

    /** Size of the run. Durations are per paced window; {@code rampRefine} halvings between the last good and first bad rate. */
    public record Options(int blocks, int legsPerBlock, long seed, int launderingPerMillionTx, int liveLaunderingPerMillionTx,
                          Duration window1x, Duration window10x, Duration window100x, Duration rampStep, int rampRefine, boolean day,
                          boolean quick) {
        /** A few minutes. */
        public static Options full(long seed) {
            return new Options(4_000, MainnetChain.MAINNET_LEGS_PER_BLOCK, seed, 2_000, 20_000, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(20), Duration.ofSeconds(10), 2, false, false);
        }

        /** A smoke test under a minute: small sizes, short windows, a short ramp without refinement. */
        public static Options quick(long seed) {
            return new Options(150, MainnetChain.MAINNET_LEGS_PER_BLOCK, seed, 2_000, 20_000, Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofSeconds(3), 0, false, true);
        }

        public Options withBlocks(int n) {
            return new Options(n, legsPerBlock, seed, launderingPerMillionTx, liveLaunderingPerMillionTx, window1x, window10x, window100x, rampStep,
                rampRefine, day, quick);
        }

        public Options withDay(boolean d) {
            return new Options(blocks, legsPerBlock, seed, launderingPerMillionTx, liveLaunderingPerMillionTx, window1x, window10x, window100x,
                rampStep, rampRefine, d, quick);
        }
    }

    private static final ChainId CHAIN = new ChainId(1, "ethereum");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineBench() {}

    public static ObjectNode run(Options o, PrintStream log) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.put("quick", o.quick());
        out.set("machine", Machine.describe());
        Path dir = Files.createTempDirectory("taintwatch-bench-");
        try {
            // 1. the chain, the engine in process (timed apart from generation), encoded for Kafka
            MainnetChain chain = new MainnetChain(CHAIN, MainnetChain.Params.defaults(o.seed()).withLegsPerBlock(o.legsPerBlock())
                .withLaundering(o.launderingPerMillionTx()));
            TaintEngine engine = new TaintEngine(CHAIN, TaintConfig.defaults());
            chain.seeds().forEach(engine::putSeed);
            chain.labels().forEach(engine::putLabel);
            List<byte[]> encoded = new ArrayList<>(o.blocks());
            long legs = 0;
            long flows = 0;
            long engineNanos = 0;
            long generateNanos = 0;
            List<Block> chunk = new ArrayList<>(256);
            for (int i = 0; i < o.blocks(); i += chunk.size()) {
                chunk.clear();
                long g0 = System.nanoTime();
                for (int j = i; j < Math.min(o.blocks(), i + 256); j++) {
                    chunk.add(chain.next());
                }
                long t0 = System.nanoTime();
                generateNanos += t0 - g0;
                for (Block b : chunk) {
                    flows += engine.process(b).flows().size();
                }
                engineNanos += System.nanoTime() - t0;
                for (Block b : chunk) {
                    legs += b.legs().size();
                    encoded.add(BlockCodec.encode(b));
                }
            }
            double engineColdRate = legs / (engineNanos / 1e9);
            double generateRate = legs / (generateNanos / 1e9);
            // the same blocks again through a new engine, now that the JIT has compiled its code: the rate compared below
            double engineRate = legs / (engineSeconds(new MainnetChain(CHAIN, chain.params()), o.blocks()));
            log.printf("bench: %d blocks, %d legs (%.0f per block) generated at %.0f legs/s, engine in process %.0f legs/s (%d flows; the first pass "
                + "%.0f legs/s)%n", o.blocks(), legs, (double) legs / o.blocks(), generateRate, engineRate, flows, engineColdRate);
            out.put("generator_legs_per_s", Math.round(generateRate));

            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, Map.of())) {
                String bootstrap = kafka.bootstrapServers();
                BenchPreset.config(bootstrap, CHAIN, dir, "e2e").topics().ensure(KafkaClients.plain(bootstrap), List.of(CHAIN));
                // 2. raw Kafka rates of the blocks topic
                double produceRate = legs / produce(bootstrap, CHAIN.blocksTopic(), encoded);
                log.printf("bench: raw produce %.0f legs/s%n", produceRate);
                double rawRate = legs / consumeAll(bootstrap, CHAIN.blocksTopic(), encoded.size());
                log.printf("bench: raw consume %.0f legs/s; engine / raw consume = %.2f%n", rawRate, engineRate / rawRate);
                encoded.clear();
                // 3. the taint topology catching up over them (exactly-once): a first application in a JVM that has not run
                // Kafka Streams yet, then a second one (its own application id and state) over the same topic, as the
                // engine's rate above is its second pass
                CatchUp cold = catchUp(bootstrap, CHAIN, chain, o.blocks(), legs, dir.resolve("state-e2e-first"), "e2e-first");
                CatchUp e2e = catchUp(bootstrap, CHAIN, chain, o.blocks(), legs, dir.resolve("state-e2e"), "e2e");
                log.printf("bench: end to end (EOS) %.0f legs/s = %.2f of the engine in process, %.2f of raw consume (start-up %.1f s); the first "
                    + "application %.0f legs/s (start-up %.1f s)%n", e2e.legsPerS(), e2e.legsPerS() / engineRate, e2e.legsPerS() / rawRate,
                    e2e.startupS(), cold.legsPerS(), cold.startupS());
                out.put("legs", legs).put("blocks", o.blocks()).put("legs_per_block", Math.round((double) legs / o.blocks()))
                    .put("produce_legs_per_s", Math.round(produceRate)).put("raw_consume_legs_per_s", Math.round(rawRate))
                    .put("engine_legs_per_s", Math.round(engineRate)).put("engine_first_pass_legs_per_s", Math.round(engineColdRate))
                    .put("engine_to_raw_consume_ratio", round3(engineRate / rawRate))
                    .put("e2e_first_application_legs_per_s", Math.round(cold.legsPerS())).put("e2e_to_engine_ratio", round3(e2e.legsPerS() / engineRate))
                    .put("e2e_legs_per_s", Math.round(e2e.legsPerS())).put("e2e_to_raw_consume_ratio", round3(e2e.legsPerS() / rawRate))
                    .put("e2e_startup_s", round3(e2e.startupS())).put("flows", flows);

                // 4. the live pipeline: latency at 1x, 10x, 100x, then the ramp
                MainnetChain live = new MainnetChain(new ChainId(2, "benchlive"), MainnetChain.Params.defaults(o.seed() + 1)
                    .withLegsPerBlock(o.legsPerBlock()).withLaundering(o.liveLaunderingPerMillionTx()));
                try (LivePipeline p = new LivePipeline(bootstrap, live, dir.resolve("live"), "live")) {
                    warmUp(p, log);
                    ObjectNode latency = out.putObject("latency_ms");
                    Map<String, Duration> windows = new LinkedHashMap<>();
                    windows.put("1x", o.window1x());
                    windows.put("10x", o.window10x());
                    windows.put("100x", o.window100x());
                    int multiple = 1;
                    for (Map.Entry<String, Duration> w : windows.entrySet()) {
                        latency.set(w.getKey(), latencyAt(p, multiple * MAINNET_LEGS_PER_S, w.getValue(), w.getKey(), log));
                        multiple *= 10;
                    }
                    Ramp.Result ramp = Ramp.search(p, 100 * MAINNET_LEGS_PER_S, o.rampStep(), o.rampRefine(), log);
                    out.put("max_sustained_legs_per_s", Math.round(ramp.maxSustained()));
                    out.put("max_sustained_x_mainnet", Math.round(ramp.maxSustained() / MAINNET_LEGS_PER_S));
                    out.set("ramp", ramp.json());
                    out.put("tracked_addresses", Math.round(p.tracked())).put("alerts_emitted", Math.round(p.alertsEmitted()));
                }

                // 5. a day of mainnet replayed through the taint topology
                if (o.day()) {
                    out.set("day", day(bootstrap, o, dir, log));
                }
                Machine.memory(out);
                log.printf("bench: heap max %d MB, used after GC %d MB, RSS %d MB (peak %d MB)%n", out.get("heap_max_bytes").asLong() >> 20,
                    out.get("heap_used_after_gc_bytes").asLong() >> 20, out.get("rss_bytes").asLong() >> 20, out.get("rss_peak_bytes").asLong() >> 20);
                return out;
            }
        } finally {
            Machine.deleteTree(dir);
        }
    }

    /** A first paced block and its alert, so the windows do not measure class loading and the first rebalance. */
    private static void warmUp(LivePipeline p, PrintStream log) throws InterruptedException {
        long t0 = System.nanoTime();
        Pacer.run(p, 100 * MAINNET_LEGS_PER_S, Duration.ofSeconds(2), Long.MAX_VALUE);
        if (!p.awaitCaughtUp(Duration.ofSeconds(120))) {
            throw new IllegalStateException("the live pipeline did not start within 120 s");
        }
        if (!p.awaitAlertsQuiet(1, Duration.ofSeconds(2), Duration.ofSeconds(120))) {
            throw new IllegalStateException("the alerts service raised no alert within 120 s of the warm-up");
        }
        log.printf("bench: live pipeline up and warm in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static ObjectNode latencyAt(LivePipeline p, double legsPerS, Duration window, String name, PrintStream log) throws InterruptedException {
        LivePipeline.Window w = p.window();
        Pacer.Run run = Pacer.run(p, legsPerS, window, Long.MAX_VALUE);
        // a short window at 1x holds two or three blocks; one without a laundering cash-out has no alert to measure
        for (int more = 0; more < 5 && awaitSamples(p, w); more++) {
            Pacer.Run extra = Pacer.run(p, legsPerS, window, Long.MAX_VALUE);
            run = new Pacer.Run(legsPerS, run.legs() + extra.legs(), run.blocks() + extra.blocks(), run.seconds() + extra.seconds(), run.lag());
        }
        if (!p.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the engine did not catch up within 60 s after the " + name + " window");
        }
        // alerts run a step behind the engine (their commit interval, the candidates' repartition); a window ends when they are quiet
        p.awaitAlertsQuiet(0, Duration.ofSeconds(2), Duration.ofSeconds(60));
        LivePipeline.Latency l = w.close();
        log.printf("bench: %s (%.0f legs/s, achieved %.0f): %d blocks, %d alert versions, block-to-alert p50 %.0f ms, p99 %.0f ms, max %.0f ms"
            + " (visible to a read_committed consumer: p50 %.0f, p99 %.0f, max %.0f ms)%n", name, legsPerS, run.achievedLegsPerS(), run.blocks(),
            l.samples(), l.p50(), l.p99(), l.max(), l.visibleP50(), l.visibleP99(), l.visibleMax());
        ObjectNode n = JSON.createObjectNode();
        n.put("p50", round3(l.p50())).put("p99", round3(l.p99())).put("max", round3(l.max())).put("samples", l.samples())
            .put("blocks", run.blocks()).put("target_legs_per_s", Math.round(legsPerS)).put("achieved_legs_per_s", Math.round(run.achievedLegsPerS()));
        n.putObject("visible").put("p50", l.visibleP50()).put("p99", l.visibleP99()).put("max", l.visibleMax()).put("samples", l.visibleSamples());
        return n;
    }

    /** True when the window still has no alert after the engine caught up and the alerts went quiet (so it needs more blocks). */
    private static boolean awaitSamples(LivePipeline p, LivePipeline.Window w) throws InterruptedException {
        if (w.samples() > 0) {
            return false;
        }
        p.awaitCaughtUp(Duration.ofSeconds(60));
        p.awaitAlertsQuiet(0, Duration.ofSeconds(2), Duration.ofSeconds(30));
        return w.samples() == 0;
    }

    /** End-to-end rate of a taint topology catching up over {@code blocks} records already in the topic. */
    record CatchUp(double legsPerS, double startupS, double totalS) {}

    /** Seconds a new engine with the chain's seeds and labels takes over its first {@code blocks} blocks (generation not timed). */
    static double engineSeconds(MainnetChain chain, int blocks) {
        TaintEngine engine = new TaintEngine(CHAIN, TaintConfig.defaults());
        chain.seeds().forEach(engine::putSeed);
        chain.labels().forEach(engine::putLabel);
        long nanos = 0;
        List<Block> chunk = new ArrayList<>(256);
        for (int i = 0; i < blocks; i += chunk.size()) {
            chunk.clear();
            for (int j = i; j < Math.min(blocks, i + 256); j++) {
                chunk.add(chain.next());
            }
            long t0 = System.nanoTime();
            for (Block b : chunk) {
                engine.process(b);
            }
            nanos += System.nanoTime() - t0;
        }
        return nanos / 1e9;
    }

    static CatchUp catchUp(String bootstrap, ChainId chainId, MainnetChain chain, long blocks, long legs, Path state, String name)
        throws Exception {
        PipelineConfig config = BenchPreset.config(bootstrap, chainId, state, name);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long first = chain.params().firstBlock();
        long last = first + blocks - 1;
        long start = System.nanoTime();
        long firstAt = 0;
        double firstBlock = 0;
        long end;
        try (Pipeline taint = Pipeline.start(config, EnumSet.of(Pipeline.Part.TAINT),
                new Pipeline.Extras(registry, chain.seeds(), chain.labels()))) {
            double seen;
            while ((seen = lastBlock(registry)) < last) {
                if (!taint.alive()) {
                    throw new IllegalStateException("taint engine stopped during the benchmark (see the log)");
                }
                if (firstAt == 0 && seen >= first) {
                    firstAt = System.nanoTime();
                    firstBlock = seen;
                }
                Thread.sleep(1);
            }
            end = lastCommit(registry, taint::alive);
        }
        // throughput from the first processed block to the commit of the last one; start-up (group join, store init) apart
        double done = (last - firstBlock) / (double) blocks;
        return new CatchUp(legs * done / ((end - firstAt) / 1e9), (firstAt - start) / 1e9, (end - start) / 1e9);
    }

    /**
     * Waits, once the last block has been seen processed, for the transaction holding its output to commit, and returns
     * when (System.nanoTime). With exactly-once nothing is visible before that; shutting the service down (closing
     * stores, leaving the group) is not part of catching up, and took part of a second that the window used to count.
     * The stream thread processes and commits in turn, so the first commit counted from here started after the last
     * block was processed; when none comes, that commit had finished before the block was seen (Streams commits only
     * what changed), and the time it was seen is the end.
     */
    static long lastCommit(SimpleMeterRegistry registry, java.util.function.BooleanSupplier alive) throws InterruptedException {
        // many commit intervals (the engine's is 100 ms)
        final long wait = 5_000_000_000L;
        long seenAt = System.nanoTime();
        double before = commits(registry);
        while (commits(registry) <= before) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("taint engine stopped during the benchmark (see the log)");
            }
            if (System.nanoTime() - seenAt > wait) {
                return seenAt;
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    /** Transactions the stream threads in {@code registry} have committed (Kafka Streams' own {@code commit-total}). */
    static double commits(SimpleMeterRegistry registry) {
        double n = 0;
        for (var meter : registry.find("kafka.stream.thread.commit.total").meters()) {
            for (var m : meter.measure()) {
                n += m.getValue();
            }
        }
        return n;
    }

    static double lastBlock(SimpleMeterRegistry r) {
        var g = r.find("taintwatch.taint.last.block").gauge();
        return g == null ? -1 : g.value();
    }

    /** A day of mainnet: 7,200 blocks produced to their own topic, then the taint topology replays them from the start. */
    private static ObjectNode day(String bootstrap, Options o, Path dir, PrintStream log) throws Exception {
        ChainId dayChain = new ChainId(3, "benchday");
        BenchPreset.config(bootstrap, dayChain, dir, "day").topics().ensure(KafkaClients.plain(bootstrap), List.of(dayChain));
        MainnetChain chain = new MainnetChain(dayChain, MainnetChain.Params.defaults(o.seed() + 2).withLegsPerBlock(o.legsPerBlock())
            .withLaundering(o.launderingPerMillionTx()));
        int blocks = 86_400 / MainnetChain.BLOCK_SECONDS;
        long legs = 0;
        long t0 = System.nanoTime();
        Properties p = producerProps(bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < blocks; i++) {
                Block b = chain.next();
                legs += b.legs().size();
                producer.send(new ProducerRecord<>(dayChain.blocksTopic(), null, b.timestamp() * 1000, Long.toString(dayChain.id()), BlockCodec.encode(b)));
            }
            producer.flush();
        }
        double produceS = (System.nanoTime() - t0) / 1e9;
        log.printf("bench: a day of mainnet: %d blocks, %d legs generated and produced in %.1f s; replaying...%n", blocks, legs, produceS);
        MainnetChain again = new MainnetChain(dayChain, chain.params());
        CatchUp c = catchUp(bootstrap, dayChain, again, blocks, legs, dir.resolve("state-day"), "day");
        log.printf("bench: a day of mainnet (%d legs) replayed through the taint topology in %.1f s (%.1f s start-up + %.1f s at %.0f legs/s)%n",
            legs, c.totalS(), c.startupS(), c.totalS() - c.startupS(), c.legsPerS());
        ObjectNode n = JSON.createObjectNode();
        n.put("blocks", blocks).put("legs", legs).put("generate_and_produce_s", round3(produceS)).put("replay_s", round3(c.totalS()))
            .put("replay_startup_s", round3(c.startupS())).put("replay_legs_per_s", Math.round(c.legsPerS()));
        return n;
    }

    static Properties producerProps(String bootstrap) {
        return KafkaClients.plain(bootstrap).producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
    }

    /** Seconds to produce the records (plain idempotent producer, as fast as it goes). */
    static double produce(String bootstrap, String topic, List<byte[]> encoded) {
        long t0 = System.nanoTime();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            long ts = 1_700_000_000_000L;
            for (byte[] b : encoded) {
                producer.send(new ProducerRecord<>(topic, null, ts, "1", b), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                ts += 12_000;
            }
            producer.flush();
        }
        // a lost block would leave the consumers below waiting for it: fail here, with the producer's reason
        if (failed.get() != null) {
            throw new IllegalStateException("producing the benchmark's blocks to " + topic + " failed: " + failed.get().getMessage(), failed.get());
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Passes {@link #consumeAll} makes over the topic (its rate is their median). */
    static final int CONSUME_PASSES = 3;

    /**
     * Seconds to read the whole topic with a plain consumer (the baseline of the end-to-end ratio): the median of
     * {@link #CONSUME_PASSES} passes, each timed from its first record to its last, as the topology's rate is timed from
     * its first processed block (consumer start-up, group join and metadata are left out of both).
     */
    static double consumeAll(String bootstrap, String topic, int n) {
        // the taint engine's fetch size and socket buffer, so that the baseline reads the topic at least as well as the engine does
        Properties p = KafkaClients.plain(bootstrap).consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, io.taintwatch.topology.StreamsSettings.FETCH_BYTES_PER_PARTITION,
            ConsumerConfig.RECEIVE_BUFFER_CONFIG, io.taintwatch.topology.StreamsSettings.RECEIVE_BUFFER_BYTES));
        double[] passes = new double[CONSUME_PASSES];
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            for (int i = 0; i < passes.length; i++) {
                c.seekToBeginning(List.of(tp));
                int seen = 0;
                int first = 0;
                long t0 = 0;
                long progressAt = System.nanoTime();
                while (seen < n) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        progressAt = System.nanoTime();
                    } else if (System.nanoTime() - progressAt > 60_000_000_000L) {
                        throw new IllegalStateException("raw consume of " + topic + ": " + seen + " of " + n + " records after a minute without progress");
                    }
                    if (t0 == 0 && !records.isEmpty()) {
                        t0 = System.nanoTime();
                        first = records.count();
                    }
                    seen += records.count();
                }
                // the first poll's records arrived before the clock started: the rate is over the rest
                passes[i] = (System.nanoTime() - t0) / 1e9 * n / Math.max(1, n - first);
            }
        }
        Arrays.sort(passes);
        return passes[passes.length / 2];
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }
}
