package io.taintwatch.model;

import java.util.Locale;

/** What the registry says of a token: listed (verified), seen but not listed (unverified), or an impersonation (counterfeit). */
public enum TokenStatus {
    VERIFIED, UNVERIFIED, COUNTERFEIT;

    /** The lower-case name used in topics, flows and files ({@code counterfeit}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenStatus fromLabel(String s) {
        for (TokenStatus t : values()) {
            if (t.label().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown token status '" + s + "' (known: verified, unverified, counterfeit)");
    }
}
