package io.taintwatch.ingest;

import static io.taintwatch.embedded.devnet.Abi.address;
import static io.taintwatch.embedded.devnet.Abi.string;
import static io.taintwatch.embedded.devnet.Abi.uint;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.devnet.DeployedContract;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.Devnet.Tx;
import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.source.etl.EtlExportSource;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.EvmRpcSource;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.testing.SharedData;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.web3j.crypto.Credentials;

/**
 * Ingest throughput, printed as Markdown rows for docs/BENCHMARKS.md: (1) the export-file source on the real ERC-20
 * transfers of blocks 12,600,000-12,600,050; (2) the RPC source against anvil filled with N transactions, splitting
 * wall time into time spent waiting on JSON-RPC and our own time. Args: [anvil transactions, default 10000].
 */
public final class IngestBenchmarkMain {
    private IngestBenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        int txs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        List<TraceMode> modes = args.length > 1 ? java.util.Arrays.stream(args[1].split(",")).map(TraceMode::valueOf).toList()
            : List.of(TraceMode.NONE, TraceMode.TRACE_BLOCK, TraceMode.CALL_TRACER);
        fileSource();
        if (txs > 0) {
            anvil(txs, modes);
        }
    }

    static void fileSource() throws Exception {
        Path dir = Files.createTempDirectory("bench-etl");
        Files.createSymbolicLink(dir.resolve("token_transfers.csv.gz"),
            SharedData.path("transfers/ethritch_blocks_12600000-12600050/token_transfers.csv.gz").toAbsolutePath());
        EtlExportSource.Options o = new EtlExportSource.Options(ChainId.ETHEREUM, Set.of());
        for (int i = 0; i < 5; i++) {
            EtlExportSource.open(dir, o).readAll(); // warm-up
        }
        int rounds = 20;
        long legs = 0;
        long blocks = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            for (AssembledBlock a : EtlExportSource.open(dir, o).readAll()) {
                blocks++;
                legs += a.block().legs().size();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("| file source, real transfers (51 blocks, 8,817 legs, gz CSV) x%d | %.0f blocks/s | %.0f legs/s | %.3f s per import |%n",
            rounds, blocks / s, legs / s, s / rounds);
        Files.delete(dir.resolve("token_transfers.csv.gz"));
        Files.delete(dir);
    }

    static void anvil(int txCount, List<TraceMode> modes) throws Exception {
        try (Anvil anvil = Anvil.builder().accounts(20).gasLimit(300_000_000L).noMining().start()) {
            long[] range = io.taintwatch.ingest.bench.BenchNodes.fill(anvil, txCount);
            long first = range[0];
            long last = range[1];
            for (TraceMode mode : modes) {
                SimpleMeterRegistry reg = new SimpleMeterRegistry();
                IngestMetrics metrics = new IngestMetrics(reg);
                ChainId chain = new ChainId(31337, "bench");
                EvmChainConfig cfg = new EvmChainConfig(chain, List.of(anvil.rpcUrl()), 0, false, "ETH", 18, Set.of(), mode, false, false, 10,
                    Duration.ofMillis(10), first, last, null);
                InMemoryBlockSink sink = new InMemoryBlockSink(null);
                try (EvmRpcSource src = new EvmRpcSource(cfg, new JsonRpcClient(cfg.endpoints(), RpcSettings.defaults().withTimeout(Duration.ofMinutes(5)), metrics), metrics)) {
                    long t0 = System.nanoTime();
                    new IngestWorker(chain, src, sink, cfg.workerSettings(), metrics).run();
                    double wall = (System.nanoTime() - t0) / 1e9;
                    double rpc = metrics.rpcSecondsTotal();
                    long legs = sink.published.stream().mapToLong(b -> b.legs().size()).sum();
                    long blocks = sink.published.size();
                    long nTx = sink.published.stream().mapToLong(b -> b.legs().stream().map(l -> l.txHash()).distinct().count()).sum();
                    System.out.printf("| RPC source, anvil, %d txs in %d blocks, traces %s | %.1f blocks/s | %.0f legs/s | wall %.2f s = RPC wait %.2f s (%.0f%%) + ours %.2f s |%n",
                        nTx, blocks, mode.name().toLowerCase(), blocks / wall, legs / wall, wall, rpc, 100 * rpc / wall, wall - rpc);
                }
            }
        }
    }

    static long legsOf(List<Block> blocks) {
        return blocks.stream().mapToLong(b -> b.legs().size()).sum();
    }
}
