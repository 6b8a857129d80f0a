package io.taintwatch.alerts.cases;

import io.taintwatch.alerts.api.TopicFollower;
import io.taintwatch.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code alert-cases} topic: written through an idempotent producer, read back from the beginning into a
 * {@link CaseStore} and followed. The log is the case state's changelog: a restart, another API instance or a replay
 * reads the same events in the same order and folds them into the same cases. {@link #append} returns once the
 * event has been read back, so the caller learns whether it was applied (and a following read sees it).
 */
public final class CaseLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaseLog.class);

    private final String topic;
    private final CaseStore store;
    private final TopicFollower follower;
    private final KafkaProducer<String, byte[]> producer;

    public CaseLog(KafkaClients kafka, String topic, CaseStore store) {
        this.topic = topic;
        this.store = store;
        this.follower = new TopicFollower(kafka, topic, "taintwatch-case-log", this::handle);
        follower.onCaughtUp(() -> log.info("case log caught up: {} cases", store.all().size()));
        this.producer = new KafkaProducer<>(kafka.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG,
            "all", ProducerConfig.CLIENT_ID_CONFIG, "taintwatch-case-writer")), new StringSerializer(), new ByteArraySerializer());
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            store.accept(CaseEvent.parse(r.value()), follower.caughtUp());
        } catch (IllegalArgumentException e) {
            log.warn("case log: skipped unreadable record {}/{}/{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    public void start() {
        follower.start();
    }

    public boolean caughtUp() {
        return follower.caughtUp();
    }

    public boolean alive() {
        return follower.alive();
    }

    /** Waits until the log has been read up to its end as of start; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /**
     * Writes the event and waits until it has been read back: its outcome, or {@link TimeoutException} when the write or
     * the read-back takes longer than {@code timeout} (the event may still be applied later: retry with the same id).
     */
    public CaseStore.Outcome append(CaseEvent e, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RecordMetadata md;
        try {
            md = producer.send(new ProducerRecord<>(topic, e.key(), e.toBytes())).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException x) {
            throw new IllegalStateException("writing to " + topic + " failed: " + x.getCause().getMessage(), x.getCause());
        }
        if (!follower.awaitHandled(md.partition(), md.offset(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            throw new TimeoutException("the action was written but not read back within " + timeout.toMillis() + " ms");
        }
        return store.outcome(e.eventId()).orElse(new CaseStore.Outcome(true, null));
    }

    @Override
    public void close() {
        follower.close();
        producer.close(Duration.ofSeconds(5));
    }
}
