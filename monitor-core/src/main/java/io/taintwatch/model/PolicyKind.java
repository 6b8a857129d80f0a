package io.taintwatch.model;

import java.util.Locale;

/** The taint propagation rule (docs/architecture.md, "Taint semantics"). */
public enum PolicyKind {
    HAIRCUT, POISON, FIFO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PolicyKind fromLabel(String s) {
        for (PolicyKind p : values()) {
            if (p.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown policy '" + s + "' (expected haircut, poison or fifo)");
    }
}
