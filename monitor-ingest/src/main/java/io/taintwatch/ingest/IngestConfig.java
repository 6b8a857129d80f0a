package io.taintwatch.ingest;

import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import java.util.List;

/** Everything the ingest needs: Kafka, RPC transport settings, and the chains (each followed by its own worker). */
public record IngestConfig(KafkaSinkConfig kafka, RpcSettings rpc, List<EvmChainConfig> chains) {
    public IngestConfig {
        chains = List.copyOf(chains);
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("no chains configured");
        }
        long distinct = chains.stream().map(c -> c.chain().name()).distinct().count();
        if (distinct != chains.size()) {
            throw new IllegalArgumentException("chain names must be unique: " + chains.stream().map(c -> c.chain().name()).toList());
        }
    }
}
