package io.taintwatch.alerts.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One endpoint's open dead letters per alert id (see {@link DeadLetters}): an alert with one is held, its later versions
 * dead-lettered behind it instead of being delivered before it. Fed from the dead-letter topic and by the worker as it
 * writes; both may report the same dead letter.
 */
final class HeldAlerts {
    private final String endpoint;
    private final Map<String, TreeSet<DeadLetters.Position>> open = new HashMap<>();

    HeldAlerts(String endpoint) {
        this.endpoint = endpoint;
    }

    void accept(DeadLetters.Entry e) {
        if (!e.endpoint().equals(endpoint)) {
            return;
        }
        switch (e) {
            case DeadLetters.DeadLetter d when d.isAlert() -> add(d.alertId(), d.position());
            case DeadLetters.DeadLetter unreadable -> { } // holds nothing: no alert to order
            case DeadLetters.Redelivery r -> {
                TreeSet<DeadLetters.Position> s = open.get(r.alertId());
                if (s != null && s.remove(r.deadLetter()) && s.isEmpty()) {
                    open.remove(r.alertId());
                }
            }
        }
    }

    void add(String alertId, DeadLetters.Position at) {
        open.computeIfAbsent(alertId, k -> new TreeSet<>()).add(at);
    }

    /** The first open dead letter of the alert, if it is held. */
    Optional<DeadLetters.Position> heldAt(String alertId) {
        TreeSet<DeadLetters.Position> s = open.get(alertId);
        return s == null ? Optional.empty() : Optional.of(s.first());
    }
}
