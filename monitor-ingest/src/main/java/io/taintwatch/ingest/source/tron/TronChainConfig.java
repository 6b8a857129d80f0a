package io.taintwatch.ingest.source.tron;

import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.ingest.source.rpc.RedactedUrl;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One Tron chain to ingest: identity, java-tron's eth-compatible JSON-RPC endpoints ({@code http://node:8545/jsonrpc})
 * and its HTTP API endpoints ({@code http://node:8090}, for {@code /wallet/*}), each list tried in order with failover,
 * the confirmation depth or the {@code finalized} tag (the latest solidified block), WTRX-like contracts whose
 * {@code Deposit}/{@code Withdrawal} events are legs, batching and where to start (and, for a backfill, stop), and whether
 * the metadata of the TRC-20 tokens moved (and TRX's, as the native asset) goes to the tokens topic.
 * {@code blocksTopic} defaults to {@code blocks.<name>}.
 */
public record TronChainConfig(ChainId chain, List<String> rpcEndpoints, List<String> httpEndpoints, int confirmations,
                              boolean useFinalized, Set<Address> wrappedNative, int batchBlocks, Duration pollInterval,
                              long startBlock, Long endBlock, String blocksTopic, boolean tokenMetadata, String nativeSymbol,
                              int nativeDecimals) {
    /** Without token metadata (replays, tests): TRX with 6 decimals. */
    public TronChainConfig(ChainId chain, List<String> rpcEndpoints, List<String> httpEndpoints, int confirmations, boolean useFinalized,
                           Set<Address> wrappedNative, int batchBlocks, Duration pollInterval, long startBlock, Long endBlock,
                           String blocksTopic) {
        this(chain, rpcEndpoints, httpEndpoints, confirmations, useFinalized, wrappedNative, batchBlocks, pollInterval, startBlock, endBlock,
            blocksTopic, false, "TRX", 6);
    }

    public TronChainConfig {
        rpcEndpoints = List.copyOf(rpcEndpoints);
        httpEndpoints = List.copyOf(httpEndpoints);
        wrappedNative = Set.copyOf(wrappedNative);
        if (chain.kind() != ChainKind.TRON) {
            throw new IllegalArgumentException("chain " + chain.name() + " is not a tron chain (kind " + chain.kind().label() + ")");
        }
        if (rpcEndpoints.isEmpty()) {
            throw new IllegalArgumentException("chain " + chain.name() + ": at least one JSON-RPC endpoint is required");
        }
        if (httpEndpoints.isEmpty()) {
            throw new IllegalArgumentException("chain " + chain.name() + ": at least one java-tron HTTP API endpoint is required"
                + " (internal transactions and fees come from /wallet/gettransactioninfobyblocknum)");
        }
        if (blocksTopic == null) {
            blocksTopic = chain.blocksTopic();
        }
    }

    /** Endpoints redacted: a config logged at start-up must not leak API keys. */
    @Override
    public String toString() {
        return "TronChainConfig[chain=" + chain + ", rpcEndpoints=" + rpcEndpoints.stream().map(RedactedUrl::of).toList()
            + ", httpEndpoints=" + httpEndpoints.stream().map(RedactedUrl::of).toList() + ", confirmations=" + confirmations
            + ", useFinalized=" + useFinalized + ", wrappedNative=" + wrappedNative + ", batchBlocks=" + batchBlocks + ", pollInterval="
            + pollInterval + ", startBlock=" + startBlock + ", endBlock=" + endBlock + ", blocksTopic=" + blocksTopic + ", tokenMetadata="
            + tokenMetadata + ", nativeSymbol=" + nativeSymbol + ", nativeDecimals=" + nativeDecimals + "]";
    }

    public WorkerSettings workerSettings() {
        return new WorkerSettings(confirmations, useFinalized, batchBlocks, pollInterval, startBlock, endBlock, Duration.ofSeconds(2));
    }
}
