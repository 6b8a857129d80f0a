package io.taintwatch.alerts.api;

import io.taintwatch.alerts.metrics.AlertMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * A standalone HTTP server for the {@link AlertsApi} on the configured host and port, within the configured
 * {@link HttpLimits} ({@link LimitedHttpServer}: one virtual thread per exchange, request timeout, connection, request
 * and stream caps). Paths: {@code /health}, {@code /ready}, {@code /alerts}, {@code /alerts/{id}},
 * {@code /alerts/stream}, the case endpoints and the console (docs/alert-schema.md, "HTTP API"; docs/console.md).
 */
public final class AlertsHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertsHttpServer.class);

    private final LimitedHttpServer server;
    private final boolean own;
    private final AlertsApi api;

    public AlertsHttpServer(ApiConfig config, AlertIndex index, BooleanSupplier ready, AlertMetrics metrics) throws IOException {
        this(config, index, ready, metrics, 15_000);
    }

    AlertsHttpServer(ApiConfig config, AlertIndex index, BooleanSupplier ready, AlertMetrics metrics, long keepAliveMs) throws IOException {
        this(config, index, null, ready, metrics, keepAliveMs);
    }

    /** With the case workflow ({@code cases} null: read-only, every alert open). */
    public AlertsHttpServer(ApiConfig config, AlertIndex index, io.taintwatch.alerts.cases.CaseService cases, BooleanSupplier ready,
                            AlertMetrics metrics, long keepAliveMs) throws IOException {
        this(config, index, cases, ready, metrics, keepAliveMs, null);
    }

    /**
     * @param shared a server the process already runs the API on (with the exposure API of its taint part), which the
     *               alert API joins; its owner starts and stops it. Null: a server of its own on the configured address
     */
    public AlertsHttpServer(ApiConfig config, AlertIndex index, io.taintwatch.alerts.cases.CaseService cases, BooleanSupplier ready,
                            AlertMetrics metrics, long keepAliveMs, LimitedHttpServer shared) throws IOException {
        this.api = new AlertsApi(config, index, cases, ready, metrics, keepAliveMs, java.time.Clock.systemUTC());
        this.own = shared == null;
        this.server = own ? LimitedHttpServer.create("alert-api", new InetSocketAddress(config.host(), config.port()), config.limits(),
            AlertsApi.PROBE_PATHS) : shared;
        api.register(server);
    }

    public void start() {
        if (own) {
            server.start();
        }
        log.info("alert API listening on {}", server.getAddress());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        api.close();
        if (own) {
            server.stop(0);
        }
    }
}
