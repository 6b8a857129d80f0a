package io.taintwatch.ingest.source.rpc;

import java.util.List;

/** Where token metadata goes (the compacted {@code tokens} topic). */
@FunctionalInterface
public interface TokenSink {
    void publish(List<TokenMetadata> tokens);
}
