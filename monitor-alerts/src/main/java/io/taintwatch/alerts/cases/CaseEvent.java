package io.taintwatch.alerts.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit trail, a record of the {@code alert-cases} topic: who ({@code actor}, {@code role}) did what
 * ({@code action} with its {@code assignee}, {@code disposition}, {@code comment}) to which alert ({@code alertId}, as
 * seen at {@code alertVersion}) and when ({@code at}). {@code seq} is the case's sequence number this event claims
 * (1 for the first): of two writers claiming the same one, the first in the log wins and the other is rejected.
 * {@code eventId} makes a write idempotent: the same id twice is applied once. JSON reference: docs/alert-schema.md.
 */
public record CaseEvent(String eventId, String alertId, long seq, CaseAction action, String actor, Role role, Instant at, long alertVersion,
                        String assignee, Disposition disposition, String comment) {
    public static final int SCHEMA_VERSION = 1;
    /** The actor of events the service writes itself (reopening on a new alert version). */
    public static final String SYSTEM = "taintwatch";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_COMMENT = 4000;

    public CaseEvent {
        if (eventId == null || !eventId.matches("[A-Za-z0-9._:-]{8,128}")) {
            throw new IllegalArgumentException("eventId must be 8-128 letters, digits, '.', '_', ':' or '-', got '" + eventId + "'");
        }
        if (alertId == null || alertId.isBlank()) {
            throw new IllegalArgumentException("alertId must be set");
        }
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1, got " + seq);
        }
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(at, "at");
        if (actor == null || !(actor.equals(SYSTEM) || actor.matches(Principal.NAME_PATTERN))) {
            throw new IllegalArgumentException("actor must be a user name, got '" + actor + "'");
        }
        if (assignee != null && !assignee.matches(Principal.NAME_PATTERN)) {
            throw new IllegalArgumentException("assignee must be a user name, got '" + assignee + "'");
        }
        comment = comment == null || comment.isBlank() ? null : comment.strip();
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw new IllegalArgumentException("comment is longer than " + MAX_COMMENT + " characters");
        }
    }

    /** The record key on {@code alert-cases}: unique per event, so compaction keeps every event and drops only repeats of one. */
    public String key() {
        return alertId + "/" + eventId;
    }

    public ObjectNode toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("schemaVersion", SCHEMA_VERSION);
        n.put("eventId", eventId);
        n.put("alertId", alertId);
        n.put("seq", seq);
        n.put("action", action.label());
        n.put("actor", actor);
        n.put("role", role.label());
        n.put("at", at.toString());
        n.put("alertVersion", alertVersion);
        if (assignee == null) {
            n.putNull("assignee");
        } else {
            n.put("assignee", assignee);
        }
        if (disposition == null) {
            n.putNull("disposition");
        } else {
            n.put("disposition", disposition.label());
        }
        if (comment == null) {
            n.putNull("comment");
        } else {
            n.put("comment", comment);
        }
        return n;
    }

    public byte[] toBytes() {
        return toJson().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one record value; a record that is not a valid event fails with the reason. */
    public static CaseEvent parse(byte[] value) {
        JsonNode n;
        try {
            n = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (n.path("schemaVersion").asInt() != SCHEMA_VERSION) {
            throw new IllegalArgumentException("unknown schemaVersion " + n.path("schemaVersion"));
        }
        try {
            return new CaseEvent(text(n, "eventId"), text(n, "alertId"), n.path("seq").asLong(), CaseAction.fromLabel(text(n, "action")),
                text(n, "actor"), Role.fromLabel(text(n, "role")), Instant.parse(text(n, "at")), n.path("alertVersion").asLong(),
                text(n, "assignee"), n.hasNonNull("disposition") ? Disposition.fromLabel(text(n, "disposition")) : null, text(n, "comment"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'at' is not an ISO-8601 instant: " + n.path("at").asText());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
