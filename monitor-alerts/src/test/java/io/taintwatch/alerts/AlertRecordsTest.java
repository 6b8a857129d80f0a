package io.taintwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Alert;
import io.taintwatch.topology.DeadLetterHandler;
import io.taintwatch.topology.MemoryDeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Bad records of the alerts topic, as its plain-consumer readers meet them: dead-lettered with their headers, good ones read. */
class AlertRecordsTest {
    static ConsumerRecord<String, byte[]> record(long offset, String key, byte[] value) {
        return new ConsumerRecord<>("alerts", 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0, key, value, new RecordHeaders(), Optional.empty());
    }

    @Test
    void badKeysValuesAndTombstonesAreDeadLetteredAndGoodAlertsRead() {
        Alert good = new Scenario().alertVersions().get(0);
        byte[] json = AlertJson.toBytes(good);
        MemoryDeadLetters dead = new MemoryDeadLetters();
        List<ConsumerRecord<String, byte[]>> in = List.of(
            record(0, good.id(), json),
            record(1, "someone-else", json),
            record(2, null, json),
            record(3, good.id(), "{\"not\":\"an alert\"}".getBytes(StandardCharsets.UTF_8)),
            record(4, good.id(), null));
        List<Alert> read = in.stream().map(r -> AlertRecords.readOrDeadLetter(r, dead)).toList();

        assertThat(read.get(0)).isEqualTo(good);
        assertThat(read.subList(1, 5)).containsOnlyNulls();
        List<ProducerRecord<byte[], byte[]>> letters = dead.to("alerts.dlq");
        assertThat(letters).extracting(d -> header(d, DeadLetterHandler.H_OFFSET)).containsExactly("1", "2", "3", "4");
        assertThat(letters).extracting(d -> header(d, DeadLetterHandler.H_REASON)).satisfiesExactly(
            r -> assertThat(r).contains("key 'someone-else' does not match the alert id " + good.id()),
            r -> assertThat(r).contains("key (none) does not match"),
            r -> assertThat(r).contains("not an alert"),
            r -> assertThat(r).contains("tombstone"));
        assertThat(letters.get(0).key()).isEqualTo("someone-else".getBytes(StandardCharsets.UTF_8));
        assertThat(letters.get(0).value()).isEqualTo(json);
        assertThat(letters).allSatisfy(d -> assertThat(header(d, DeadLetterHandler.H_TOPIC)).isEqualTo("alerts"));
    }

    static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
