package io.taintwatch.bench;

import io.taintwatch.app.config.ConfigKeys;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.model.ChainId;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmarks' preset of the production pipeline: the configuration an operator would write for one synthetic chain
 * on the embedded broker (no RPC: the benchmark publishes the blocks itself, through the ingest's own sink), under its
 * own application ids and state directory, with retro-screening off and the alert API on any free port.
 */
final class BenchPreset {
    /** The bearer token of the bench pipeline's API (the query load sends it). */
    static final String API_TOKEN = "taintwatch-bench-api-token";

    private BenchPreset() {}

    static PipelineConfig config(String bootstrap, ChainId chain, Path stateDir, String name) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(ConfigKeys.KAFKA_BOOTSTRAP, bootstrap);
        v.put(ConfigKeys.STATE_DIR, stateDir.toString());
        v.put(ConfigKeys.CHAINS, chain.name());
        v.put(ConfigKeys.CHAIN_PREFIX + chain.name() + "." + ConfigKeys.CHAIN_ID, Long.toString(chain.id()));
        v.put(ConfigKeys.TAINT_APPLICATION_ID, "taintwatch-bench-taint-" + name);
        v.put(ConfigKeys.ALERTS_APPLICATION_ID, "taintwatch-bench-alerts-" + name);
        v.put(ConfigKeys.HTTP_PORT, "0");
        v.put(ConfigKeys.API_TOKENS, API_TOKEN);
        v.put(ConfigKeys.RETRO_MODE, "off");
        return new PipelineConfig(TaintwatchConfig.of(v));
    }
}
