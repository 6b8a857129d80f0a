package io.taintwatch.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The taint policy that produced the numbers, its parameters (as configured for the engine) and the balance basis. */
public record AlertPolicy(PolicyKind kind, Map<String, String> parameters, BalanceBasis balanceBasis) {
    public AlertPolicy {
        Objects.requireNonNull(kind, "kind");
        parameters = java.util.Collections.unmodifiableMap(new TreeMap<>(parameters));
    }
}
