package io.taintwatch.alerts.cases;

import java.util.Locale;

/** What a bearer token may do: {@code viewer} reads, {@code analyst} also decides, {@code admin} also reassigns and reads the audit log. */
public enum Role {
    VIEWER, ANALYST, ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this role has at least the rights of {@code other}. */
    public boolean atLeast(Role other) {
        return ordinal() >= other.ordinal();
    }

    public static Role fromLabel(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown role '" + s + "': expected viewer, analyst or admin");
        }
    }
}
