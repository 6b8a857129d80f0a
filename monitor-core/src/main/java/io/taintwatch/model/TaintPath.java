package io.taintwatch.model;

import java.util.List;

/**
 * The path from a source to a terminal recipient, oldest hop first. {@code complete} is false when the
 * walk back stopped before reaching the source (provenance is bounded to the top-k inbound flows).
 */
public record TaintPath(String sourceId, Address source, List<PathHop> hops, boolean complete) {
    public TaintPath {
        hops = List.copyOf(hops);
    }
}
