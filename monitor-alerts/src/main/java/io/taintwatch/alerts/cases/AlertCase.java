package io.taintwatch.alerts.cases;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.model.AlertStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state of one alert's case, a fold of its {@link CaseEvent}s in log order ({@link #apply}). The same fold runs
 * when an action is requested (to refuse it before writing) and when the log is read back (to decide what counts),
 * so a restart or a replay of the topic gives the same cases.
 */
public record AlertCase(String alertId, long seq, AlertStatus status, String assignee, Disposition disposition, String closingComment,
                        long closedAtVersion, Instant firstActionAt, List<CaseEvent> events) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public AlertCase {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(status, "status");
        events = List.copyOf(events);
    }

    /** An alert nobody has acted on. */
    public static AlertCase none(String alertId) {
        return new AlertCase(alertId, 0, AlertStatus.OPEN, null, null, null, 0, null, List.of());
    }

    /** Thrown when an event does not apply to the case as it stands; the message says why, for the person who asked. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }

    /**
     * The status a version of the alert has: a version newer than the one the case was closed at reopens it (the service
     * then writes the {@code reopen} event; until it is read back the status is already {@code open}).
     */
    public AlertStatus statusFor(long alertVersion) {
        return status == AlertStatus.CLOSED && alertVersion > closedAtVersion ? AlertStatus.OPEN : status;
    }

    /** The case after {@code e}, or {@link Rejected} with the reason. */
    public AlertCase apply(CaseEvent e) {
        if (!e.alertId().equals(alertId)) {
            throw new Rejected("event of alert " + e.alertId() + " applied to the case of " + alertId);
        }
        if (e.seq() != seq + 1) {
            throw new Rejected("the case changed meanwhile (it is at step " + seq + ", the action was decided on step " + (e.seq() - 1)
                + "): reload and decide again");
        }
        AlertStatus st = status;
        String as = assignee;
        Disposition disp = disposition;
        String closing = closingComment;
        long closedAt = closedAtVersion;
        boolean closed = status == AlertStatus.CLOSED;
        switch (e.action()) {
            case ACKNOWLEDGE -> {
                requireOpen(closed, "acknowledge");
                if (status != AlertStatus.OPEN) {
                    throw new Rejected("the alert is already " + status.label());
                }
                st = AlertStatus.ACKNOWLEDGED;
            }
            case ASSIGN -> {
                requireOpen(closed, "assign");
                if (Objects.equals(assignee, e.assignee())) {
                    throw new Rejected(e.assignee() == null ? "the alert is not assigned" : "the alert is already assigned to " + e.assignee());
                }
                as = e.assignee();
            }
            case ESCALATE -> {
                requireOpen(closed, "escalate");
                if (status == AlertStatus.ESCALATED) {
                    throw new Rejected("the alert is already escalated");
                }
                st = AlertStatus.ESCALATED;
            }
            case NOTE -> {
                if (e.comment() == null) {
                    throw new Rejected("a note needs its text");
                }
            }
            case CLOSE -> {
                requireOpen(closed, "close");
                if (e.disposition() == null) {
                    throw new Rejected("closing needs a disposition: confirmed-laundering, false-positive, known-benign or duplicate");
                }
                if (e.comment() == null) {
                    throw new Rejected("closing needs a reason");
                }
                st = AlertStatus.CLOSED;
                disp = e.disposition();
                closing = e.comment();
                closedAt = e.alertVersion();
            }
            case REOPEN -> {
                if (!closed) {
                    throw new Rejected("the alert is not closed");
                }
                if (e.comment() == null) {
                    throw new Rejected("reopening needs a reason");
                }
                st = AlertStatus.OPEN;
                disp = null;
                closing = null;
            }
        }
        Instant first = firstActionAt == null && !CaseEvent.SYSTEM.equals(e.actor()) ? e.at() : firstActionAt;
        List<CaseEvent> all = new ArrayList<>(events.size() + 1);
        all.addAll(events);
        all.add(e);
        return new AlertCase(alertId, e.seq(), st, as, disp, closing, closedAt, first, all);
    }

    private static void requireOpen(boolean closed, String what) {
        if (closed) {
            throw new Rejected("the alert is closed: reopen it to " + what + " it");
        }
    }

    /** An alert's JSON with its {@code status} set; the JSON is re-serialised compact. */
    public static String withStatus(String alertJson, AlertStatus st) {
        try {
            ObjectNode n = (ObjectNode) MAPPER.readTree(alertJson);
            n.put("status", st.label());
            return n.toString();
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalArgumentException("alert JSON is not an object: " + e.getMessage(), e);
        }
    }

    /** The case as the API shows it ({@code case.schema.json}): state and the whole trail, oldest first. */
    public ObjectNode toJson(long alertVersion) {
        ObjectNode n = summaryJson(alertVersion);
        ArrayNode ev = n.putArray("events");
        events.forEach(e -> ev.add(e.toJson()));
        return n;
    }

    /** The state without the trail (the queue's columns, the stream's {@code case} events). */
    public ObjectNode summaryJson(long alertVersion) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("alertId", alertId);
        n.put("seq", seq);
        n.put("status", statusFor(alertVersion).label());
        putNullable(n, "assignee", assignee);
        putNullable(n, "disposition", disposition == null ? null : disposition.label());
        putNullable(n, "closingComment", closingComment);
        if (closedAtVersion > 0) {
            n.put("closedAtVersion", closedAtVersion);
        } else {
            n.putNull("closedAtVersion");
        }
        putNullable(n, "firstActionAt", firstActionAt == null ? null : firstActionAt.toString());
        putNullable(n, "updatedAt", events.isEmpty() ? null : events.get(events.size() - 1).at().toString());
        return n;
    }

    private static void putNullable(ObjectNode n, String k, String v) {
        if (v == null) {
            n.putNull(k);
        } else {
            n.put(k, v);
        }
    }
}
