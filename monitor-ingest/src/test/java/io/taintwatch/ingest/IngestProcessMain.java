package io.taintwatch.ingest;

import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.model.ChainId;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A stand-alone ingest process for {@code IngestCrashIT}, which kills it with SIGKILL mid-run: args bootstrap, rpc url, chain name. */
public final class IngestProcessMain {
    private IngestProcessMain() {}

    public static void main(String[] args) throws Exception {
        ChainId chain = new ChainId(31337, args[2]);
        EvmChainConfig c = new EvmChainConfig(chain, List.of(args[1]), 0, false, "ETH", 18, Set.of(), TraceMode.CALL_TRACER, true, true, 2,
            Duration.ofMillis(20), 1, null, null);
        IngestService s = IngestService.start(new IngestConfig(KafkaSinkConfig.defaults(args[0]), RpcSettings.defaults(), List.of(c)),
            IngestMetrics.noop());
        s.awaitTermination();
        if (!s.failures().isEmpty()) {
            System.exit(2);
        }
    }
}
