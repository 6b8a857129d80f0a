package io.taintwatch.topology;

import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintConfig;
import java.util.List;

/**
 * What the taint topology of one chain reads and writes. A replay uses the same topology with its own
 * topic names (and its own application id), so it never touches the live pipeline.
 *
 * <p>{@code initialSeeds} and {@code initialLabels} are applied once, when the engine's state is new
 * (before its first block), so a replay's seeds take effect from their valid-from block whatever order
 * the topics are read in. Seeds and labels on the topics are live updates: they take effect from the
 * next block processed. {@code sectionTimes} turns on {@link SectionTimes} (off by default).
 */
public record TaintTopologyConfig(ChainId chain, TaintConfig taint, String blocksTopic, String watchlistTopic,
                                  String labelsTopic, String flowsTopic, List<Seed> initialSeeds, List<Entity> initialLabels,
                                  boolean sectionTimes) {
    public TaintTopologyConfig {
        initialSeeds = List.copyOf(initialSeeds);
        initialLabels = List.copyOf(initialLabels);
    }

    public static TaintTopologyConfig live(ChainId chain, TaintConfig taint) {
        return new TaintTopologyConfig(chain, taint, chain.blocksTopic(), "watchlist", "labels", chain.flowsTopic(), List.of(), List.of(), false);
    }

    public TaintTopologyConfig withInitial(List<Seed> seeds, List<Entity> labels) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, seeds, labels, sectionTimes);
    }

    public TaintTopologyConfig withTopics(String blocks, String watchlist, String labels, String flows) {
        return new TaintTopologyConfig(chain, taint, blocks, watchlist, labels, flows, initialSeeds, initialLabels, sectionTimes);
    }

    /** With the stream thread's time measured by section ({@code taint.section-times}; {@link SectionTimes}). */
    public TaintTopologyConfig withSectionTimes(boolean on) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, initialSeeds, initialLabels, on);
    }
}
