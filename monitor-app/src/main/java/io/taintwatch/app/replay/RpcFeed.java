package io.taintwatch.app.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.ingest.ChainSource;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.EvmRpcSource;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RedactedUrl;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.ingest.source.tron.TronChainConfig;
import io.taintwatch.ingest.source.tron.TronHttpClient;
import io.taintwatch.ingest.source.tron.TronSource;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Blocks {@code from..to} straight from a node, through the ingest module's source of the chain's kind: on EVM chains
 * receipts, fee legs and internal transfers from traces; on Tron java-tron's JSON-RPC and HTTP API (fees and internal
 * transactions). Nothing is published anywhere: the blocks go to the replay only.
 */
public final class RpcFeed implements BlockFeed {
    private static final int BATCH = 10;
    private final long from;
    private final long to;
    private final String endpoint;
    private final Function<IngestMetrics, ChainSource> open;

    private RpcFeed(long from, long to, String url, Function<IngestMetrics, ChainSource> open) {
        this.from = from;
        this.to = to;
        this.endpoint = RedactedUrl.of(url).toString();
        this.open = open;
    }

    /** An EVM node. */
    public RpcFeed(String url, ChainId chain, long from, long to, TraceMode traces, RpcSettings rpcSettings) {
        this(from, to, url, metrics -> {
            EvmChainConfig eth = EvmChainConfig.ethereum(List.of(url));
            // no token metadata: it would be published to the live tokens topic
            EvmChainConfig config = new EvmChainConfig(chain, List.of(url), 0, false, eth.nativeSymbol(), eth.nativeDecimals(),
                chain.equals(ChainId.ETHEREUM) ? eth.wethContracts() : Set.of(), traces, false, false, BATCH, Duration.ofSeconds(1),
                from, to, null);
            return new EvmRpcSource(config, new JsonRpcClient(List.of(url), rpcSettings, metrics), metrics);
        });
    }

    /** A java-tron node: its JSON-RPC ({@code http://node:8545/jsonrpc}) and HTTP API ({@code http://node:8090}). */
    public static RpcFeed tron(String rpcUrl, String httpUrl, ChainId chain, long from, long to, RpcSettings rpcSettings) {
        return new RpcFeed(from, to, rpcUrl, metrics -> {
            TronChainConfig config = new TronChainConfig(chain, List.of(rpcUrl), List.of(httpUrl), 0, false, Set.of(), BATCH,
                Duration.ofSeconds(1), from, to, null);
            return new TronSource(config, new JsonRpcClient(List.of(rpcUrl), rpcSettings, metrics), new TronHttpClient(List.of(httpUrl), rpcSettings,
                metrics), metrics);
        });
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
    public void run(Consumer<Block> sink) throws Exception {
        IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
        try (ChainSource source = open.apply(metrics)) { // closes its clients
            long head;
            try {
                head = source.latest();
            } catch (RuntimeException e) {
                throw new ReplayException("cannot reach the node at " + endpoint + " (" + ReplayException.rootMessage(e)
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
