package io.taintwatch.alerts;

import io.taintwatch.alerts.api.AlertFeed;
import io.taintwatch.alerts.api.AlertIndex;
import io.taintwatch.alerts.api.AlertsHttpServer;
import io.taintwatch.alerts.api.LimitedHttpServer;
import io.taintwatch.alerts.cases.CaseLog;
import io.taintwatch.alerts.cases.CaseService;
import io.taintwatch.alerts.cases.CaseStore;
import io.taintwatch.alerts.cases.Role;
import io.taintwatch.alerts.delivery.WebhookDispatcher;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.alerts.metrics.CaseMetrics;
import io.taintwatch.encoding.TaintSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import io.taintwatch.kafka.PipelineTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The alert module's composition root: the alert service (Kafka Streams), the case log (the analysts' actions), the
 * webhook dispatcher, the feed that indexes the alerts topic, and the HTTP API with the console, wired from one
 * {@link AlertsConfig} and started together. Each part can also be run alone (their constructors are public); this is
 * the all-in-one arrangement.
 */
public final class AlertsRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertsRuntime.class);
    /** How long the start waits for the case log before webhooks go out (they carry each alert's case status). */
    private static final Duration CASES_AT_START = Duration.ofSeconds(60);

    private final AlertsService service;
    private final WebhookDispatcher dispatcher;
    private final AlertFeed feed;
    private final AlertIndex index;
    private final CaseLog caseLog;
    private final CaseService cases;
    private final AlertsHttpServer http;
    private final ScheduledExecutorService gauges;

    private AlertsRuntime(AlertsService service, WebhookDispatcher dispatcher, AlertFeed feed, AlertIndex index, CaseLog caseLog, CaseService cases,
                          AlertsHttpServer http, ScheduledExecutorService gauges) {
        this.service = service;
        this.dispatcher = dispatcher;
        this.feed = feed;
        this.index = index;
        this.caseLog = caseLog;
        this.cases = cases;
        this.http = http;
        this.gauges = gauges;
    }

    /**
     * Starts the service, the case log, the dispatcher, the feed and the API. The topics must exist: the pipeline's
     * assembly creates and verifies every topic before any part starts ({@link PipelineTopics#ensure}).
     */
    public static AlertsRuntime start(AlertsConfig config, MeterRegistry registry) throws IOException {
        return start(config, registry, null);
    }

    /** With the API on {@code sharedApi}, a server the process already runs (null: a server of its own). */
    public static AlertsRuntime start(AlertsConfig config, MeterRegistry registry, LimitedHttpServer sharedApi) throws IOException {
        AlertMetrics metrics = new AlertMetrics(registry);
        Clock clock = Clock.systemUTC();
        AlertsService service = new AlertsService(config, TaintSerdes.flows(), TaintSerdes.blocks(), metrics);
        AlertIndex index = new AlertIndex(config.api().maxAlerts());
        CaseStore store = new CaseStore();
        CaseLog caseLog = new CaseLog(config.kafka(), config.topics().cases(), store);
        Set<String> assignable = new LinkedHashSet<>();
        config.api().users().stream().filter(u -> u.role().atLeast(Role.ANALYST)).forEach(u -> assignable.add(u.name()));
        CaseService cases = new CaseService(index, store, caseLog, assignable, clock, config.api().limits().requestTimeout());
        WebhookDispatcher dispatcher = new WebhookDispatcher(config.kafka(), config.topics().alerts(), config.topics().webhookDlq(),
            config.webhooks(), metrics, clock, store::withStatus);
        AlertFeed feed = new AlertFeed(config.kafka(), config.topics().alerts(), index);
        AlertsHttpServer http = new AlertsHttpServer(config.api(), index, cases, () -> feed.caughtUp() && caseLog.caughtUp() && service.ready(),
            metrics, 15_000, sharedApi);
        CaseMetrics caseMetrics = new CaseMetrics(registry, index, store, clock);
        ScheduledExecutorService gauges = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "case-metrics");
            t.setDaemon(true);
            return t;
        });
        AlertsRuntime rt = new AlertsRuntime(service, dispatcher, feed, index, caseLog, cases, http, gauges);
        service.start();
        caseLog.start();
        feed.start();
        try {
            if (!caseLog.awaitCaughtUp(CASES_AT_START)) {
                log.warn("the case log was not read within {}: webhooks start anyway, an alert's status may show open until it is", CASES_AT_START);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatcher.start();
        cases.startReopening();
        Runnable refresh = () -> {
            try {
                caseMetrics.refresh();
            } catch (RuntimeException e) {
                log.warn("case metrics not refreshed: {}", e.toString());
            }
        };
        gauges.scheduleWithFixedDelay(refresh, 5, 10, TimeUnit.SECONDS);
        // an analyst's action shows at the next scrape, not up to a refresh period later
        // (coalesced: the log read again on start changes many cases at once)
        AtomicBoolean refreshPending = new AtomicBoolean();
        store.subscribe(c -> {
            if (refreshPending.compareAndSet(false, true)) {
                try {
                    gauges.execute(() -> {
                        refreshPending.set(false);
                        refresh.run();
                    });
                } catch (RejectedExecutionException closing) {
                    // the runtime is closing; its meters go with it
                }
            }
        });
        http.start();
        return rt;
    }

    public int apiPort() {
        return http.port();
    }

    public AlertIndex index() {
        return index;
    }

    public CaseService cases() {
        return cases;
    }

    /** Ready when the Streams client runs and the feed and the case log have caught up with their topics. */
    public boolean ready() {
        return service.ready() && feed.caughtUp() && caseLog.caughtUp();
    }

    /**
     * False once a part has failed for good: the Streams client in ERROR or stopped, a webhook delivery thread,
     * the API's feed or the case log dead. The process should then be restarted (the app's /health reports it).
     */
    public boolean alive() {
        return service.alive() && dispatcher.alive() && feed.alive() && caseLog.alive();
    }

    /** Stops the API first (no new clients), then the case workflow, delivery, then the Streams app (it commits and leaves its group). */
    @Override
    public void close() {
        http.close();
        gauges.shutdownNow();
        cases.close();
        caseLog.close();
        feed.close();
        dispatcher.close();
        service.close();
    }
}
