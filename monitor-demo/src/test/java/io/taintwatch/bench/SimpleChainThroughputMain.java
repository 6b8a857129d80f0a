package io.taintwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.topology.TaintService;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.SyntheticChain;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.topology.TaintTopologyConfig;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end benchmark on the simple synthetic chain ({@link SyntheticChain}: 300-leg blocks, 0.1% of legs
 * tainted), one run on one in-process broker: produce it to {@code blocks.<chain>} (raw produce rate), consume it raw
 * (raw consume rate), run the taint topology over it with exactly-once (end-to-end rate: from its first processed block
 * to the commit of the last, {@link PipelineBench#lastCommit}), and the engine in process
 * over the same blocks. {@code taintwatch bench} measures the mainnet-shaped chain; this one the simpler workload of the
 * engine's target (0.1% of legs tainted). Run (docs/BENCHMARKS.md):
 * {@code java -XX:-UseCodeCacheFlushing -Dbench.stacks=false -cp monitor-demo/target/test-classes:monitor-demo/target/classes:$(cat
 * monitor-demo/target/classpath.txt) io.taintwatch.bench.SimpleChainThroughputMain [blocks] [runs] [warm-up blocks]}: without
 * code-cache flushing the JIT drops the topology's code as cold between the phases and recompiles it in every measured
 * window; the stack sampling ({@link StreamThreadProfile}, on unless {@code -Dbench.stacks=false}) slows the stream thread.
 * {@code -Dbench.sections=true} prints the stream thread's wall time per leg by section ({@code taint.section-times}).
 * For the warm rate of a long catch-up use {@code 150000 3 150000} with {@code -Xmx14g} (the encoded blocks are held in
 * the heap): in 60,000-block runs the C2 compiler still takes a third to half a core in the ~4 s end-to-end window.
 */
public final class SimpleChainThroughputMain {
    /** Size of the run. */
    public record Options(int blocks, int legsPerBlock, int taintedPerMillion, long seed) {
    }

    /** Measured figures. */
    public record Result(long legs, double produceLegsPerS, double rawConsumeLegsPerS, double e2eLegsPerS, double engineLegsPerS,
                         long heapMaxBytes, long flows) {
        public double e2eToRawRatio() {
            return e2eLegsPerS / rawConsumeLegsPerS;
        }

        public ObjectNode json() {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("legs", legs).put("produce_legs_per_s", Math.round(produceLegsPerS)).put("raw_consume_legs_per_s", Math.round(rawConsumeLegsPerS))
                .put("e2e_legs_per_s", Math.round(e2eLegsPerS)).put("engine_legs_per_s", Math.round(engineLegsPerS))
                .put("e2e_to_raw_consume_ratio", Math.round(e2eToRawRatio() * 1000) / 1000.0).put("heap_max_bytes", heapMaxBytes).put("flows", flows);
            return n;
        }
    }

    private static final ChainId CHAIN = new ChainId(1, "ethereum");
    /** {@code -Dbench.sections=true}: the topology measures its stream thread by section ({@code taint.section-times}) and the bench prints it per leg. */
    private static final boolean SECTIONS = Boolean.getBoolean("bench.sections");

    private SimpleChainThroughputMain() {}

    public static Result run(Options o, PrintStream log) throws Exception {
        SyntheticChain chain = new SyntheticChain(CHAIN,
            new SyntheticChain.Params(o.seed(), 200_000, o.legsPerBlock(), 10, 200, 4, o.taintedPerMillion()), 1);
        List<byte[]> encoded = new ArrayList<>(o.blocks());
        List<Block> blocks = new ArrayList<>(o.blocks());
        long legs = 0;
        for (int i = 0; i < o.blocks(); i++) {
            Block b = chain.next();
            blocks.add(b);
            encoded.add(BlockCodec.encode(b));
            legs += b.legs().size();
        }
        log.printf("bench: %d blocks, %d legs (%d per million tainted)%n", o.blocks(), legs, o.taintedPerMillion());

        // the engine alone, in process, on the same blocks
        TaintEngine engine = new TaintEngine(CHAIN, TaintConfig.defaults());
        chain.seeds().forEach(engine::putSeed);
        chain.labels().forEach(engine::putLabel);
        long flows = 0;
        long t0 = System.nanoTime();
        for (Block b : blocks) {
            flows += engine.process(b).flows().size();
        }
        double engineRate = legs / seconds(t0);
        log.printf("bench: engine in process %.0f legs/s (%d flows)%n", engineRate, flows);
        blocks.clear();

        Path dir = Files.createTempDirectory("taintwatch-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, prefixed("broker."))) {
            String bootstrap = kafka.bootstrapServers();
            PipelineTopics.defaults().ensure(KafkaClients.plain(bootstrap), java.util.List.of(CHAIN));
            double produceRate = legs / PipelineBench.produce(bootstrap, CHAIN.blocksTopic(), encoded);
            log.printf("bench: raw produce %.0f legs/s%n", produceRate);
            // the classic consumer does its work on the calling thread: its CPU time over all passes, per leg
            long rawCpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            double rawRate = legs / PipelineBench.consumeAll(bootstrap, CHAIN.blocksTopic(), encoded.size());
            double rawCpuNsPerLeg = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - rawCpu0)
                / ((double) PipelineBench.CONSUME_PASSES * legs);
            log.printf("bench: raw consume %.0f legs/s%n", rawRate);
            encoded.clear();
            double floorRate = legs / streamsFloor(bootstrap, dir.resolve("floor-state"), o.blocks());
            log.printf("bench: Kafka Streams floor (EOS, a processor that does nothing, bytes not decoded) %.0f legs/s, %.2f of raw consume%n",
                floorRate, floorRate / rawRate);

            TaintTopologyConfig cfg = TaintTopologyConfig.live(CHAIN, TaintConfig.defaults()).withInitial(chain.seeds(), chain.labels())
                .withSectionTimes(SECTIONS);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            long start = System.nanoTime();
            long firstAt = 0;
            double firstBlock = 0;
            Map<String, Double> sectionsAtFirst = Map.of();
            StreamThreadProfile profile = null;
            double streamCpuS;
            long end;
            // legs from the first processed block on: what the end-to-end rate, the CPU and the sections are per
            double windowLegs;
            try (TaintService taint = new TaintService(cfg, "taintwatch-bench", new KafkaClients(bootstrap, prefixed("streams.")), dir.resolve("state"),
                registry).start()) {
                long last = o.blocks();
                double seen;
                while ((seen = PipelineBench.lastBlock(registry)) < last) {
                    if (!taint.alive()) {
                        throw new IllegalStateException("taint engine stopped during the benchmark", taint.failure());
                    }
                    if (firstAt == 0 && seen >= 1) {
                        firstAt = System.nanoTime();
                        firstBlock = seen;
                        sectionsAtFirst = sectionSeconds(registry);
                        profile = new StreamThreadProfile("taintwatch-bench-");
                    }
                    Thread.sleep(1);
                }
                end = PipelineBench.lastCommit(registry, taint::alive);
                windowLegs = legs * (o.blocks() - firstBlock) / o.blocks();
                if (SECTIONS) {
                    Map<String, Double> sectionsAtEnd = sectionSeconds(registry);
                    StringBuilder line = new StringBuilder();
                    double total = 0;
                    for (Map.Entry<String, Double> e : sectionsAtEnd.entrySet()) {
                        double ns = (e.getValue() - sectionsAtFirst.getOrDefault(e.getKey(), 0.0)) * 1e9 / windowLegs;
                        total += ns;
                        line.append(String.format(", %s %.1f", e.getKey(), ns));
                    }
                    log.printf("bench: stream thread wall time per leg by section (taint.section-times), ns: total %.1f%s%n", total, line);
                }
                log.printf("bench: %.0f of %.0f blocks passed over (no leg touched a tracked address or source), %.0f addresses tracked at the end%n",
                    registry.find("taintwatch.taint.blocks.passed.over").counter().count(), registry.find("taintwatch.taint.blocks").counter().count(),
                    registry.find("taintwatch.taint.tracked.addresses").gauge().value());
                streamCpuS = profile.report(log);
                transactionTimes(registry, log);
            }
            long closed = System.nanoTime();
            // throughput from the first processed block on; start-up (group join, store init) reported apart
            double e2eRate = windowLegs / ((end - firstAt) / 1e9);
            log.printf("bench: end to end (EOS) %.0f legs/s, %.2f of raw consume (start-up %.1f s, to the last commit %.1f s, closing %.1f s)%n",
                e2eRate, e2eRate / rawRate, (firstAt - start) / 1e9, (end - start) / 1e9, (closed - end) / 1e9);
            // CPU time per leg leaves out the waits and the scheduler that the rates include
            double streamCpuNsPerLeg = streamCpuS * 1e9 / windowLegs;
            log.printf("bench: CPU per leg: raw consumer %.0f ns, taint topology's stream thread %.0f ns (%.2f)%n", rawCpuNsPerLeg,
                streamCpuNsPerLeg, rawCpuNsPerLeg / streamCpuNsPerLeg);
            return new Result(legs, produceRate, rawRate, e2eRate, engineRate, Runtime.getRuntime().maxMemory(), flows);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        if (warmup > 0) {
            // one unreported run first: the JIT compiles the consumer, the decoder and the topology before anything is timed,
            // so that raw consume and end to end are compared warm (a cold first pass penalises whichever phase comes first)
            run(new Options(warmup, 300, 1000, 11), new PrintStream(java.io.OutputStream.nullOutputStream()));
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Result r = run(new Options(blocks, 300, 1000, 7), System.out);
            ratios.add(r.e2eToRawRatio());
            System.out.println(r.json());
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        System.out.printf("bench: e2e / raw consume over %d runs: median %.2f, min %.2f, max %.2f%n", runs, sorted.get(sorted.size() / 2),
            sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /**
     * Seconds for a Kafka Streams application with the engine's settings (exactly-once, fetch size, commit interval) and
     * a processor that does nothing to read the whole blocks topic, timed from its first record: what any topology on
     * this topic pays before doing work.
     */
    static double streamsFloor(String bootstrap, Path state, int n) throws InterruptedException {
        org.apache.kafka.streams.Topology t = new org.apache.kafka.streams.Topology();
        java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong firstAt = new java.util.concurrent.atomic.AtomicLong();
        t.addSource("src", new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(), CHAIN.blocksTopic());
        t.addProcessor("noop", () -> (org.apache.kafka.streams.processor.api.Processor<byte[], byte[], Void, Void>) r -> {
            if (seen.incrementAndGet() == 1) {
                firstAt.set(System.nanoTime());
            }
        }, "src");
        java.util.Properties p = io.taintwatch.topology.StreamsSettings.of("taintwatch-bench-floor", bootstrap, state, streamsOverrides());
        try (org.apache.kafka.streams.KafkaStreams ks = new org.apache.kafka.streams.KafkaStreams(t, p)) {
            ks.start();
            while (seen.get() < n) {
                Thread.sleep(1);
            }
            return (System.nanoTime() - firstAt.get()) / 1e9 * n / (n - 1);
        }
    }

    /** Seconds by section (by name) of the taint topology's stream thread ({@code taint.section-times}); empty when off. */
    private static Map<String, Double> sectionSeconds(io.micrometer.core.instrument.MeterRegistry registry) {
        Map<String, Double> m = new java.util.TreeMap<>();
        for (var c : registry.find("taintwatch.taint.section.seconds").functionCounters()) {
            m.put(c.getId().getTag("section"), c.count());
        }
        return m;
    }

    /** Kafka Streams settings to try, from system properties {@code streams.<name>} (e.g. {@code -Dstreams.commit.interval.ms=500}). */
    private static Map<String, Object> streamsOverrides() {
        return new java.util.TreeMap<>(prefixed("streams."));
    }

    /** System properties starting with {@code prefix}, the prefix cut (broker settings: {@code -Dbroker.<name>}). */
    static Map<String, String> prefixed(String prefix) {
        Map<String, String> m = new java.util.TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
            .forEach(k -> m.put(k.substring(prefix.length()), System.getProperty(k)));
        return m;
    }

    /** The Streams producer's cumulative time in each transaction step and the thread's commit count (Kafka's own metrics). */
    private static void transactionTimes(SimpleMeterRegistry r, PrintStream log) {
        Map<String, Double> m = new java.util.TreeMap<>();
        for (var meter : r.getMeters()) {
            String n = meter.getId().getName();
            if (n.matches("kafka\\.producer\\.(txn\\..*time\\.ns\\.total|flush\\.time\\.ns\\.total)")) {
                meter.measure().forEach(x -> m.merge(n, x.getValue(), Double::sum));
            }
        }
        double commits = PipelineBench.commits(r);
        StringBuilder b = new StringBuilder("bench: commits " + Math.round(commits) + "; producer ms per commit:");
        m.forEach((k, v) -> b.append(String.format(" %s %.1f", k.substring("kafka.producer.".length(), k.length() - ".time.ns.total".length()),
            v / 1e6 / commits)));
        log.println(b);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
