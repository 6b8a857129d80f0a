package io.taintwatch.labels;

import io.taintwatch.model.Category;
import java.util.EnumSet;
import java.util.Set;

/** Which categories belong on the watchlist (seeds) and which describe entities (labels). */
public final class CategoryKinds {
    private static final Set<Category> SEED = EnumSet.of(Category.THEFT, Category.SANCTIONS, Category.SCAM,
        Category.PHISHING, Category.RANSOMWARE, Category.DARKNET, Category.TERRORISM_FINANCING, Category.FRAUD);

    private CategoryKinds() {}

    /** Why an address is watched: theft, sanctions, scam, ... */
    public static boolean isSeed(Category c) {
        return SEED.contains(c);
    }

    /** What an address is: exchange, mixer, bridge, ... */
    public static boolean isEntity(Category c) {
        return !SEED.contains(c);
    }
}
