package io.taintwatch.alerts;

import io.taintwatch.encoding.BadRecordException;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Hex;
import io.taintwatch.topology.DeadLetterHandler;
import io.taintwatch.topology.DeadLetterWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of the {@code alerts} topic as its plain-consumer readers (webhook dispatcher, API feed) take them: keyed by
 * the alert id, the value the alert's JSON. Anything else was not written by the alert service or the retro screener.
 */
public final class AlertRecords {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRecords.class);

    private AlertRecords() {}

    /** The alert of a record; a missing or foreign key, or a value that is not an alert, is a {@link BadRecordException}. */
    public static Alert read(String key, byte[] value) {
        if (value == null) {
            throw new BadRecordException("tombstone: alerts are never deleted");
        }
        Alert a;
        try {
            a = AlertJson.parse(value);
        } catch (RuntimeException e) {
            throw new BadRecordException("not an alert: " + e.getMessage(), e);
        }
        if (!a.id().equals(key)) {
            throw new BadRecordException("key " + (key == null ? "(none)" : "'" + Hex.abbreviate(key) + "'") + " does not match the alert id " + a.id());
        }
        return a;
    }

    /**
     * The alert of a record, or null after writing the record to {@code <topic>.dlq} (key and value as read, the
     * taintwatch.dlq headers); returns only once the dead letter is written.
     */
    public static Alert readOrDeadLetter(ConsumerRecord<String, byte[]> r, DeadLetterWriter deadLetters) {
        try {
            return read(r.key(), r.value());
        } catch (BadRecordException e) {
            String reason = DeadLetterHandler.reason(e);
            LOG.warn("bad record {}/{}@{} sent to {}.dlq: {}", r.topic(), r.partition(), r.offset(), r.topic(), reason);
            deadLetters.send(DeadLetterHandler.deadLetter(r.topic(), r.partition(), r.offset(),
                r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value(), r.headers(), reason));
            return null;
        }
    }
}
