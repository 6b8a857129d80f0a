package io.taintwatch.taint;

import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.PolicyKind;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Taint engine configuration (docs/architecture.md, "Taint semantics"): policy, hop and dust cut-offs, terminal
 * categories and provenance depth. Shares are in parts per million: no floating point anywhere.
 *
 * @param policy haircut (default), poison or fifo
 * @param maxHops a carry that would arrive at more than this many hops from its source is not propagated
 * @param dustByAsset absolute minimum carry per asset (base units); assets not listed use {@code defaultDust}
 * @param defaultDust absolute minimum carry for assets not in {@code dustByAsset}
 * @param minSharePpm minimum tainted share of a leg, in parts per million of its amount, for the carry to propagate
 * @param terminalCategories recipient categories where taint is delivered and not followed
 * @param provenanceK inbound tainted flows (with their paths) kept per tracked address and source
 * @param assets which assets carry taint ({@code taint.assets}); counterfeit ones never do
 */
public record TaintConfig(PolicyKind policy, int maxHops, Map<Asset, BigInteger> dustByAsset, BigInteger defaultDust,
                          long minSharePpm, Set<Category> terminalCategories, int provenanceK, AssetScope assets) {
    public static final int MAX_PATH_HOPS = 64;

    public TaintConfig {
        if (policy == null) {
            throw new IllegalArgumentException("policy is required");
        }
        if (assets == null) {
            throw new IllegalArgumentException("assets is required");
        }
        if (maxHops < 1 || maxHops > 32) {
            throw new IllegalArgumentException("maxHops must be 1..32, got " + maxHops);
        }
        if (minSharePpm < 0 || minSharePpm > 1_000_000) {
            throw new IllegalArgumentException("minSharePpm must be 0..1000000, got " + minSharePpm);
        }
        if (defaultDust == null || defaultDust.signum() < 0) {
            throw new IllegalArgumentException("defaultDust must be >= 0");
        }
        if (provenanceK < 1 || provenanceK > 16) {
            throw new IllegalArgumentException("provenanceK must be 1..16, got " + provenanceK);
        }
        dustByAsset = new TreeMap<>(dustByAsset);
        for (BigInteger d : dustByAsset.values()) {
            if (d.signum() < 0) {
                throw new IllegalArgumentException("dust thresholds must be >= 0");
            }
        }
        terminalCategories = terminalCategories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(terminalCategories));
    }

    /** Every asset that is not counterfeit carries taint ({@link AssetScope#ALL}). */
    public TaintConfig(PolicyKind policy, int maxHops, Map<Asset, BigInteger> dustByAsset, BigInteger defaultDust, long minSharePpm,
                       Set<Category> terminalCategories, int provenanceK) {
        this(policy, maxHops, dustByAsset, defaultDust, minSharePpm, terminalCategories, provenanceK, AssetScope.ALL);
    }

    /** Haircut, 6 hops, native dust 10^12 wei (0.000001 ETH), minimum share 0.1%, exchanges/mixers/bridges terminal. */
    public static TaintConfig defaults() {
        return new TaintConfig(PolicyKind.HAIRCUT, 6, Map.of(Asset.NATIVE, BigInteger.TEN.pow(12)), BigInteger.ZERO, 1_000,
            defaultTerminals(), 3);
    }

    public static Set<Category> defaultTerminals() {
        EnumSet<Category> s = EnumSet.noneOf(Category.class);
        for (Category c : Category.values()) {
            if (c.terminalByDefault()) {
                s.add(c);
            }
        }
        return s;
    }

    public TaintConfig withPolicy(PolicyKind p) {
        return new TaintConfig(p, maxHops, dustByAsset, defaultDust, minSharePpm, terminalCategories, provenanceK, assets);
    }

    public TaintConfig withMaxHops(int h) {
        return new TaintConfig(policy, h, dustByAsset, defaultDust, minSharePpm, terminalCategories, provenanceK, assets);
    }

    public TaintConfig withDust(Map<Asset, BigInteger> byAsset, BigInteger dflt, long sharePpm) {
        return new TaintConfig(policy, maxHops, byAsset, dflt, sharePpm, terminalCategories, provenanceK, assets);
    }

    /** With {@code taint.assets} set: all (not counterfeit) or verified assets carry taint. */
    public TaintConfig withAssets(AssetScope a) {
        return new TaintConfig(policy, maxHops, dustByAsset, defaultDust, minSharePpm, terminalCategories, provenanceK, a);
    }

    public BigInteger dustFor(Asset asset) {
        BigInteger d = dustByAsset.get(asset);
        return d == null ? defaultDust : d;
    }

    /** A stable one-line description used in flows and alerts ("haircut max_hops=6 ..."). */
    public String describe() {
        StringBuilder sb = new StringBuilder(policy.label()).append(" max_hops=").append(maxHops)
            .append(" min_share_ppm=").append(minSharePpm).append(" dust_default=").append(defaultDust);
        dustByAsset.forEach((a, d) -> sb.append(" dust[").append(a).append("]=").append(d));
        if (assets != AssetScope.ALL) {
            sb.append(" assets=").append(assets.label());
        }
        return sb.toString();
    }
}
