package io.taintwatch.topology;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where each chain's engine left the reference topics ({@code watchlist}, {@code labels}, {@code token-registry}) when it
 * ran as an application of its own ({@code <application id>-<chain>}): per chain name, per topic, the offset of the first
 * record it had not read. A chain introduced to the taint application with a position here is forwarded the records from
 * that position on, and none before (its engine's state already holds them); see {@link ReferenceFanOut}.
 */
public record ReferencePositions(Map<String, Map<String, Long>> byChain) {
    public ReferencePositions {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        byChain.forEach((chain, offsets) -> copy.put(chain, Map.copyOf(offsets)));
        byChain = Map.copyOf(copy);
    }

    /** No chain ran as an application of its own. */
    public static ReferencePositions none() {
        return new ReferencePositions(Map.of());
    }

    /** A chain's positions; empty when it has none. */
    public Map<String, Long> of(String chain) {
        return byChain.getOrDefault(chain, Map.of());
    }
}
