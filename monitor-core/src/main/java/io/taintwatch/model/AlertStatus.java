package io.taintwatch.model;

import java.util.Locale;

/**
 * Workflow state of an alert: the alert service emits {@code open}; the analysts' case actions move it on
 * (docs/alert-schema.md, "Cases").
 */
public enum AlertStatus {
    OPEN, ACKNOWLEDGED, ESCALATED, CLOSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlertStatus fromLabel(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown alert status '" + s + "'");
        }
    }
}
