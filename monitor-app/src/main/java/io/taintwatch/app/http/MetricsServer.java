package io.taintwatch.app.http;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taintwatch.alerts.api.AlertsApi;
import io.taintwatch.alerts.api.HttpLimits;
import io.taintwatch.alerts.api.LimitedHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code /metrics} (Prometheus text format), {@code /health} (alive) and {@code /ready}, within {@link HttpLimits}:
 * slow or many clients are bounded in time and number, and never keep {@code /health} from answering.
 */
public final class MetricsServer implements AutoCloseable {
    private final LimitedHttpServer server;

    public MetricsServer(String bind, int port, PrometheusMeterRegistry registry, BooleanSupplier alive, BooleanSupplier ready)
        throws IOException {
        this(bind, port, registry, alive, ready, HttpLimits.defaults());
    }

    public MetricsServer(String bind, int port, PrometheusMeterRegistry registry, BooleanSupplier alive, BooleanSupplier ready,
                         HttpLimits limits) throws IOException {
        server = LimitedHttpServer.create("metrics", new InetSocketAddress(bind, port), limits, AlertsApi.PROBE_PATHS);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health", ex -> {
            boolean ok = alive.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "down\n");
        });
        server.createContext("/ready", ex -> {
            boolean ok = ready.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
