package io.taintwatch.alerts.delivery;

import io.taintwatch.alerts.AlertRecords;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.topology.DeadLetterWriter;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.model.Alert;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One endpoint's outbox loop: poll alerts, deliver each in order with retries, commit after success or dead-letter.
 * Retries go on while the receiver has been failing (no success since its first failure) for less than the endpoint's
 * retry budget; past it each alert gets one attempt before it is dead-lettered, until a delivery succeeds again. The
 * failure clock lives in this process: a restart starts it anew (dead-lettering later, never losing).
 */
final class EndpointWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EndpointWorker.class);

    private final WebhookEndpoint endpoint;
    private final String dlqTopic;
    private final WebhookSender sender;
    private final KafkaProducer<String, byte[]> dlq;
    private final AlertMetrics metrics;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final AtomicLong depth;
    private final DeadLetterTopic deadLetters;
    private final HeldAlerts held;
    /** Where records on the alerts topic that are not alerts go ({@code <topic>.dlq}). */
    private final DeadLetterWriter badRecords;
    private final java.util.function.BiFunction<Alert, byte[], byte[]> body;
    private Instant failingSince;
    private volatile boolean running = true;

    EndpointWorker(KafkaClients kafka, String topic, String dlqTopic, String group, WebhookEndpoint endpoint,
                   WebhookSender sender, KafkaProducer<String, byte[]> dlq, AlertMetrics metrics, Clock clock,
                   java.util.function.BiFunction<Alert, byte[], byte[]> body) {
        this.endpoint = endpoint;
        this.body = body;
        this.topic = topic;
        this.dlqTopic = dlqTopic;
        this.sender = sender;
        this.dlq = dlq;
        this.metrics = metrics;
        this.clock = clock;
        Properties p = kafka.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100, ConsumerConfig.CLIENT_ID_CONFIG, group));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.depth = metrics.outboxDepth(endpoint.name());
        this.deadLetters = new DeadLetterTopic(kafka, dlqTopic, group + "-dlq-reader");
        this.held = new HeldAlerts(endpoint.name());
        this.badRecords = DeadLetterWriter.kafka(kafka, group + "-input-dlq");
        badRecords.open(null);
    }

    WebhookEndpoint endpoint() {
        return endpoint;
    }

    long depth() {
        return depth.get();
    }

    /** Asks the loop to stop; it notices within one poll (500 ms) or after the attempt in flight. */
    void stop() {
        // no wakeup(): a pending wakeup would also abort the consumer's close and its leave-group request
        running = false;
    }

    @Override
    public void run() {
        try {
            deadLetters.catchUp(held::accept);
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // another member may have dead-lettered versions of alerts on these partitions: know them before delivering
                    deadLetters.catchUp(held::accept);
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                deadLetters.poll(held::accept); // redeliveries release held alerts
                updateDepth(records.count());
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (!running) {
                        return; // uncommitted: delivered again after the restart
                    }
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    try {
                        handle(r);
                    } catch (IllegalStateException e) {
                        // e.g. the dead letter could not be written: keep the alert in the outbox and try it again later
                        log.error("webhook {}: alert at {}/{}/{} stays in the outbox: {}", endpoint.name(), r.topic(), r.partition(),
                            r.offset(), e.getMessage(), e);
                        metrics.webhook(endpoint.name(), "error");
                        rewind(records, tp, r.offset());
                        pauseFor(Duration.ofSeconds(5));
                        break;
                    }
                    consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
                    depth.set(Math.max(0, depth.get() - 1));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CommitFailedException e) {
            // the group moved our partitions elsewhere; uncommitted alerts are delivered by the new owner
            log.warn("webhook {}: offset commit failed after a rebalance; the new owner re-delivers uncommitted alerts", endpoint.name());
        } catch (RuntimeException e) {
            log.error("webhook {}: dispatcher stopped", endpoint.name(), e);
        } finally {
            // close with the interrupt flag cleared, or the consumer cannot leave its group cleanly
            boolean interrupted = Thread.interrupted();
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close();
            badRecords.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Seeks every partition of the batch back to its first unhandled record, so nothing fetched is skipped. */
    private void rewind(ConsumerRecords<String, byte[]> batch, TopicPartition failed, long failedOffset) {
        for (TopicPartition tp : batch.partitions()) {
            if (tp.equals(failed)) {
                consumer.seek(tp, failedOffset);
            } else {
                OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
                consumer.seek(tp, committed == null ? batch.records(tp).get(0).offset() : committed.offset());
            }
        }
    }

    private void updateDepth(int inHand) {
        try {
            Set<TopicPartition> assigned = consumer.assignment();
            long lag = 0;
            if (!assigned.isEmpty()) {
                Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
                for (TopicPartition tp : assigned) {
                    lag += Math.max(0, end.get(tp) - consumer.position(tp));
                }
            }
            depth.set(lag + inHand);
        } catch (RuntimeException e) {
            log.debug("webhook {}: outbox depth not updated: {}", endpoint.name(), e.toString());
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) throws InterruptedException {
        // a record the alert service did not write is no delivery to retry: it goes to <alerts topic>.dlq, like any bad input
        Alert alert = AlertRecords.readOrDeadLetter(r, badRecords);
        if (alert == null) {
            metrics.webhook(endpoint.name(), "bad_record");
            return;
        }
        if (!endpoint.accepts(alert)) {
            metrics.webhook(endpoint.name(), "filtered");
            return;
        }
        Optional<DeadLetters.Position> heldAt = held.heldAt(alert.id());
        if (heldAt.isPresent()) {
            // a redelivery recorded before this record was read releases it: read the topic to its end to know
            deadLetters.catchUp(held::accept);
            heldAt = held.heldAt(alert.id());
        }
        if (heldAt.isPresent()) {
            // delivering it now would put it before an earlier version that is still to be redelivered
            deadLetter(r, alert, 0, "held: an earlier version of this alert is dead-lettered (" + dlqTopic + " " + heldAt.get()
                + "); redeliver it first", "held");
            return;
        }
        byte[] sent = body.apply(alert, r.value());
        for (int attempt = 1; running; attempt++) {
            DeliveryResult result = sender.send(endpoint, alert.id(), alert.version(), attempt, sent);
            if (result.kind() == DeliveryResult.Kind.DELIVERED) {
                failingSince = null;
                metrics.webhook(endpoint.name(), "delivered");
                log.debug("webhook {}: alert {} v{} delivered on attempt {}", endpoint.name(), alert.id(), alert.version(), attempt);
                return;
            }
            if (result.kind() == DeliveryResult.Kind.PERMANENT) {
                deadLetter(r, alert, attempt, result.reason(), "dead_letter");
                return;
            }
            Instant now = clock.instant();
            if (failingSince == null) {
                failingSince = now;
            }
            Instant giveUp = failingSince.plus(endpoint.retryBudget());
            if (!now.isBefore(giveUp)) {
                deadLetter(r, alert, attempt, result.reason() + "; the receiver has been failing since " + failingSince
                    + ", longer than the retry budget of " + endpoint.retryBudget(), "dead_letter");
                return;
            }
            Duration wait = endpoint.backoffAfter(attempt);
            if (Duration.between(now, giveUp).compareTo(wait) < 0) {
                wait = Duration.between(now, giveUp); // one last attempt when the budget runs out
            }
            metrics.webhook(endpoint.name(), "retry");
            log.info("webhook {}: alert {} v{} attempt {} failed ({}); retrying in {} ms", endpoint.name(), alert.id(),
                alert.version(), attempt, result.reason(), wait.toMillis());
            pauseFor(wait);
        }
        throw new InterruptedException("stopping"); // leave the alert uncommitted for the next run
    }

    /** Waits without leaving the group: partitions paused, the consumer still polled. */
    private void pauseFor(Duration wait) throws InterruptedException {
        Set<TopicPartition> assigned = consumer.assignment();
        consumer.pause(assigned);
        try {
            long until = System.nanoTime() + wait.toNanos();
            while (running && System.nanoTime() < until) {
                long ms = Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000));
                Thread.sleep(ms);
                consumer.poll(Duration.ZERO); // records cannot arrive for paused partitions
            }
        } finally {
            consumer.resume(consumer.assignment());
        }
    }

    /** Writes the dead letter (synchronously: the alert's offset is committed after it) and counts it as {@code outcome}. */
    private void deadLetter(ConsumerRecord<String, byte[]> r, Alert alert, int attempts, String reason, String outcome)
        throws InterruptedException {
        RecordMetadata written;
        try {
            written = dlq.send(new ProducerRecord<>(dlqTopic, r.key(), DeadLetters.deadLetter(endpoint.name(), r, alert, attempts, reason,
                clock.instant()))).get();
        } catch (ExecutionException e) {
            // not committed: the alert stays in the outbox and is tried again
            throw new IllegalStateException("webhook " + endpoint.name() + ": cannot write the dead letter for offset " + r.offset(), e);
        }
        if (alert != null) {
            held.add(alert.id(), new DeadLetters.Position(written.partition(), written.offset()));
        }
        metrics.webhook(endpoint.name(), outcome);
        log.warn("webhook {}: alert {} dead-lettered after {} attempts: {}", endpoint.name(), alert == null ? r.key() : alert.id() + " v"
            + alert.version(), attempts, reason);
    }
}
