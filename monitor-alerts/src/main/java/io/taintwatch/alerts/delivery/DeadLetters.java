package io.taintwatch.alerts.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.model.Alert;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;

/**
 * The records of the webhook dead-letter topic ({@code alerts.webhook-dlq}, key = alert id), JSON: a <em>dead letter</em>
 * for each alert version an endpoint did not deliver, and a <em>redelivery</em> for each dead letter that
 * {@link WebhookRedelivery} delivered later. A dead letter without a redelivery is <em>open</em>; while an alert has an
 * open dead letter for an endpoint, the endpoint's later versions of it are dead-lettered too (held), so that no version
 * ever reaches a receiver before an earlier one. Docs: docs/alert-schema.md, "Webhooks".
 */
public final class DeadLetters {
    static final String KIND_DEAD_LETTER = "dead-letter";
    static final String KIND_REDELIVERED = "redelivered";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetters() {}

    /** Where a record is on the dead-letter topic; a dead letter's identity. */
    public record Position(int partition, long offset) implements Comparable<Position> {
        private static final Comparator<Position> ORDER = Comparator.comparingInt(Position::partition).thenComparingLong(Position::offset);

        @Override
        public int compareTo(Position o) {
            return ORDER.compare(this, o);
        }

        @Override
        public String toString() {
            return partition + "/" + offset;
        }
    }

    /** A record of the dead-letter topic. */
    public sealed interface Entry permits DeadLetter, Redelivery {
        String endpoint();
    }

    /**
     * One undelivered alert version: {@code alertVersion} is null when the alerts record could not be read as an alert;
     * {@code value} is the alerts record's value as it was (the alert JSON, signed and sent again on redelivery).
     */
    public record DeadLetter(Position position, long timestampMs, String endpoint, String alertId, Long alertVersion, int attempts,
                             String reason, String failedAt, String value) implements Entry {
        public boolean isAlert() {
            return alertVersion != null;
        }
    }

    /** A dead letter ({@code deadLetter}) delivered later. */
    public record Redelivery(Position position, String endpoint, String alertId, Position deadLetter) implements Entry {}

    static byte[] deadLetter(String endpoint, ConsumerRecord<String, byte[]> r, Alert alert, int attempts, String reason, Instant failedAt) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("kind", KIND_DEAD_LETTER);
        n.put("endpoint", endpoint);
        n.put("alertId", alert == null ? r.key() : alert.id());
        if (alert != null) {
            n.put("alertVersion", alert.version());
        }
        n.put("attempts", attempts);
        n.put("reason", reason);
        n.put("failedAt", failedAt.toString());
        n.put("topic", r.topic());
        n.put("partition", r.partition());
        n.put("offset", r.offset());
        n.put("value", new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.UTF_8));
        return bytes(n);
    }

    static byte[] redelivery(DeadLetter d, String result, Instant at) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("kind", KIND_REDELIVERED);
        n.put("endpoint", d.endpoint());
        n.put("alertId", d.alertId());
        if (d.alertVersion() != null) {
            n.put("alertVersion", d.alertVersion());
        }
        n.put("deadLetterPartition", d.position().partition());
        n.put("deadLetterOffset", d.position().offset());
        n.put("result", result);
        n.put("redeliveredAt", at.toString());
        return bytes(n);
    }

    /** The entry in a record of the topic; a record that is neither kind is an {@link IllegalArgumentException} naming its position. */
    static Entry parse(ConsumerRecord<String, byte[]> r) {
        Position at = new Position(r.partition(), r.offset());
        JsonNode n;
        try {
            n = r.value() == null ? null : MAPPER.readTree(r.value());
        } catch (IOException e) {
            throw new IllegalArgumentException("dead-letter record " + r.topic() + "/" + at + " is not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.path("endpoint").isTextual() || !n.path("alertId").isTextual()) {
            throw new IllegalArgumentException("dead-letter record " + r.topic() + "/" + at + " has no endpoint or alertId");
        }
        String endpoint = n.get("endpoint").asText();
        String alertId = n.get("alertId").asText();
        if (KIND_REDELIVERED.equals(n.path("kind").asText())) {
            return new Redelivery(at, endpoint, alertId, new Position(n.path("deadLetterPartition").asInt(), n.path("deadLetterOffset").asLong()));
        }
        return new DeadLetter(at, r.timestamp(), endpoint, alertId, n.path("alertVersion").isIntegralNumber() ? n.get("alertVersion").asLong() : null,
            n.path("attempts").asInt(), n.path("reason").asText(""), n.path("failedAt").asText(""), n.path("value").asText(""));
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
