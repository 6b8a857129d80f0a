package io.taintwatch.alerts.cases;

import java.util.Objects;

/** Who sent a request: the name recorded in the audit trail and the role that decides what it may do. */
public record Principal(String name, Role role) {
    public Principal {
        Objects.requireNonNull(role, "role");
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("a user name is 1-64 letters, digits, '.', '_', '-', ':' or '@', got '" + name + "'");
        }
    }

    /** Names are shown in the console and written to the audit trail: no spaces, no markup. */
    public static final String NAME_PATTERN = "[A-Za-z0-9._:@-]{1,64}";
}
