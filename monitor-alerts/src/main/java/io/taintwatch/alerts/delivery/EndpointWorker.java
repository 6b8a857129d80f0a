package io.taintwatch.alerts.delivery;

import io.taintwatch.kafka.KafkaClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.model.Alert;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/** One endpoint's outbox loop: poll alerts, deliver each in order with retries, commit after success or dead-letter. */
final class EndpointWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EndpointWorker.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebhookEndpoint endpoint;
    private final String dlqTopic;
    private final WebhookSender sender;
    private final KafkaProducer<String, byte[]> dlq;
    private final AlertMetrics metrics;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final AtomicLong depth;
    private volatile boolean running = true;

    EndpointWorker(KafkaClients kafka, String topic, String dlqTopic, String group, WebhookEndpoint endpoint,
                   WebhookSender sender, KafkaProducer<String, byte[]> dlq, AlertMetrics metrics, Clock clock) {
        this.endpoint = endpoint;
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
            consumer.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
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
        Alert alert;
        try {
            alert = AlertJson.parse(r.value());
        } catch (RuntimeException e) {
            deadLetter(r, null, 0, "unreadable alert record: " + e.getMessage());
            return;
        }
        if (!endpoint.accepts(alert)) {
            metrics.webhook(endpoint.name(), "filtered");
            return;
        }
        DeliveryResult last = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= endpoint.maxAttempts() && running; attempt++) {
            attempts = attempt;
            last = sender.send(endpoint, alert.id(), alert.version(), attempt, r.value());
            if (last.kind() == DeliveryResult.Kind.DELIVERED) {
                metrics.webhook(endpoint.name(), "delivered");
                log.debug("webhook {}: alert {} v{} delivered on attempt {}", endpoint.name(), alert.id(), alert.version(), attempt);
                return;
            }
            if (last.kind() == DeliveryResult.Kind.PERMANENT) {
                break;
            }
            if (attempt < endpoint.maxAttempts()) {
                metrics.webhook(endpoint.name(), "retry");
                Duration wait = endpoint.backoffAfter(attempt);
                log.info("webhook {}: alert {} v{} attempt {} failed ({}); retrying in {} ms", endpoint.name(), alert.id(),
                    alert.version(), attempt, last.reason(), wait.toMillis());
                pauseFor(wait);
            }
        }
        if (!running) {
            throw new InterruptedException("stopping"); // leave the alert uncommitted for the next run
        }
        deadLetter(r, alert, attempts, last == null ? "not attempted" : last.reason());
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

    private void deadLetter(ConsumerRecord<String, byte[]> r, Alert alert, int attempts, String reason) throws InterruptedException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("endpoint", endpoint.name());
        n.put("alertId", alert == null ? r.key() : alert.id());
        if (alert != null) {
            n.put("alertVersion", alert.version());
        }
        n.put("attempts", attempts);
        n.put("reason", reason);
        n.put("failedAt", clock.instant().toString());
        n.put("topic", r.topic());
        n.put("partition", r.partition());
        n.put("offset", r.offset());
        n.put("value", new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.UTF_8));
        try {
            dlq.send(new ProducerRecord<>(dlqTopic, r.key(), MAPPER.writeValueAsBytes(n))).get();
        } catch (ExecutionException | com.fasterxml.jackson.core.JsonProcessingException e) {
            // not committed: the alert stays in the outbox and is tried again after a restart
            throw new IllegalStateException("webhook " + endpoint.name() + ": cannot write the dead letter for offset " + r.offset(), e);
        }
        metrics.webhook(endpoint.name(), "dead_letter");
        log.warn("webhook {}: alert {} dead-lettered after {} attempts: {}", endpoint.name(), n.get("alertId").asText(), attempts, reason);
    }
}
