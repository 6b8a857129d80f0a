package io.taintwatch.app.retro;

import java.util.Locale;

/** What the live app does when a new seed appears: nothing, record an offer to screen its past, or screen it at once. */
public enum RetroMode {
    OFF, OFFER, TRIGGER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RetroMode fromLabel(String s) {
        for (RetroMode m : values()) {
            if (m.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be off, offer or trigger, got '" + s + "'");
    }
}
