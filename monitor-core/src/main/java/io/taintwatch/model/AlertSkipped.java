package io.taintwatch.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * What an alert's subject sent that taint did not follow, so the analyst sees why a branch stops: the skipped legs by
 * reason ({@link SkipReason}) and by asset (symbol, name and the registry's reason, e.g. what a counterfeit imitates).
 * The list holds at most {@link #MAX_LISTED} entries, the smallest keys (asset and reason), so that the summary does not
 * depend on the order in which the legs arrived; legs of entries left out are counted in {@code otherAssetLegs}. Skipped
 * legs come from the engine's flows, in the order of the flows: so an alert's versions are the same in every run.
 */
public record AlertSkipped(long legs, Map<SkipReason, Long> byReason, List<SkippedAsset> assets, long otherAssetLegs) {
    public static final int MAX_LISTED = 16;

    /** Skipped legs in one asset, for one reason. */
    public record SkippedAsset(Asset asset, SkipReason reason, String symbol, String name, TokenStatus status, String assetReason, long legs) {
        public SkippedAsset {
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(reason, "reason");
            symbol = symbol == null ? "" : symbol;
            name = name == null ? "" : name;
            assetReason = assetReason == null ? "" : assetReason;
        }

        String key() {
            return asset + "|" + reason.label();
        }
    }

    public AlertSkipped {
        byReason = Collections.unmodifiableMap(new TreeMap<>(byReason == null ? Map.of() : byReason));
        assets = List.copyOf(assets == null ? List.of() : assets);
        if (legs < 0 || otherAssetLegs < 0) {
            throw new IllegalArgumentException("skipped leg counts must not be negative");
        }
    }

    /** One skipped leg in {@code asset}. */
    public static AlertSkipped leg(Asset asset, SkipReason reason, String symbol, String name, TokenStatus status, String assetReason) {
        return new AlertSkipped(1, Map.of(reason, 1L), List.of(new SkippedAsset(asset, reason, symbol, name, status, assetReason, 1)), 0);
    }

    /** Both summaries together (either may be null); the result does not depend on the order of merging. */
    public static AlertSkipped merge(AlertSkipped a, AlertSkipped b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        Map<SkipReason, Long> reasons = new TreeMap<>(a.byReason);
        b.byReason.forEach((r, n) -> reasons.merge(r, n, Long::sum));
        long[] otherAssets = {a.otherAssetLegs + b.otherAssetLegs};
        List<SkippedAsset> assets = bounded(a.assets, b.assets, SkippedAsset::key,
            (x, y) -> new SkippedAsset(x.asset(), x.reason(), x.symbol(), x.name(), x.status(), x.assetReason(), x.legs() + y.legs()),
            dropped -> otherAssets[0] += dropped.legs());
        return new AlertSkipped(a.legs + b.legs, reasons, assets, otherAssets[0]);
    }

    /** Whether {@code later} lists an asset or reason that this summary does not: news worth a new alert version. */
    public boolean listsLess(AlertSkipped later) {
        return !byReason.keySet().containsAll(later.byReason.keySet())
            || !assets.stream().map(SkippedAsset::key).toList().containsAll(later.assets.stream().map(SkippedAsset::key).toList());
    }

    private static <T> List<T> bounded(List<T> a, List<T> b, Function<T, String> key, BinaryOperator<T> add,
                                       java.util.function.Consumer<T> dropped) {
        TreeMap<String, T> m = new TreeMap<>();
        for (List<T> list : List.of(a, b)) {
            for (T t : list) {
                m.merge(key.apply(t), t, add);
            }
        }
        while (m.size() > MAX_LISTED) {
            dropped.accept(m.pollLastEntry().getValue());
        }
        return new ArrayList<>(m.values());
    }
}
