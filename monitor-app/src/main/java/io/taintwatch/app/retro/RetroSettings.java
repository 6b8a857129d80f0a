package io.taintwatch.app.retro;

import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.model.ChainId;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.topology.TaintTopology;
import java.util.Map;

/**
 * Everything retro-screening of one chain needs from the deployment: the mode and look-back (blocks, or a duration
 * that replaces them when set), where the live engine's
 * seeds changelog is (its application id), the topics, and the live engine's and alert rules' configuration, so a
 * screening follows taint exactly as the live pipeline would have.
 */
public record RetroSettings(RetroMode mode, long lookbackBlocks, java.time.Duration lookbackDuration, String screeningsTopic, KafkaClients kafka,
                            ChainId chain, String nativeSymbol, int nativeDecimals, String taintApplicationId, String labelsTopic,
                            String alertsTopic, TaintConfig taint, RulesConfig rules) {
    public RetroSettings {
        if (lookbackBlocks < 0) {
            throw new IllegalArgumentException("retro.lookback.blocks must not be negative, got " + lookbackBlocks);
        }
        if (lookbackDuration != null && lookbackDuration.isNegative()) {
            throw new IllegalArgumentException("retro.lookback.duration must not be negative, got " + lookbackDuration);
        }
    }

    /**
     * The live engine's seeds changelog: Kafka Streams names it {@code <application.id>-<store>-changelog}, the chain's
     * store being {@code <chain>-taint-seeds}.
     * Each record is a seed with the block from which the engine applies it, written in the engine's own transaction:
     * the exact pickup block, which the {@code watchlist} topic alone cannot tell.
     */
    public String seedsChangelog() {
        return taintApplicationId + "-" + TaintTopology.storeName(chain, TaintTopology.SEEDS_STORE) + "-changelog";
    }

    /** The look-back: {@code lookbackDuration} when set (resolved on the blocks topic), else {@code lookbackBlocks}. */
    public RetroPlanner.Lookback lookback() {
        return lookbackDuration == null ? RetroPlanner.Lookback.blocks(lookbackBlocks) : new TopicLookback(this, lookbackDuration);
    }

    /** The transactional id of the service's writer for this chain: a second instance fences the first. */
    public String transactionalId() {
        return "taintwatch-retro-" + chain.name();
    }
}
