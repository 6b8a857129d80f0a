package io.taintwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.run.Pipeline;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.synth.MainnetChain;
import io.taintwatch.synth.SpreadChain;
import io.taintwatch.taint.StoredAccounts;
import io.taintwatch.taint.StoredLedgers;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.topology.BoundedRocksDb;
import io.taintwatch.topology.StateCaches;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code taintwatch bench --tracked N}: the taint engine with N addresses tracked (docs/BENCHMARKS.md, "State beyond the
 * heap"). A {@link SpreadChain} leaves exactly N addresses holding taint, spread the way haircut taint spreads, and the
 * mainnet-shaped chain follows it. Both run through the engine in process, its state in RocksDB as the topology keeps
 * it, and then through the taint topology on an in-process broker: the spread first (the state is built, the heap
 * measured with N tracked, the state on disk measured), then, after a restart on that state, the mainnet-shaped blocks
 * catching up (end to end against the engine in process on the same blocks).
 */
final class SpreadBench {
    private static final ChainId CHAIN = new ChainId(1, "ethereum");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpreadBench() {}

    static ObjectNode run(long tracked, int mainnetBlocks, long seed, PrintStream log) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.set("machine", Machine.describe());
        Path dir = Files.createTempDirectory("taintwatch-spread-");
        long started = System.nanoTime();
        try {
            Chains chains = new Chains(tracked, mainnetBlocks, seed);
            log.printf("bench --tracked %d: %d spread blocks (fan-out %d), then %d mainnet-shaped blocks%n", tracked,
                chains.spread.blocks(), chains.spread.fanOut(), mainnetBlocks);
            out.put("tracked_requested", tracked).put("spread_blocks", chains.spread.blocks()).put("spread_fan_out", chains.spread.fanOut())
                .put("mainnet_blocks", mainnetBlocks);
            inProcess(new Chains(tracked, mainnetBlocks, seed), dir.resolve("engine"), out, log);
            throughKafka(new Chains(tracked, mainnetBlocks, seed), dir, out, log);
            double engine = out.get("engine_legs_per_s").asDouble();
            double e2e = out.get("e2e_legs_per_s").asDouble();
            out.put("e2e_to_engine_ratio", PipelineBench.round3(e2e / engine));
            log.printf("bench --tracked %d: end to end %.0f legs/s = %.2f of the engine in process (%.0f legs/s)%n", tracked, e2e, e2e / engine,
                engine);
            ((ObjectNode) out.get("machine")).put("load_average_1m_end",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.put("heap_max_bytes", Runtime.getRuntime().maxMemory()).put("rss_peak_bytes", Machine.status("VmHWM"));
            out.put("run_s", PipelineBench.round3((System.nanoTime() - started) / 1e9));
            return out;
        } finally {
            Machine.deleteTree(dir);
        }
    }

    /** The spread and the mainnet-shaped chain after it, with the seeds and labels of both; made anew for each pass. */
    private static final class Chains {
        final MainnetChain mainnet;
        final SpreadChain spread;
        final int mainnetBlocks;
        final List<Seed> seeds = new ArrayList<>();
        final List<Entity> labels;

        Chains(long tracked, int mainnetBlocks, long seed) {
            this.mainnet = new MainnetChain(CHAIN, MainnetChain.Params.defaults(seed).withLaundering(2_000));
            this.spread = new SpreadChain(CHAIN, mainnet, tracked, MainnetChain.MAINNET_LEGS_PER_BLOCK, seed);
            this.mainnetBlocks = mainnetBlocks;
            seeds.addAll(spread.seeds());
            seeds.addAll(mainnet.seeds());
            labels = mainnet.labels();
        }

        long lastSpreadBlock() {
            return spread.firstBlock() + spread.blocks() - 1;
        }

        long lastBlock() {
            return lastSpreadBlock() + mainnetBlocks;
        }
    }

    /** The engine in process on both chains, accounts and ledgers in RocksDB behind the default caches; the mainnet part timed. */
    private static void inProcess(Chains c, Path dir, ObjectNode out, PrintStream log) {
        try (RocksKeyValues accountStore = new RocksKeyValues(dir.resolve("accounts"), BoundedRocksDb.DEFAULT_BYTES);
             RocksKeyValues metaStore = new RocksKeyValues(dir.resolve("meta"), BoundedRocksDb.DEFAULT_BYTES / 4)) {
            StoredAccounts accounts = new StoredAccounts(accountStore, StateCaches.DEFAULT_ACCOUNT_BYTES);
            StoredLedgers ledgers = new StoredLedgers(metaStore, StateCaches.DEFAULT_LEDGER_BYTES);
            TaintEngine engine = new TaintEngine(CHAIN, TaintConfig.defaults(), NativeAsset.defaultFor(CHAIN), accounts, ledgers);
            c.seeds.forEach(engine::putSeed);
            c.labels.forEach(engine::putLabel);
            long heapBefore = Machine.heapAfterGc();
            long t0 = System.nanoTime();
            long spreadLegs = 0;
            long blocks = 0;
            while (c.spread.hasNext()) {
                Block b = c.spread.next();
                spreadLegs += b.legs().size();
                process(engine, accounts, ledgers, b);
                if (++blocks % Math.max(1, c.spread.blocks() / 10) == 0) {
                    log.printf("bench: engine in process: %d of %d spread blocks, %d tracked, %.0f s%n", blocks, c.spread.blocks(),
                        engine.trackedCount(), (System.nanoTime() - t0) / 1e9);
                }
            }
            double buildS = (System.nanoTime() - t0) / 1e9;
            int trackedAfterSpread = engine.trackedCount();
            long heap = Machine.heapAfterGc();
            long legs = 0;
            long nanos = 0;
            for (int i = 0; i < c.mainnetBlocks; i++) {
                Block b = c.mainnet.next();
                legs += b.legs().size();
                long s = System.nanoTime();
                process(engine, accounts, ledgers, b);
                nanos += System.nanoTime() - s;
            }
            double rate = legs / (nanos / 1e9);
            log.printf("bench: engine in process: spread of %d legs built in %.1f s (%d tracked, heap after GC %d MB, %d MB before: %.1f bytes per"
                + " tracked address); %d mainnet-shaped legs at %.0f legs/s (%d account reads, %d tracked at the end)%n", spreadLegs, buildS,
                trackedAfterSpread, heap >> 20, heapBefore >> 20, (heap - heapBefore) / (double) trackedAfterSpread, legs, rate, accounts.reads(),
                engine.trackedCount());
            out.put("spread_legs", spreadLegs).put("engine_spread_build_s", PipelineBench.round3(buildS))
                .put("engine_tracked_after_spread", trackedAfterSpread).put("engine_heap_used_after_gc_bytes", heap)
                .put("engine_heap_per_tracked_address_bytes", PipelineBench.round3((heap - heapBefore) / (double) trackedAfterSpread))
                .put("engine_index_bytes", engine.indexBytes()).put("legs", legs).put("engine_legs_per_s", Math.round(rate))
                .put("engine_account_reads", accounts.reads()).put("engine_state_disk_bytes", Machine.treeBytes(dir));
        }
    }

    private static void process(TaintEngine engine, StoredAccounts accounts, StoredLedgers ledgers, Block b) {
        TaintEngine.BlockResult r = engine.process(b);
        accounts.persist(r.accounts());
        ledgers.persist();
    }

    /**
     * The taint topology: empty, then fed the spread (heap and disk measured with N tracked), stopped, given the
     * mainnet-shaped blocks, restarted on its state and timed catching up over them.
     */
    private static void throughKafka(Chains c, Path dir, ObjectNode out, PrintStream log) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, Map.of());
             Admin admin = Admin.create(KafkaClients.plain(kafka.bootstrapServers()).admin())) {
            String bootstrap = kafka.bootstrapServers();
            Path state = dir.resolve("state");
            PipelineConfig config = BenchPreset.config(bootstrap, CHAIN, state, "spread");
            config.topics().ensure(KafkaClients.plain(bootstrap), List.of(CHAIN));
            String topic = CHAIN.blocksTopic();

            SimpleMeterRegistry first = new SimpleMeterRegistry();
            try (Pipeline taint = Pipeline.start(config, EnumSet.of(Pipeline.Part.TAINT), new Pipeline.Extras(first, c.seeds, c.labels))) {
                await(() -> gauge(first, "taintwatch.taint.last.block") != null, taint, Duration.ofMinutes(5), "the taint topology to start");
                long heapEmpty = Machine.heapAfterGc();
                long t0 = System.nanoTime();
                long legs = produce(bootstrap, topic, c.spread::hasNext, c.spread::next, Long.MAX_VALUE);
                log.printf("bench: %d spread legs produced in %.1f s; the topology builds the state...%n", legs, (System.nanoTime() - t0) / 1e9);
                await(() -> PipelineBench.lastBlock(first) >= c.lastSpreadBlock(), taint, Duration.ofHours(12), "the spread to be processed");
                double buildS = (System.nanoTime() - t0) / 1e9;
                long heap = Machine.heapAfterGc();
                long trackedNow = Math.round(gauge(first, "taintwatch.taint.tracked.addresses").value());
                long index = Math.round(gauge(first, "taintwatch.taint.state.index.bytes").value());
                long cache = Math.round(gauge(first, "taintwatch.taint.state.account.cache.bytes").value());
                log.printf("bench: the topology built the state in %.1f s (produce included): %d tracked, heap after GC %d MB (%d MB before;"
                    + " index %d MB, account cache ~%d MB): %.1f bytes per tracked address%n", buildS, trackedNow, heap >> 20, heapEmpty >> 20,
                    index >> 20, cache >> 20, (heap - heapEmpty) / (double) trackedNow);
                out.put("spread_build_s", PipelineBench.round3(buildS)).put("tracked_addresses", trackedNow).put("heap_used_after_gc_bytes", heap)
                    .put("heap_used_after_gc_empty_bytes", heapEmpty).put("heap_per_tracked_address_bytes", PipelineBench.round3((heap - heapEmpty)
                        / (double) trackedNow)).put("index_bytes", index).put("index_bytes_per_tracked_address", PipelineBench.round3(index
                        / (double) trackedNow)).put("account_cache_bytes", cache);
            }
            long disk = Machine.treeBytes(state);
            long changelog = LivePipeline.changelogBytes(admin);
            log.printf("bench: state on disk %d MB, its changelog topics %d MB%n", disk >> 20, changelog >> 20);
            out.put("state_disk_bytes", disk).put("changelog_bytes", changelog);

            long legs = produce(bootstrap, topic, () -> true, c.mainnet::next, c.mainnetBlocks);
            SimpleMeterRegistry second = new SimpleMeterRegistry();
            long start = System.nanoTime();
            long firstAt = 0;
            long end;
            try (Pipeline taint = Pipeline.start(config, EnumSet.of(Pipeline.Part.TAINT), new Pipeline.Extras(second, c.seeds, c.labels))) {
                await(() -> gauge(second, "taintwatch.taint.last.block") != null, taint, Duration.ofHours(1), "the taint topology to restart");
                double restartS = (System.nanoTime() - start) / 1e9;
                long firstMainnet = c.lastSpreadBlock() + 1;
                double seen;
                while ((seen = PipelineBench.lastBlock(second)) < c.lastBlock()) {
                    if (!taint.alive()) {
                        throw new IllegalStateException("taint engine stopped during the benchmark (see the log)");
                    }
                    if (firstAt == 0 && seen >= firstMainnet) {
                        firstAt = System.nanoTime();
                    }
                    Thread.sleep(1);
                }
                end = PipelineBench.lastCommit(second, taint::alive);
                double rate = legs / ((end - firstAt) / 1e9);
                long heap = Machine.heapAfterGc();
                long trackedEnd = Math.round(gauge(second, "taintwatch.taint.tracked.addresses").value());
                log.printf("bench: restarted on the state in %.1f s (first block after %.1f s); end to end (EOS) %.0f legs/s over %d mainnet-shaped legs;"
                    + " heap after GC %d MB, %d tracked%n", restartS, (firstAt - start) / 1e9, rate, legs, heap >> 20, trackedEnd);
                out.put("restart_s", PipelineBench.round3(restartS)).put("restart_first_block_s", PipelineBench.round3((firstAt - start) / 1e9))
                    .put("e2e_legs_per_s", Math.round(rate)).put("heap_used_after_gc_after_restart_bytes", heap).put("tracked_addresses_end", trackedEnd);
            }
        }
    }

    /** Produces blocks while {@code more} says so, at most {@code max}; returns their legs. */
    private static long produce(String bootstrap, String topic, java.util.function.BooleanSupplier more, java.util.function.Supplier<Block> next,
                                long max) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long legs = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(PipelineBench.producerProps(bootstrap), new StringSerializer(),
            new ByteArraySerializer())) {
            for (long i = 0; i < max && more.getAsBoolean(); i++) {
                Block b = next.get();
                legs += b.legs().size();
                producer.send(new ProducerRecord<>(topic, null, b.timestamp() * 1000, Long.toString(CHAIN.id()), BlockCodec.encode(b)), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing the benchmark's blocks to " + topic + " failed: " + failed.get().getMessage(), failed.get());
        }
        return legs;
    }

    private static Gauge gauge(SimpleMeterRegistry r, String name) {
        return r.find(name).gauge();
    }

    private static void await(java.util.function.BooleanSupplier done, Pipeline taint, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (!taint.alive()) {
                throw new IllegalStateException("taint engine stopped while waiting for " + what + " (see the log)");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
