package io.taintwatch.alerts.api;

import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.model.Alert;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the whole {@code alerts} topic ({@code read_committed}, no consumer group: every API instance holds the full
 * index) into an {@link AlertIndex}, then follows it. {@link #caughtUp()} turns true once the end offsets seen at
 * start have been reached: the API is ready from then on.
 */
public final class AlertFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final AlertIndex index;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    /** {@code kafka}: the process's Kafka client baseline (security settings, timeouts). */
    public AlertFeed(KafkaClients kafka, String topic, AlertIndex index) {
        Properties p = kafka.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false, ConsumerConfig.CLIENT_ID_CONFIG, "taintwatch-alert-feed"));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.index = index;
        this.thread = new Thread(this::run, "alert-feed");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /** False once the feed's thread has stopped (after an error) although nobody closed it: the API would serve stale data. */
    public boolean alive() {
        return !running || thread.isAlive() || thread.getState() == Thread.State.NEW;
    }

    private void run() {
        try {
            List<PartitionInfo> parts = null;
            while (running && (parts == null || parts.isEmpty())) {
                parts = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (parts == null || parts.isEmpty()) {
                    log.info("alert feed: topic {} not there yet", topic);
                    Thread.sleep(1000);
                }
            }
            List<TopicPartition> tps = parts.stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> target = consumer.endOffsets(tps);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        Alert a = AlertJson.parse(r.value());
                        index.put(a, new String(r.value(), StandardCharsets.UTF_8));
                    } catch (RuntimeException e) {
                        log.warn("alert feed: skipped unreadable record {}/{}/{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
                if (!caughtUp && tps.stream().allMatch(tp -> consumer.position(tp) >= target.get(tp))) {
                    caughtUp = true;
                    log.info("alert feed caught up: {} alerts indexed", index.size());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("alert feed woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("alert feed stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
