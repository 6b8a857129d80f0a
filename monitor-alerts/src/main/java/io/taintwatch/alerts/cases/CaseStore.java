package io.taintwatch.alerts.cases;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every alert's case, folded from the {@code alert-cases} log in log order. An event whose id was already applied is
 * ignored (a retried write); an event that does not apply (its step was taken by another writer first, or it breaks a
 * rule) is rejected and its outcome kept for the writer that waits for it.
 */
public final class CaseStore {
    private static final Logger log = LoggerFactory.getLogger(CaseStore.class);
    private static final int OUTCOMES_KEPT = 10_000;

    /** What became of one event when it was read back: applied, or rejected with the reason. */
    public record Outcome(boolean applied, String reason) {}

    private final Map<String, AlertCase> cases = new HashMap<>();
    private final List<CaseEvent> trail = new ArrayList<>();
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
            return size() > OUTCOMES_KEPT;
        }
    };
    private final List<Consumer<AlertCase>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<CaseEvent>> firstActions = new CopyOnWriteArrayList<>();

    /** The case of an alert; one nobody acted on when there is none. */
    public synchronized AlertCase get(String alertId) {
        AlertCase c = cases.get(alertId);
        return c == null ? AlertCase.none(alertId) : c;
    }

    /** The published alert JSON with the status the alert's case gives this version (the same bytes when it is the published one). */
    public byte[] withStatus(io.taintwatch.model.Alert a, byte[] published) {
        io.taintwatch.model.AlertStatus st = get(a.id()).statusFor(a.version());
        return st == a.status() ? published
            : AlertCase.withStatus(new String(published, java.nio.charset.StandardCharsets.UTF_8), st).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Every case that has at least one event. */
    public synchronized List<AlertCase> all() {
        return new ArrayList<>(cases.values());
    }

    /** The outcome of an event read back, if it has been. */
    public synchronized Optional<Outcome> outcome(String eventId) {
        return Optional.ofNullable(outcomes.get(eventId));
    }

    /** Every applied event in log order, optionally of one actor, newest first, at most {@code limit} after skipping {@code offset}. */
    public synchronized List<CaseEvent> trail(String actor, int offset, int limit) {
        List<CaseEvent> out = new ArrayList<>();
        int skipped = 0;
        for (int i = trail.size() - 1; i >= 0 && out.size() < limit; i--) {
            CaseEvent e = trail.get(i);
            if (actor != null && !actor.equals(e.actor())) {
                continue;
            }
            if (skipped++ >= offset) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Applies one event read from the log. {@code live}: read after the log had caught up, i.e. happening now rather
     * than replayed on start (a first action then feeds the time-to-first-action metric).
     */
    public void accept(CaseEvent e, boolean live) {
        AlertCase after;
        boolean first;
        synchronized (this) {
            AlertCase before = get(e.alertId());
            if (before.events().stream().anyMatch(x -> x.eventId().equals(e.eventId()))) {
                return; // a retried write of an event already applied
            }
            try {
                after = before.apply(e);
            } catch (AlertCase.Rejected r) {
                outcomes.put(e.eventId(), new Outcome(false, r.getMessage()));
                log.info("case event {} of alert {} by {} rejected: {}", e.eventId(), e.alertId(), e.actor(), r.getMessage());
                notifyAll();
                return;
            }
            cases.put(e.alertId(), after);
            trail.add(e);
            outcomes.put(e.eventId(), new Outcome(true, null));
            first = live && before.firstActionAt() == null && after.firstActionAt() != null;
            notifyAll();
        }
        for (Consumer<AlertCase> l : listeners) {
            l.accept(after);
        }
        if (first) {
            firstActions.forEach(l -> l.accept(e));
        }
    }

    /** Calls the listener with every case that changes, until the handle is closed. */
    public AutoCloseable subscribe(Consumer<AlertCase> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Calls the listener with the first human action of every case, as it happens (not for events replayed on start). */
    public void onFirstAction(Consumer<CaseEvent> listener) {
        firstActions.add(listener);
    }
}
