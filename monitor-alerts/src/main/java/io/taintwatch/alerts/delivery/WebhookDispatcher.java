package io.taintwatch.alerts.delivery;

import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.alerts.metrics.AlertMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Delivers the {@code alerts} topic to webhook endpoints. The topic is the durable outbox: each endpoint has its
 * own consumer group and commits an alert's offset only after the receiver accepted it or it was dead-lettered to
 * {@code alerts.webhook-dlq}, so nothing is lost while a receiver is down (up to the endpoint's retry budget, then in
 * the dead-letter topic, from where {@link WebhookRedelivery} sends it again) or across restarts (a crash between
 * delivery and commit re-sends that one alert: receivers deduplicate by alert id and version). Each endpoint receives
 * one alert at a time, in the order of each partition of the topic; see {@link DeadLetters} for how dead letters keep
 * the versions of an alert in order.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final List<EndpointWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final KafkaProducer<String, byte[]> dlq;
    private volatile boolean closing;

    /** {@code kafka}: the process's Kafka client baseline (security settings, timeouts). */
    public WebhookDispatcher(KafkaClients kafka, String alertsTopic, String dlqTopic, WebhooksConfig config, AlertMetrics metrics, Clock clock) {
        this(kafka, alertsTopic, dlqTopic, config, metrics, clock, (alert, published) -> published);
    }

    /**
     * {@code body}: the request body for an alert record (the alert and the record's value), e.g. the published JSON with the
     * status of the alert's case at delivery time.
     */
    public WebhookDispatcher(KafkaClients kafka, String alertsTopic, String dlqTopic, WebhooksConfig config, AlertMetrics metrics, Clock clock,
                             java.util.function.BiFunction<io.taintwatch.model.Alert, byte[], byte[]> body) {
        this.dlq = config.endpoints().isEmpty() ? null : DeadLetterTopic.producer(kafka, "taintwatch-webhook-dlq");
        WebhookSender sender = new WebhookSender(clock);
        for (WebhookEndpoint e : config.endpoints()) {
            workers.add(new EndpointWorker(kafka, alertsTopic, dlqTopic, config.groupPrefix() + e.name(), e, sender, dlq, metrics, clock, body));
        }
    }

    public void start() {
        for (EndpointWorker w : workers) {
            Thread t = new Thread(w, "webhook-" + w.endpoint().name());
            t.setDaemon(false);
            threads.add(t);
            t.start();
            log.info("webhook dispatcher started for endpoint {}", w.endpoint().name());
        }
    }

    /** False once an endpoint's delivery thread has stopped (after an error) before {@link #close}: alerts would pile up undelivered. */
    public boolean alive() {
        return closing || threads.stream().allMatch(Thread::isAlive);
    }

    /** Alerts consumed but not yet delivered or dead-lettered, plus the endpoint's lag, summed over endpoints. */
    public long outboxDepth() {
        return workers.stream().mapToLong(EndpointWorker::depth).sum();
    }

    @Override
    public void close() {
        closing = true;
        workers.forEach(EndpointWorker::stop);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dlq != null) {
            dlq.close();
        }
    }
}
