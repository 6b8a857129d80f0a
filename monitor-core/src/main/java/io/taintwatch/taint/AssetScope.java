package io.taintwatch.taint;

import java.util.Locale;

/**
 * Which assets carry taint ({@code taint.assets}): every asset that is not counterfeit ({@code all}, the default), or
 * only verified ones ({@code verified}: the native asset, its wrapped form and listed tokens). Counterfeit assets never do.
 */
public enum AssetScope {
    ALL, VERIFIED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AssetScope fromLabel(String s) {
        for (AssetScope a : values()) {
            if (a.label().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("taint.assets must be all or verified, got '" + s + "'");
    }
}
