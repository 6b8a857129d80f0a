package io.taintwatch.alerts;

import io.taintwatch.alerts.api.AlertFeed;
import io.taintwatch.alerts.api.AlertIndex;
import io.taintwatch.alerts.api.AlertsHttpServer;
import io.taintwatch.alerts.delivery.WebhookDispatcher;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.encoding.TaintSerdes;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.time.Clock;

/**
 * The alert module's composition root: the alert service (Kafka Streams), the webhook dispatcher, the feed
 * that indexes the alerts topic, and the HTTP API, wired from one {@link AlertsConfig} and started together.
 * Each part can also be run alone (their constructors are public); this is the all-in-one arrangement.
 */
public final class AlertsRuntime implements AutoCloseable {
    private final AlertsService service;
    private final WebhookDispatcher dispatcher;
    private final AlertFeed feed;
    private final AlertIndex index;
    private final AlertsHttpServer http;

    private AlertsRuntime(AlertsService service, WebhookDispatcher dispatcher, AlertFeed feed, AlertIndex index, AlertsHttpServer http) {
        this.service = service;
        this.dispatcher = dispatcher;
        this.feed = feed;
        this.index = index;
        this.http = http;
    }

    /**
     * Starts the service, the dispatcher, the feed and the API. The topics must exist: the pipeline's assembly creates
     * and verifies every topic before any part starts ({@link io.taintwatch.kafka.PipelineTopics#ensure}).
     */
    public static AlertsRuntime start(AlertsConfig config, MeterRegistry registry) throws IOException {
        AlertMetrics metrics = new AlertMetrics(registry);
        AlertsService service = new AlertsService(config, TaintSerdes.flows(), TaintSerdes.blocks(), metrics);
        WebhookDispatcher dispatcher = new WebhookDispatcher(config.kafka(), config.topics().alerts(), config.topics().webhookDlq(),
            config.webhooks(), metrics, Clock.systemUTC());
        AlertIndex index = new AlertIndex(config.api().maxAlerts());
        AlertFeed feed = new AlertFeed(config.kafka(), config.topics().alerts(), index);
        AlertsHttpServer http = new AlertsHttpServer(config.api(), index, () -> feed.caughtUp() && service.ready(), metrics);
        AlertsRuntime rt = new AlertsRuntime(service, dispatcher, feed, index, http);
        service.start();
        dispatcher.start();
        feed.start();
        http.start();
        return rt;
    }

    public int apiPort() {
        return http.port();
    }

    public AlertIndex index() {
        return index;
    }

    /** Ready when the Streams client runs and the feed has caught up with the alerts topic. */
    public boolean ready() {
        return service.ready() && feed.caughtUp();
    }

    /**
     * False once a part has failed for good: the Streams client in ERROR or stopped, a webhook delivery thread or
     * the API's feed dead. The process should then be restarted (the app's /health reports it).
     */
    public boolean alive() {
        return service.alive() && dispatcher.alive() && feed.alive();
    }

    /** Stops the API first (no new clients), then delivery, then the Streams app (it commits and leaves its group). */
    @Override
    public void close() {
        http.close();
        feed.close();
        dispatcher.close();
        service.close();
    }
}
