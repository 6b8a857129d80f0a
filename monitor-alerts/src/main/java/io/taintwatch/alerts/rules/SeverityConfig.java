package io.taintwatch.alerts.rules;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Severity score thresholds for arrivals at other services (docs/alert-schema.md, "Severity"): a score of at least
 * {@code highAt} is high, at least {@code mediumAt} medium, else low. {@code largeAmount} maps an asset key (as in
 * {@link RuleThresholds}) to the tainted amount in base units from which the amount adds a point.
 */
public record SeverityConfig(int mediumAt, int highAt, Map<String, BigInteger> largeAmount) {
    public SeverityConfig {
        if (mediumAt < 0 || highAt < mediumAt) {
            throw new IllegalArgumentException("severity thresholds need 0 <= mediumAt <= highAt, got " + mediumAt + ", " + highAt);
        }
        largeAmount = java.util.Collections.unmodifiableMap(new TreeMap<>(largeAmount == null ? Map.of() : largeAmount));
    }

    public static SeverityConfig defaults() {
        return new SeverityConfig(4, 7, Map.of());
    }
}
