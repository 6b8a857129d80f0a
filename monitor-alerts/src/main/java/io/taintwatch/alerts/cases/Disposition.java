package io.taintwatch.alerts.cases;

import java.util.Locale;

/** How a closed alert was judged. The false-positive share per rule tells a team which rule to tune. */
public enum Disposition {
    CONFIRMED_LAUNDERING, FALSE_POSITIVE, KNOWN_BENIGN, DUPLICATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Disposition fromLabel(String s) {
        for (Disposition d : values()) {
            if (d.label().equals(s == null ? null : s.strip().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown disposition '" + s + "': expected confirmed-laundering, false-positive, known-benign or duplicate");
    }
}
