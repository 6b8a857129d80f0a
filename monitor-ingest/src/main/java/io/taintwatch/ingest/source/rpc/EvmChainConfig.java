package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One EVM chain to ingest: identity, endpoints (tried in order, failing over), confirmation depth or the node's
 * {@code finalized} tag, native asset, WETH contracts, trace source, optional end-of-block balances and token metadata,
 * batching and where to start (and, for a backfill, stop). {@code blocksTopic} defaults to {@code blocks.<name>}.
 */
public record EvmChainConfig(ChainId chain, List<String> endpoints, int confirmations, boolean useFinalized,
                             String nativeSymbol, int nativeDecimals, Set<Address> wethContracts, TraceMode traceMode,
                             boolean balances, boolean tokenMetadata, int batchBlocks, Duration pollInterval,
                             long startBlock, Long endBlock, String blocksTopic) {
    public EvmChainConfig {
        endpoints = List.copyOf(endpoints);
        wethContracts = Set.copyOf(wethContracts);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("chain " + chain.name() + ": at least one RPC endpoint is required");
        }
        if (blocksTopic == null) {
            blocksTopic = chain.blocksTopic();
        }
    }

    /** Ethereum mainnet defaults: 12 confirmations, callTracer, canonical WETH, no balances, token metadata on. */
    public static EvmChainConfig ethereum(List<String> endpoints) {
        return new EvmChainConfig(ChainId.ETHEREUM, endpoints, 12, false, "ETH", 18,
            Set.of(Address.parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2")), TraceMode.CALL_TRACER, false, true, 10,
            Duration.ofSeconds(4), 0, null, null);
    }

    /** Endpoints redacted: a config logged at start-up must not leak API keys. */
    @Override
    public String toString() {
        return "EvmChainConfig[chain=" + chain + ", endpoints=" + endpoints.stream().map(RedactedUrl::of).toList()
            + ", confirmations=" + confirmations + ", useFinalized=" + useFinalized + ", native=" + nativeSymbol + "/" + nativeDecimals
            + ", weth=" + wethContracts + ", traceMode=" + traceMode + ", balances=" + balances + ", tokenMetadata=" + tokenMetadata
            + ", batchBlocks=" + batchBlocks + ", pollInterval=" + pollInterval + ", startBlock=" + startBlock + ", endBlock=" + endBlock
            + ", blocksTopic=" + blocksTopic + "]";
    }

    public WorkerSettings workerSettings() {
        return new WorkerSettings(confirmations, useFinalized, batchBlocks, pollInterval, startBlock, endBlock, Duration.ofSeconds(2));
    }
}
