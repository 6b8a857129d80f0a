package io.taintwatch.ingest.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.ingest.InMemoryBlockSink;
import io.taintwatch.ingest.IngestWorker;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.EvmRpcSource;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Ingest throughput of the RPC source against nodes that {@link BenchNodes} serves: (1) the recorded mainnet block
 * 18,000,000 fetched, checked and turned into a block record over and over; (2) a backfill of the filled anvil, without
 * traces and with {@code trace_block}. One line per measurement, tab-separated, so that runs of two builds can be
 * interleaved and compared (docs/BENCHMARKS.md, "Ingest: web3j types and transport").
 * Args: anvilUrl first last recordedUrl label.
 */
public final class IngestThroughputMain {
    private IngestThroughputMain() {}

    /** The one place that differs between builds: how a source is made. */
    static EvmRpcSource source(EvmChainConfig cfg, IngestMetrics metrics) {
        return new EvmRpcSource(cfg, new JsonRpcClient(cfg.endpoints(), RpcSettings.defaults().withTimeout(Duration.ofMinutes(5)), metrics), metrics);
    }

    /** ... and what a fetch returns. */
    static List<Block> fetch(EvmRpcSource src, long from, long to) {
        return src.fetch(from, to).blocks();
    }

    /** CPU time of this process (all its threads: the caller, the HTTP client's, the JIT and GC). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        String anvilUrl = args[0];
        long first = Long.parseLong(args[1]);
        long last = Long.parseLong(args[2]);
        String recordedUrl = args[3];
        String label = args[4];
        recorded(recordedUrl, label);
        for (TraceMode mode : List.of(TraceMode.NONE, TraceMode.TRACE_BLOCK)) {
            anvil(anvilUrl, first, last, mode, label);
        }
    }

    static void recorded(String url, String label) {
        ChainId chain = ChainId.ETHEREUM;
        EvmChainConfig cfg = new EvmChainConfig(chain, List.of(url), 0, false, "ETH", 18, Set.of(), TraceMode.NONE, false, false, 1,
            Duration.ofMillis(10), RecordedNode.BLOCK, RecordedNode.BLOCK, null);
        IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
        try (EvmRpcSource src = source(cfg, metrics)) {
            for (int i = 0; i < 30; i++) {
                fetch(src, RecordedNode.BLOCK, RecordedNode.BLOCK); // warm-up
            }
            int rounds = 200;
            long legs = 0;
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                legs += fetch(src, RecordedNode.BLOCK, RecordedNode.BLOCK).get(0).legs().size();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            System.out.printf("%s\trecorded block 18,000,000 x%d\t%.1f blocks/s\t%.0f legs/s\t%.2f ms per block\tCPU %.2f ms per block%n", label,
                rounds, rounds / s, legs / s, 1000 * s / rounds, 1000 * cpu / rounds);
        }
    }

    static void anvil(String url, long first, long last, TraceMode mode, String label) {
        IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
        ChainId chain = new ChainId(31337, "bench");
        EvmChainConfig cfg = new EvmChainConfig(chain, List.of(url), 0, false, "ETH", 18, Set.of(), mode, false, false, 10,
            Duration.ofMillis(10), first, last, null);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        try (EvmRpcSource src = source(cfg, metrics)) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            new IngestWorker(chain, src, sink, cfg.workerSettings(), metrics).run();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            double rpc = metrics.rpcSecondsTotal();
            long legs = sink.published.stream().mapToLong(b -> b.legs().size()).sum();
            System.out.printf("%s\tanvil blocks %d..%d, traces %s\t%.1f blocks/s\t%.0f legs/s\twall %.2f s = RPC wait %.2f s + ours %.2f s\tCPU %.2f s%n",
                label, first, last, mode.name().toLowerCase(java.util.Locale.ROOT), sink.published.size() / wall, legs / wall, wall, rpc, wall - rpc,
                cpu);
        }
    }
}
