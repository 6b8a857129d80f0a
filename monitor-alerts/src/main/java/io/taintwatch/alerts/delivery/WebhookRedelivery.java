package io.taintwatch.alerts.delivery;

import io.taintwatch.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Sends open dead letters (see {@link DeadLetters}) to their endpoints again, signed as usual, and records each
 * delivery on the dead-letter topic, which releases the alert for the endpoint's live delivery. Per endpoint the dead
 * letters go in the order they were written; a dead letter is sent only after every earlier open one of the same
 * alert, so versions never overtake each other; the first failure stops that endpoint (what follows is not attempted).
 * Safe to run while the alert service runs.
 */
public final class WebhookRedelivery implements AutoCloseable {
    /** What happened to one dead letter. */
    public enum Result { DELIVERED, WOULD_DELIVER, SKIPPED, FAILED, NOT_ATTEMPTED }

    /** One line of the report. */
    public record Line(DeadLetters.DeadLetter letter, Result result, String detail) {}

    /**
     * Which dead letters: of these endpoints (empty = every configured one), dead-lettered at or after {@code from} and
     * before {@code to} (null = unbounded); {@code dryRun} reports what would be sent without sending.
     */
    public record Selection(Set<String> endpoints, Instant from, Instant to, boolean dryRun) {
        public Selection {
            endpoints = endpoints == null ? Set.of() : Set.copyOf(endpoints);
        }

        boolean inRange(DeadLetters.DeadLetter d) {
            return (from == null || d.timestampMs() >= from.toEpochMilli()) && (to == null || d.timestampMs() < to.toEpochMilli());
        }
    }

    private final KafkaClients kafka;
    private final String dlqTopic;
    private final Map<String, WebhookEndpoint> endpoints = new TreeMap<>();
    private final WebhookSender sender;
    private final Clock clock;
    private final Duration retryFor;
    private final KafkaProducer<String, byte[]> producer;

    /** {@code retryFor}: how long one dead letter is retried (with the endpoint's backoff) before the endpoint is given up. */
    public WebhookRedelivery(KafkaClients kafka, String dlqTopic, WebhooksConfig config, Clock clock, Duration retryFor) {
        this.kafka = kafka;
        this.dlqTopic = dlqTopic;
        config.endpoints().forEach(e -> endpoints.put(e.name(), e));
        this.sender = new WebhookSender(clock);
        this.clock = clock;
        this.retryFor = retryFor;
        this.producer = DeadLetterTopic.producer(kafka, "taintwatch-webhook-redelivery");
    }

    /** Redelivers what {@code s} selects; every line is also given to {@code progress} as it happens. */
    public List<Line> run(Selection s, Consumer<Line> progress) throws InterruptedException {
        for (String name : s.endpoints()) {
            if (!endpoints.containsKey(name)) {
                throw new IllegalArgumentException("webhook endpoint '" + name + "' is not configured (alerts.webhooks: " + endpoints.keySet() + ")");
            }
        }
        Set<String> names = s.endpoints().isEmpty() ? null : s.endpoints();
        TreeMap<DeadLetters.Position, DeadLetters.DeadLetter> open = new TreeMap<>();
        try (DeadLetterTopic topic = new DeadLetterTopic(kafka, dlqTopic, "taintwatch-webhook-redelivery")) {
            topic.catchUp(e -> {
                if (names != null && !names.contains(e.endpoint())) {
                    return;
                }
                switch (e) {
                    case DeadLetters.DeadLetter d -> open.put(d.position(), d);
                    case DeadLetters.Redelivery r -> open.remove(r.deadLetter());
                }
            });
        }
        List<Line> lines = new ArrayList<>();
        Consumer<Line> report = l -> {
            lines.add(l);
            progress.accept(l);
        };
        Map<String, List<DeadLetters.DeadLetter>> byEndpoint = new TreeMap<>();
        open.values().forEach(d -> byEndpoint.computeIfAbsent(d.endpoint(), k -> new ArrayList<>()).add(d));
        for (var e : byEndpoint.entrySet()) {
            WebhookEndpoint endpoint = endpoints.get(e.getKey());
            if (endpoint == null) {
                e.getValue().stream().filter(s::inRange)
                    .forEach(d -> report.accept(new Line(d, Result.SKIPPED, "endpoint " + d.endpoint() + " is not configured")));
            } else {
                redeliver(endpoint, e.getValue(), s, report);
            }
        }
        return lines;
    }

    private void redeliver(WebhookEndpoint endpoint, List<DeadLetters.DeadLetter> letters, Selection s, Consumer<Line> report)
        throws InterruptedException {
        Map<String, DeadLetters.Position> heldBy = new HashMap<>(); // alert id -> its earlier open dead letter not sent in this run
        String stopped = null;
        for (DeadLetters.DeadLetter d : letters) {
            boolean selected = s.inRange(d);
            if (!d.isAlert()) {
                if (selected) {
                    report.accept(new Line(d, Result.SKIPPED, "not an alert record: nothing to deliver (" + d.reason() + ")"));
                }
                continue;
            }
            DeadLetters.Position before = heldBy.get(d.alertId());
            if (!selected || stopped != null || before != null) {
                heldBy.putIfAbsent(d.alertId(), d.position());
                if (stopped != null && selected) {
                    report.accept(new Line(d, Result.NOT_ATTEMPTED, stopped));
                } else if (selected) {
                    report.accept(new Line(d, Result.SKIPPED, "an earlier version of this alert waits at " + dlqTopic + " " + before
                        + ", outside the selection: widen --from/--to"));
                }
                continue;
            }
            if (s.dryRun()) {
                report.accept(new Line(d, Result.WOULD_DELIVER, "dry run"));
                continue;
            }
            DeliveryResult r = send(endpoint, d);
            if (r.kind() == DeliveryResult.Kind.DELIVERED) {
                record(d, r.reason());
                report.accept(new Line(d, Result.DELIVERED, r.reason()));
            } else {
                heldBy.put(d.alertId(), d.position());
                stopped = "not attempted: " + endpoint.name() + " failed on the dead letter at " + d.position();
                report.accept(new Line(d, Result.FAILED, r.reason()));
            }
        }
    }

    private DeliveryResult send(WebhookEndpoint endpoint, DeadLetters.DeadLetter d) throws InterruptedException {
        byte[] body = d.value().getBytes(StandardCharsets.UTF_8);
        Instant giveUp = clock.instant().plus(retryFor);
        for (int attempt = 1; ; attempt++) {
            DeliveryResult r = sender.send(endpoint, d.alertId(), d.alertVersion(), d.attempts() + attempt, body);
            Instant now = clock.instant();
            if (r.kind() != DeliveryResult.Kind.RETRIABLE || !now.isBefore(giveUp)) {
                return r;
            }
            Duration wait = endpoint.backoffAfter(attempt);
            Thread.sleep(Math.min(wait.toMillis(), Duration.between(now, giveUp).toMillis()));
        }
    }

    private void record(DeadLetters.DeadLetter d, String result) {
        try {
            producer.send(new ProducerRecord<>(dlqTopic, d.alertId(), DeadLetters.redelivery(d, result, clock.instant()))).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("delivered the dead letter at " + dlqTopic + " " + d.position() + " to " + d.endpoint()
                + " but could not record it (a later run sends it again; receivers deduplicate by id and version): "
                + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording the redelivery of " + dlqTopic + " " + d.position(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
