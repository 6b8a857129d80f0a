package io.taintwatch.alerts.api;

import io.taintwatch.alerts.AlertRecords;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.topology.DeadLetterWriter;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.model.Alert;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Reads the whole {@code alerts} topic ({@code read_committed}, no consumer group: every API instance holds the full
 * index) into an {@link AlertIndex}, then follows it. {@link #caughtUp()} turns true once the end offsets seen at
 * start have been reached: the API is ready from then on.
 */
public final class AlertFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

    private final TopicFollower follower;
    private final AlertIndex index;
    private final DeadLetterWriter badRecords;

    /** {@code kafka}: the process's Kafka client baseline (security settings, timeouts). */
    public AlertFeed(KafkaClients kafka, String topic, AlertIndex index) {
        this.index = index;
        this.badRecords = DeadLetterWriter.kafka(kafka, "taintwatch-alert-feed-dlq");
        badRecords.open(null);
        this.follower = new TopicFollower(kafka, topic, "taintwatch-alert-feed", this::handle);
        follower.onCaughtUp(() -> log.info("alert feed caught up: {} alerts indexed", index.size()));
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        // a record that is not an alert goes to <alerts topic>.dlq (every API instance reads the whole topic, so each may
        // write one; at least once)
        Alert a = AlertRecords.readOrDeadLetter(r, badRecords);
        if (a != null) {
            index.put(a, new String(r.value(), StandardCharsets.UTF_8));
        }
    }

    public void start() {
        follower.start();
    }

    public boolean caughtUp() {
        return follower.caughtUp();
    }

    /** False once the feed's thread has stopped (after an error) although nobody closed it: the API would serve stale data. */
    public boolean alive() {
        return follower.alive();
    }

    @Override
    public void close() {
        follower.close();
        badRecords.close();
    }
}
