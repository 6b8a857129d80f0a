package io.taintwatch.model;

import java.util.Locale;

/** Alert severity, ordered from least to most urgent. */
public enum Severity {
    LOW, MEDIUM, HIGH, SEVERE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromLabel(String s) {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
    }
}
