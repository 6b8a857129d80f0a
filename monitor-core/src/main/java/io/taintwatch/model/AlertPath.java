package io.taintwatch.model;

import java.util.List;

/** The laundering path of an alert, oldest hop first; {@code complete} is false when provenance was cut short. */
public record AlertPath(String sourceId, Address source, boolean complete, List<AlertHop> hops) {
    public AlertPath {
        hops = List.copyOf(hops);
    }
}
