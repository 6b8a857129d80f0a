package io.taintwatch.alerts.rules;

import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Thresholds of one rule. {@code minAmount} maps an asset ({@code native}, a token contract, optionally prefixed
 * by a chain name: {@code ethereum:native}) to the minimum tainted amount in base units (for rules that see no
 * taint, the leg amount); {@code minSharePpm} is the minimum tainted share in parts per million; {@code maxHops}
 * the largest hop count that still alerts.
 */
public record RuleThresholds(boolean enabled, Map<String, BigInteger> minAmount, long minSharePpm, int maxHops) {
    public RuleThresholds {
        minAmount = java.util.Collections.unmodifiableMap(new TreeMap<>(minAmount == null ? Map.of() : minAmount));
        minAmount.forEach((k, v) -> {
            if (v.signum() < 0) {
                throw new IllegalArgumentException("rule threshold minAmount for " + k + " is negative");
            }
        });
        if (minSharePpm < 0 || minSharePpm > 1_000_000) {
            throw new IllegalArgumentException("minSharePpm must be 0..1000000, got " + minSharePpm);
        }
        if (maxHops < 0) {
            throw new IllegalArgumentException("maxHops must not be negative, got " + maxHops);
        }
    }

    public static RuleThresholds any() {
        return new RuleThresholds(true, Map.of(), 0, Integer.MAX_VALUE);
    }

    public RuleThresholds withMinSharePpm(long ppm) {
        return new RuleThresholds(enabled, minAmount, ppm, maxHops);
    }

    public RuleThresholds withMaxHops(int hops) {
        return new RuleThresholds(enabled, minAmount, minSharePpm, hops);
    }

    public RuleThresholds withMinAmount(String asset, BigInteger min) {
        Map<String, BigInteger> m = new TreeMap<>(minAmount);
        m.put(asset, min);
        return new RuleThresholds(enabled, m, minSharePpm, maxHops);
    }

    public RuleThresholds disabled() {
        return new RuleThresholds(false, minAmount, minSharePpm, maxHops);
    }

    /** The minimum amount for an asset on a chain: the chain-qualified entry, else the plain one, else zero. */
    public BigInteger minAmountFor(ChainId chain, Asset asset) {
        BigInteger v = minAmount.get(chain.name() + ":" + asset);
        if (v == null) {
            v = minAmount.get(asset.toString());
        }
        return v == null ? BigInteger.ZERO : v;
    }

    /** Whether a leg passes: amount at least the minimum, share at least the minimum, hops at most the maximum. */
    public boolean passes(ChainId chain, Asset asset, BigInteger amount, long sharePpm, int hop) {
        return enabled && amount.compareTo(minAmountFor(chain, asset)) >= 0 && sharePpm >= minSharePpm && hop <= maxHops;
    }
}
