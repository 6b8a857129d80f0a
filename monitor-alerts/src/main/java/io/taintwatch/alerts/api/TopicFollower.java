package io.taintwatch.alerts.api;

import io.taintwatch.kafka.KafkaClients;
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

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Reads a whole topic ({@code read_committed}, no consumer group: every instance holds everything) from the beginning
 * and then follows it, handing each record to a handler on its own thread. {@link #caughtUp()} turns true once the end
 * offsets seen at start are reached; {@link #awaitHandled} lets a writer wait until its own record has been read back.
 */
public final class TopicFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Thread thread;
    private final Map<Integer, Long> handled = new HashMap<>(); // partition -> next offset to handle; guarded by this
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile Runnable onCaughtUp = () -> {};

    /** {@code kafka}: the process's Kafka client baseline (security settings, timeouts). */
    public TopicFollower(KafkaClients kafka, String topic, String clientId, Consumer<ConsumerRecord<String, byte[]>> handler) {
        Properties p = kafka.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false, ConsumerConfig.CLIENT_ID_CONFIG, clientId));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.handler = handler;
        this.thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
    }

    /** Runs once, on the follower's thread, when the follower has caught up. */
    public void onCaughtUp(Runnable r) {
        this.onCaughtUp = r;
    }

    public void start() {
        thread.start();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /** False once the thread has stopped (after an error) although nobody closed it: its readers would see stale data. */
    public boolean alive() {
        return !running || thread.isAlive() || thread.getState() == Thread.State.NEW;
    }

    /** Waits until the record at {@code offset} of {@code partition} has been handled; false on timeout. */
    public boolean awaitHandled(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (handled.getOrDefault(partition, 0L) <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Blocks until caught up; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!caughtUp) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running || !alive()) {
                    return caughtUp;
                }
                wait(Math.max(1, Math.min(500, left / 1_000_000)));
            }
            return true;
        }
    }

    private void run() {
        try {
            List<PartitionInfo> parts = null;
            while (running && (parts == null || parts.isEmpty())) {
                parts = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (parts == null || parts.isEmpty()) {
                    log.info("{}: topic {} not there yet", thread.getName(), topic);
                    Thread.sleep(1000);
                }
            }
            List<TopicPartition> tps = parts.stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> target = consumer.endOffsets(tps);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(r);
                }
                synchronized (this) {
                    for (TopicPartition tp : tps) {
                        handled.put(tp.partition(), consumer.position(tp));
                    }
                    if (!caughtUp && tps.stream().allMatch(tp -> handled.get(tp.partition()) >= target.get(tp))) {
                        caughtUp = true;
                        onCaughtUp.run();
                    }
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("{} woken up unexpectedly", thread.getName(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} stopped", thread.getName(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            synchronized (this) {
                notifyAll();
            }
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
