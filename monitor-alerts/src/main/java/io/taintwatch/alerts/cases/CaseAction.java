package io.taintwatch.alerts.cases;

import java.util.Locale;

/**
 * What happened to a case. {@code reopen} is written by the service itself when a new version of a closed alert
 * arrives; the others come from people through the API.
 */
public enum CaseAction {
    ACKNOWLEDGE, ASSIGN, ESCALATE, NOTE, CLOSE, REOPEN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CaseAction fromLabel(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown action '" + s + "': expected acknowledge, assign, escalate, note, close or reopen");
        }
    }
}
