package io.taintwatch.app.replay;

import io.taintwatch.alerts.rules.RuleThresholds;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;
import java.util.List;

/**
 * What one replay runs with: the chain, the engine's configuration, its own seeds and labels (never the live
 * watchlist), the alert rules derived from the engine configuration ({@code baseRules}: the defaults for
 * {@code taintwatch replay}, the live deployment's rules with its own addresses for a retro-screening), and the token
 * metadata its source holds ({@code observedTokens}: an export's {@code tokens} table), which the engine's registry
 * judges before the first block.
 */
public record ReplaySettings(ChainId chain, TaintConfig taint, List<Seed> seeds, List<Entity> labels,
                             String nativeSymbol, int nativeDecimals, RulesConfig baseRules, List<Token> observedTokens) {
    public ReplaySettings {
        seeds = List.copyOf(seeds);
        labels = List.copyOf(labels);
        baseRules = baseRules == null ? RulesConfig.defaults() : baseRules;
        observedTokens = List.copyOf(observedTokens == null ? List.of() : observedTokens);
    }

    public ReplaySettings(ChainId chain, TaintConfig taint, List<Seed> seeds, List<Entity> labels, String nativeSymbol, int nativeDecimals,
                          RulesConfig baseRules) {
        this(chain, taint, seeds, labels, nativeSymbol, nativeDecimals, baseRules, List.of());
    }

    /** With the default alert rules (no own addresses), as {@code taintwatch replay} runs. */
    public ReplaySettings(ChainId chain, TaintConfig taint, List<Seed> seeds, List<Entity> labels, String nativeSymbol, int nativeDecimals) {
        this(chain, taint, seeds, labels, nativeSymbol, nativeDecimals, RulesConfig.defaults());
    }

    public ReplaySettings withObservedTokens(List<Token> tokens) {
        return new ReplaySettings(chain, taint, seeds, labels, nativeSymbol, nativeDecimals, baseRules, tokens);
    }

    /** The native asset as configured (symbol, decimals), with the chain's default name and wrapped form. */
    public NativeAsset nativeAsset() {
        NativeAsset d = NativeAsset.defaultFor(chain);
        return new NativeAsset(nativeSymbol, d.name(), nativeDecimals, d.wrapped());
    }

    /**
     * The base alert rules with the replay's parameters copied into each alert; arrival rules follow as far as the
     * engine does when {@code --max-hops} is raised above the rules' default hop limit.
     */
    public RulesConfig rules() {
        RulesConfig r = baseRules.withPolicyParameters(RulesConfig.policyParameters(taint));
        for (AlertRule rule : List.of(AlertRule.TAINTED_TO_EXCHANGE, AlertRule.TAINTED_TO_MIXER, AlertRule.TAINTED_TO_BRIDGE)) {
            RuleThresholds t = r.thresholds(rule);
            if (t != null && t.maxHops() < taint.maxHops()) {
                r = r.withThreshold(rule, t.withMaxHops(taint.maxHops()));
            }
        }
        return r;
    }
}
