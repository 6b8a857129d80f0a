package io.taintwatch.ingest;

import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.tron.TronChainConfig;
import java.util.List;
import java.util.stream.Stream;

/** Everything the ingest needs: Kafka, RPC transport settings, and the chains (each followed by its own worker). */
public record IngestConfig(KafkaSinkConfig kafka, RpcSettings rpc, List<EvmChainConfig> chains, List<TronChainConfig> tronChains) {
    public IngestConfig {
        chains = List.copyOf(chains);
        tronChains = List.copyOf(tronChains);
        List<String> names = Stream.concat(chains.stream().map(c -> c.chain().name()), tronChains.stream().map(c -> c.chain().name())).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no chains configured");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("chain names must be unique: " + names);
        }
    }

    /** EVM chains only. */
    public IngestConfig(KafkaSinkConfig kafka, RpcSettings rpc, List<EvmChainConfig> chains) {
        this(kafka, rpc, chains, List.of());
    }
}
