package io.taintwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.MainnetChain;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes the synthetic chain into a running deployment's Kafka as ingest would (seeds to {@code watchlist}, labels to
 * {@code labels}, blocks to {@code blocks.<chain>} through the ingest's transactional sink with the publish-time
 * header) at a fixed rate, for load tests of a real pipeline.
 */
public final class SyntheticProducer {
    private SyntheticProducer() {}

    public static ObjectNode run(String bootstrap, ChainId chainId, double legsPerS, Duration duration, long seed, int launderingPerMillionTx,
                                 PrintStream log) throws Exception {
        MainnetChain chain = new MainnetChain(chainId, MainnetChain.Params.defaults(seed).withLaundering(launderingPerMillionTx));
        Path dir = Files.createTempDirectory("taintwatch-synth-");
        try (LivePipeline p = new LivePipeline(bootstrap, chain, dir, "synthetic-" + chainId.name(), false)) {
            log.printf("synthetic: %d seeds and %d labels published; producing to %s at %.0f legs/s for %d s%n", chain.seeds().size(),
                chain.labels().size(), chainId.blocksTopic(), legsPerS, duration.toSeconds());
            Pacer.Run r = Pacer.run(p, legsPerS, duration, Long.MAX_VALUE);
            log.printf("synthetic: %d blocks, %d legs in %.1f s (%.0f legs/s), last block %d%n", r.blocks(), r.legs(), r.seconds(),
                r.achievedLegsPerS(), p.lastProduced());
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("topic", chainId.blocksTopic()).put("blocks", r.blocks()).put("legs", r.legs()).put("seconds", PipelineBench.round3(r.seconds()))
                .put("target_legs_per_s", Math.round(legsPerS)).put("achieved_legs_per_s", Math.round(r.achievedLegsPerS()))
                .put("first_block", chain.params().firstBlock()).put("last_block", p.lastProduced());
            return n;
        } finally {
            Machine.deleteTree(dir);
        }
    }
}
