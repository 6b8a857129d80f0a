package io.taintwatch.alerts.cases;

import io.taintwatch.alerts.api.AlertIndex;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * Decides on requested case actions: who may do what ({@link Role}), against the alert and case as they stand, then
 * appends the event to the log and answers once it has been read back. Also reopens a closed alert when a newer
 * version of it arrives (an event by {@link CaseEvent#SYSTEM}, with an id derived from the alert version, so several
 * instances writing it leave one).
 */
public final class CaseService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaseService.class);

    /** A request from the API ({@code POST /alerts/{id}/actions}); nulls are "not given". */
    public record Request(CaseAction action, String assignee, Disposition disposition, String comment, Long alertVersion, Long caseSeq,
                          String requestId) {}

    /** A refusal with the HTTP status that says why: 400 bad request, 403 not allowed, 404 no such alert, 409 conflict, 503 not ready. */
    public static final class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final AlertIndex alerts;
    private final CaseStore store;
    private final CaseLog log_;
    private final Set<String> assignable;
    private final Clock clock;
    private final Duration timeout;
    private final Object[] locks = new Object[64];
    private final ExecutorService reopener = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "case-reopener");
        t.setDaemon(true);
        return t;
    });
    private AutoCloseable alertSubscription;

    /**
     * @param assignable the user names an alert may be assigned to (analysts and admins)
     * @param timeout    how long a request waits for its event to be written and read back
     */
    public CaseService(AlertIndex alerts, CaseStore store, CaseLog log, Set<String> assignable, Clock clock, Duration timeout) {
        this.alerts = alerts;
        this.store = store;
        this.log_ = log;
        this.assignable = Set.copyOf(assignable);
        this.clock = clock;
        this.timeout = timeout;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Starts reopening: every closed case whose alert has a newer version now, then each new version as it arrives. */
    public void startReopening() {
        // the first task waits for the log, so the versions queued behind it are judged against the cases as read back
        reopener.execute(() -> {
            try {
                while (!log_.awaitCaughtUp(Duration.ofMinutes(1))) {
                    if (!log_.alive()) {
                        return;
                    }
                    log.warn("reopening waits for the case log to be read");
                }
            } catch (InterruptedException e) {
                return;
            }
            alerts.all().forEach(e -> reopenIfNewer(e.alert()));
        });
        alertSubscription = alerts.subscribe(e -> reopener.execute(() -> reopenIfNewer(e.alert())));
    }

    public CaseStore store() {
        return store;
    }

    /** Performs one action for {@code who}; the case after it, or {@link Refused}. */
    public AlertCase act(Principal who, String alertId, Request r) {
        if (r.action() == null) {
            throw new Refused(400, "action is required: acknowledge, assign, escalate, note, close or reopen");
        }
        if (!who.role().atLeast(Role.ANALYST)) {
            throw new Refused(403, who.name() + " is a viewer: viewers may read, not decide");
        }
        if (!log_.caughtUp()) {
            throw new Refused(503, "the case log is still being read: retry in a moment");
        }
        synchronized (locks[Math.floorMod(alertId.hashCode(), locks.length)]) {
            Alert alert = alerts.get(alertId).map(AlertIndex.Entry::alert)
                .orElseThrow(() -> new Refused(404, "no alert with that id"));
            AlertCase current = store.get(alertId);
            if (r.requestId() != null && current.events().stream().anyMatch(e -> e.eventId().equals(r.requestId()))) {
                return current; // the same request again: it was applied once
            }
            if (r.caseSeq() != null && r.caseSeq() != current.seq()) {
                throw new Refused(409, "the case changed since you looked (step " + r.caseSeq() + ", now " + current.seq() + "): reload it");
            }
            if (r.alertVersion() != null && r.alertVersion() != alert.version()) {
                throw new Refused(409, "a new version of the alert arrived since you looked (you saw version " + r.alertVersion() + ", now "
                    + alert.version() + "): reload it");
            }
            String assignee = null;
            if (r.action() == CaseAction.ASSIGN) {
                assignee = r.assignee() == null || r.assignee().isBlank() ? null : r.assignee().strip();
                if (assignee != null && !assignable.contains(assignee)) {
                    throw new Refused(400, "'" + assignee + "' is not a user who can be assigned alerts; users: " + new TreeSet<>(assignable));
                }
                if (current.assignee() != null && !current.assignee().equals(who.name()) && who.role() != Role.ADMIN) {
                    throw new Refused(403, "the alert is assigned to " + current.assignee() + ": only an admin may reassign it");
                }
            }
            if (r.disposition() != null && r.action() != CaseAction.CLOSE) {
                throw new Refused(400, "a disposition goes with close only");
            }
            if (r.action() == CaseAction.CLOSE && r.disposition() == null) {
                throw new Refused(400, "closing needs a disposition: confirmed-laundering, false-positive, known-benign or duplicate");
            }
            boolean needsText = r.action() == CaseAction.CLOSE || r.action() == CaseAction.NOTE || r.action() == CaseAction.REOPEN;
            if (needsText && (r.comment() == null || r.comment().isBlank())) {
                throw new Refused(400, r.action().label() + " needs a comment: the reason or the note");
            }
            String id = r.requestId() == null ? UUID.randomUUID().toString() : r.requestId();
            CaseEvent e;
            try {
                e = new CaseEvent(id, alertId, current.seq() + 1, r.action(), who.name(), who.role(), clock.instant(), alert.version(), assignee,
                    r.disposition(), r.comment());
                current.apply(e); // refuse before writing what the log would reject
            } catch (IllegalArgumentException x) {
                throw new Refused(400, x.getMessage());
            } catch (AlertCase.Rejected x) {
                throw new Refused(409, x.getMessage());
            }
            CaseStore.Outcome o = append(e);
            if (!o.applied()) {
                throw new Refused(409, o.reason());
            }
            return store.get(alertId);
        }
    }

    private CaseStore.Outcome append(CaseEvent e) {
        try {
            return log_.append(e, timeout);
        } catch (TimeoutException x) {
            throw new Refused(503, x.getMessage() + "; retry with the same requestId");
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "interrupted");
        }
    }

    private void reopenIfNewer(Alert a) {
        if (!log_.caughtUp()) {
            return; // every closed case is looked at again once the log has been read (startReopening)
        }
        synchronized (locks[Math.floorMod(a.id().hashCode(), locks.length)]) {
            AlertCase c = store.get(a.id());
            if (c.status() != AlertStatus.CLOSED || a.version() <= c.closedAtVersion()) {
                return;
            }
            CaseEvent e = new CaseEvent("reopen-v" + a.version() + "-s" + (c.seq() + 1), a.id(), c.seq() + 1, CaseAction.REOPEN, CaseEvent.SYSTEM,
                Role.ADMIN, clock.instant(), a.version(), null, null, "version " + a.version() + " of the alert arrived after it was closed at version "
                    + c.closedAtVersion());
            try {
                CaseStore.Outcome o = append(e);
                if (!o.applied()) {
                    log.info("reopening alert {} did not apply ({}); it is looked at again with its next change", a.id(), o.reason());
                }
            } catch (RuntimeException x) {
                log.warn("reopening alert {} failed: {}", a.id(), x.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (alertSubscription != null) {
            try {
                alertSubscription.close();
            } catch (Exception e) {
                log.debug("unsubscribing: {}", e.toString());
            }
        }
        reopener.shutdownNow();
    }
}
