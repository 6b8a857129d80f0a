package io.taintwatch.model;

import java.util.Locale;

/** Why a leg that would have carried taint did not (a {@link FlowKind#SKIPPED} flow). */
public enum SkipReason {
    /** The asset is a counterfeit token: it never carries taint. */
    COUNTERFEIT,
    /** The asset is not verified and the engine follows verified assets only ({@code taint.assets=verified}). */
    UNVERIFIED,
    /** A token Transfer from an address that is not known to hold the token: a forged or meaningless event. */
    UNBACKED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SkipReason fromLabel(String s) {
        for (SkipReason r : values()) {
            if (r.label().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown skip reason '" + s + "' (known: counterfeit, unverified, unbacked)");
    }
}
