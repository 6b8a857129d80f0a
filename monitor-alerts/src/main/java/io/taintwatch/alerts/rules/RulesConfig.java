package io.taintwatch.alerts.rules;

import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Category;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the rules need: thresholds per rule, our own addresses, which seed categories count as
 * sanctioned, the quiet period (in blocks) after which a watchlist address's next movement is a new alert,
 * severity thresholds, the engine's policy parameters (copied into each alert so numbers can be re-derived), and what
 * makes an address a lookalike ({@link LookalikeConfig}, rules {@code address-poisoning} and {@code withdrawal-to-lookalike}).
 */
public record RulesConfig(Map<AlertRule, RuleThresholds> thresholds, OwnAddresses own, Set<Category> sanctionedCategories,
                          long quietBlocks, SeverityConfig severity, Map<String, String> policyParameters, LookalikeConfig lookalike) {
    public RulesConfig {
        EnumMap<AlertRule, RuleThresholds> t = new EnumMap<>(AlertRule.class);
        t.putAll(defaultThresholds());
        if (thresholds != null) {
            t.putAll(thresholds);
        }
        thresholds = java.util.Collections.unmodifiableMap(t);
        own = own == null ? OwnAddresses.none() : own;
        sanctionedCategories = sanctionedCategories == null || sanctionedCategories.isEmpty()
            ? Set.of(Category.SANCTIONS, Category.TERRORISM_FINANCING) : Set.copyOf(sanctionedCategories);
        if (quietBlocks < 1) {
            throw new IllegalArgumentException("quietBlocks must be at least 1, got " + quietBlocks);
        }
        severity = severity == null ? SeverityConfig.defaults() : severity;
        policyParameters = java.util.Collections.unmodifiableMap(new TreeMap<>(policyParameters == null ? Map.of() : policyParameters));
        lookalike = lookalike == null ? LookalikeConfig.defaults() : lookalike;
    }

    public RulesConfig(Map<AlertRule, RuleThresholds> thresholds, OwnAddresses own, Set<Category> sanctionedCategories, long quietBlocks,
                       SeverityConfig severity, Map<String, String> policyParameters) {
        this(thresholds, own, sanctionedCategories, quietBlocks, severity, policyParameters, null);
    }

    /** About a week of Ethereum blocks (12 s) without movement makes the next movement a new alert. */
    public static final long DEFAULT_QUIET_BLOCKS = 50_400;

    public static RulesConfig defaults() {
        return new RulesConfig(null, OwnAddresses.none(), null, DEFAULT_QUIET_BLOCKS, SeverityConfig.defaults(), Map.of());
    }

    public RulesConfig withOwn(OwnAddresses o) {
        return new RulesConfig(thresholds, o, sanctionedCategories, quietBlocks, severity, policyParameters, lookalike);
    }

    public RulesConfig withThreshold(AlertRule rule, RuleThresholds t) {
        Map<AlertRule, RuleThresholds> m = new EnumMap<>(thresholds);
        m.put(rule, t);
        return new RulesConfig(m, own, sanctionedCategories, quietBlocks, severity, policyParameters, lookalike);
    }

    public RulesConfig withQuietBlocks(long q) {
        return new RulesConfig(thresholds, own, sanctionedCategories, q, severity, policyParameters, lookalike);
    }

    public RulesConfig withPolicyParameters(Map<String, String> p) {
        return new RulesConfig(thresholds, own, sanctionedCategories, quietBlocks, severity, p, lookalike);
    }

    public RulesConfig withSeverity(SeverityConfig s) {
        return new RulesConfig(thresholds, own, sanctionedCategories, quietBlocks, s, policyParameters, lookalike);
    }

    public RulesConfig withLookalike(LookalikeConfig l) {
        return new RulesConfig(thresholds, own, sanctionedCategories, quietBlocks, severity, policyParameters, l);
    }

    public RuleThresholds thresholds(AlertRule rule) {
        return thresholds.get(rule);
    }

    /**
     * Defaults: arrivals at other services need a tainted share of at least 0.1% within 6 hops (the engine's
     * default hop limit); our own deposits alert at any share and hop; direct exposure and watchlist movements
     * at any amount (OFAC has no de-minimis).
     */
    public static Map<AlertRule, RuleThresholds> defaultThresholds() {
        Map<AlertRule, RuleThresholds> m = new EnumMap<>(AlertRule.class);
        RuleThresholds intel = RuleThresholds.any().withMinSharePpm(1_000).withMaxHops(6);
        m.put(AlertRule.TAINTED_TO_EXCHANGE, intel);
        m.put(AlertRule.TAINTED_TO_MIXER, intel);
        m.put(AlertRule.TAINTED_TO_BRIDGE, intel);
        m.put(AlertRule.OWN_DEPOSIT_TAINTED, RuleThresholds.any());
        m.put(AlertRule.OWN_OUTGOING_EXPOSURE, RuleThresholds.any());
        m.put(AlertRule.SANCTIONED_DIRECT, RuleThresholds.any());
        m.put(AlertRule.WATCHLIST_MOVEMENT, RuleThresholds.any());
        m.put(AlertRule.ADDRESS_POISONING, RuleThresholds.any());
        m.put(AlertRule.WITHDRAWAL_TO_LOOKALIKE, RuleThresholds.any());
        return m;
    }

    /**
     * The engine's parameters as an alert's {@code policy.parameters}: {@code policy}, {@code max_hops},
     * {@code min_share_ppm}, {@code dust_default}, {@code dust[<asset>]}, {@code terminal_categories}, {@code provenance_k}.
     */
    public static Map<String, String> policyParameters(io.taintwatch.taint.TaintConfig t) {
        Map<String, String> m = new TreeMap<>();
        m.put("policy", t.policy().label());
        m.put("max_hops", Integer.toString(t.maxHops()));
        m.put("min_share_ppm", Long.toString(t.minSharePpm()));
        m.put("dust_default", t.defaultDust().toString());
        t.dustByAsset().forEach((a, d) -> m.put("dust[" + a + "]", d.toString()));
        m.put("terminal_categories", String.join(",", new java.util.TreeSet<>(t.terminalCategories().stream().map(Category::label).toList())));
        m.put("provenance_k", Integer.toString(t.provenanceK()));
        return m;
    }
}
