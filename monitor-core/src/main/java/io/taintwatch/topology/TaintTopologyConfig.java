package io.taintwatch.topology;

import io.taintwatch.model.ChainId;
import io.taintwatch.taint.TaintConfig;

/**
 * What the taint topology of one chain reads and writes. A replay uses the same topology with its own
 * topic names (and its own application id), so it never touches the live pipeline.
 */
public record TaintTopologyConfig(ChainId chain, TaintConfig taint, String blocksTopic, String watchlistTopic,
                                  String labelsTopic, String flowsTopic) {
    public static TaintTopologyConfig live(ChainId chain, TaintConfig taint) {
        return new TaintTopologyConfig(chain, taint, chain.blocksTopic(), "watchlist", "labels", chain.flowsTopic());
    }

    /** The dead-letter topic of an input topic. */
    public static String dlq(String topic) {
        return topic + ".dlq";
    }
}
