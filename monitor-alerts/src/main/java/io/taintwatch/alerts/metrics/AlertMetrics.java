package io.taintwatch.alerts.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.model.Alert;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alert module's meters: names and descriptions as constants, one factory per meter. In Prometheus form the
 * names gain units and suffixes ({@code taintwatch_alerts_emitted_total}, {@code taintwatch_alerts_block_latency_seconds}).
 */
public final class AlertMetrics {
    public static final String ALERTS_EMITTED = "taintwatch.alerts.emitted";
    public static final String ALERTS_EMITTED_DESC = "Alert versions written to the alerts topic, by rule, severity and chain";
    public static final String BLOCK_LATENCY = "taintwatch.alerts.block.latency";
    public static final String BLOCK_LATENCY_DESC = "From the block's timestamp to the alert's emission";
    public static final String INGEST_LATENCY = "taintwatch.alerts.ingest.latency";
    public static final String INGEST_LATENCY_DESC = "From the ingest's publish time of the block to the alert's emission";
    public static final String WEBHOOK_DELIVERIES = "taintwatch.webhook.deliveries";
    public static final String WEBHOOK_DELIVERIES_DESC = "Webhook delivery attempts by endpoint and outcome (delivered, retry, dead_letter, filtered, error)";
    public static final String OUTBOX_DEPTH = "taintwatch.webhook.outbox.depth";
    public static final String OUTBOX_DEPTH_DESC = "Alert records not yet delivered or dead-lettered, per endpoint";
    public static final String API_REQUESTS = "taintwatch.api.requests";
    public static final String API_REQUESTS_DESC = "HTTP API requests by status code";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered up front, so Prometheus sees them at zero and rate() counts the first alerts (a series that
        // appears already incremented shows no rate, and latency percentiles stay empty)
        latency(BLOCK_LATENCY, BLOCK_LATENCY_DESC);
        latency(INGEST_LATENCY, INGEST_LATENCY_DESC);
    }

    /** Meters that go nowhere, for tests and tools that do not publish metrics. */
    public static AlertMetrics noop() {
        return new AlertMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts an emitted alert version and records its latencies; {@code ingestTimestampMs} is 0 when unknown. */
    public void emitted(Alert a, long ingestTimestampMs, long nowMs) {
        Counter.builder(ALERTS_EMITTED).description(ALERTS_EMITTED_DESC)
            .tag("rule", a.rule().label()).tag("severity", a.severity().label()).tag("chain", a.chain().name())
            .register(registry).increment();
        if (a.blockTimestamp() > 0) {
            latency(BLOCK_LATENCY, BLOCK_LATENCY_DESC).record(Duration.ofMillis(Math.max(0, nowMs - a.blockTimestamp() * 1000)));
        }
        if (ingestTimestampMs > 0) {
            latency(INGEST_LATENCY, INGEST_LATENCY_DESC).record(Duration.ofMillis(Math.max(0, nowMs - ingestTimestampMs)));
        }
    }

    private Timer latency(String name, String desc) {
        return Timer.builder(name).description(desc).publishPercentiles(0.5, 0.9, 0.99).publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    public void webhook(String endpoint, String outcome) {
        Counter.builder(WEBHOOK_DELIVERIES).description(WEBHOOK_DELIVERIES_DESC).tag("endpoint", endpoint).tag("outcome", outcome)
            .register(registry).increment();
    }

    /** The outbox depth of an endpoint, registered once per registry; a restarted dispatcher updates the same value. */
    public AtomicLong outboxDepth(String endpoint) {
        return depths.computeIfAbsent(endpoint, e -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(OUTBOX_DEPTH, v, AtomicLong::get).description(OUTBOX_DEPTH_DESC).tag("endpoint", e).strongReference(true)
                .register(registry);
            return v;
        });
    }

    public void apiRequest(int status) {
        Counter.builder(API_REQUESTS).description(API_REQUESTS_DESC).tag("status", Integer.toString(status)).register(registry).increment();
    }
}
