package io.taintwatch.app.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Blocks {@code from..to} straight from a node, through the ingest module's RPC source (receipts, fee legs and
 * internal transfers from traces included). Nothing is published anywhere: the blocks go to the replay only.
 */
public final class RpcFeed implements BlockFeed {
    private static final int BATCH = 10;
    private final String url;
    private final long from;
    private final long to;
    private final EvmChainConfig config;
    private final RpcSettings rpcSettings;

    public RpcFeed(String url, ChainId chain, long from, long to, TraceMode traces, RpcSettings rpcSettings) {
        EvmChainConfig eth = EvmChainConfig.ethereum(List.of(url));
        this.url = url;
        this.from = from;
        this.to = to;
        this.rpcSettings = rpcSettings;
        // no token metadata: it would be published to the live tokens topic
        this.config = new EvmChainConfig(chain, List.of(url), 0, false, eth.nativeSymbol(), eth.nativeDecimals(),
            chain.equals(ChainId.ETHEREUM) ? eth.wethContracts() : Set.of(), traces, false, false, BATCH, Duration.ofSeconds(1),
            from, to, null);
    }

    @Override
    public String describe() {
        return "node blocks " + from + ".." + to;
    }

    @Override
    public OptionalLong expectedBlocks() {
        return OptionalLong.of(to - from + 1);
    }

    @Override
    public void run(Consumer<Block> sink) {
        IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
        JsonRpcClient rpc = new JsonRpcClient(List.of(url), rpcSettings, metrics);
        try (EvmRpcSource source = new EvmRpcSource(config, rpc, metrics)) { // closes rpc
            long head;
            try {
                head = source.latest();
            } catch (RuntimeException e) {
                throw new ReplayException("cannot reach the node at " + rpc.endpoints().get(0) + " (" + ReplayException.rootMessage(e)
                    + "); check --rpc and that the node is up", false, e);
            }
            if (to > head) {
                throw new ReplayException("--to " + to + " is beyond the node's head block " + head, true, null);
            }
            for (long n = from; n <= to; n += BATCH) {
                for (Block b : source.fetch(n, Math.min(to, n + BATCH - 1)).blocks()) {
                    sink.accept(b);
                }
            }
        }
    }
}
