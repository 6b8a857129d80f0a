package io.taintwatch.alerts.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The alert HTTP API as a handler for the JDK's HTTP server; {@link #register} mounts it on a server the caller
 * owns (so the app can serve {@code /metrics} from the same port). Mount it on a {@link LimitedHttpServer}: every SSE
 * client holds a thread, and only there are slow clients bounded in time and number.
 * <ul>
 *   <li>{@code GET /health} liveness, {@code GET /ready} readiness (no token needed, no data returned)</li>
 *   <li>{@code GET /alerts?severity=&rule=&chain=&address=&from=&to=&limit=&cursor=} newest updates first, paged</li>
 *   <li>{@code GET /alerts/{id}} one alert (latest version) with its path</li>
 *   <li>{@code GET /alerts/stream} Server-Sent Events of new alert versions ({@code Last-Event-ID} resumes)</li>
 * </ul>
 * Everything under {@code /alerts} needs {@code Authorization: Bearer <token>}; without a valid token the answer is
 * 401 with no data.
 */
public final class AlertsApi implements HttpHandler, AutoCloseable {
    /** Paths that must answer however busy the server is: a liveness probe that times out restarts the process. */
    public static final Set<String> PROBE_PATHS = Set.of("/health", "/ready");
    private static final Logger log = LoggerFactory.getLogger(AlertsApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] UNAUTHORIZED = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);

    private final AlertIndex index;
    private final BearerAuth auth;
    private final BooleanSupplier ready;
    private final AlertMetrics metrics;
    private final long keepAliveMs;
    private final int maxStreams;
    private final Semaphore streams;
    private volatile boolean closing;

    /**
     * @param tokens bearer tokens (from config or environment); none means every {@code /alerts} request is refused
     * @param ready readiness: e.g. the alert feed has caught up (and, in one process, the alert service runs)
     * @param keepAliveMs interval of SSE keep-alive comments
     * @param maxStreams SSE streams open at once; one more is answered 503
     */
    public AlertsApi(List<String> tokens, AlertIndex index, BooleanSupplier ready, AlertMetrics metrics, long keepAliveMs, int maxStreams) {
        this.index = index;
        this.maxStreams = maxStreams;
        this.streams = new Semaphore(maxStreams);
        this.auth = new BearerAuth(tokens);
        this.ready = ready;
        this.metrics = metrics;
        this.keepAliveMs = keepAliveMs;
        if (tokens.isEmpty()) {
            log.warn("HTTP API has no bearer tokens configured: every /alerts request will be refused");
        }
    }

    /** Mounts {@code /alerts}, {@code /health} and {@code /ready} on the server. */
    public void register(HttpServer server) {
        server.createContext("/alerts", this);
        server.createContext("/health", this);
        server.createContext("/ready", this);
    }

    /** Ends open SSE streams (they stop at their next event or keep-alive). */
    @Override
    public void close() {
        closing = true;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        int status = 500;
        try {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod())) {
                status = send(ex, 405, json(Map.of("error", "method not allowed")));
            } else if (path.equals("/health")) {
                status = send(ex, 200, json(Map.of("status", "up")));
            } else if (path.equals("/ready")) {
                boolean r = ready.getAsBoolean();
                status = send(ex, r ? 200 : 503, json(Map.of("ready", r)));
            } else if (path.equals("/alerts") || path.startsWith("/alerts/")) {
                if (!auth.allows(ex.getRequestHeaders().getFirst("Authorization"))) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"taintwatch\"");
                    status = send(ex, 401, UNAUTHORIZED);
                } else if (path.equals("/alerts")) {
                    status = list(ex);
                } else if (path.equals("/alerts/stream")) {
                    if (!streams.tryAcquire()) {
                        ex.getResponseHeaders().set("Retry-After", "5");
                        status = send(ex, 503, json(Map.of("error", "too many alert streams open (at most " + maxStreams + ")")));
                    } else {
                        try {
                            status = 200;
                            stream(ex);
                        } finally {
                            streams.release();
                        }
                    }
                } else {
                    String id = URLDecoder.decode(path.substring("/alerts/".length()), StandardCharsets.UTF_8);
                    Optional<AlertIndex.Entry> e = index.get(id);
                    status = e.isPresent() ? send(ex, 200, e.get().json().getBytes(StandardCharsets.UTF_8))
                        : send(ex, 404, json(Map.of("error", "no alert with that id")));
                }
            } else {
                status = send(ex, 404, json(Map.of("error", "not found")));
            }
        } catch (IllegalArgumentException e) {
            status = send(ex, 400, json(Map.of("error", e.getMessage())));
        } catch (IOException e) {
            log.debug("API client went away: {}", e.toString());
        } catch (RuntimeException e) {
            log.error("API request {} failed", ex.getRequestURI().getPath(), e);
            status = send(ex, 500, json(Map.of("error", "internal error")));
        } finally {
            metrics.apiRequest(status);
            ex.close();
        }
    }

    private int list(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        Set<Severity> sev = new HashSet<>();
        for (String s : csv(q.get("severity"))) {
            sev.add(parse("severity", s, Severity::fromLabel));
        }
        Set<AlertRule> rules = new HashSet<>();
        for (String s : csv(q.get("rule"))) {
            rules.add(parse("rule", s, AlertRule::fromLabel));
        }
        Address address = q.containsKey("address") ? parse("address", q.get("address"), Address::parse) : null;
        AlertIndex.Query query = new AlertIndex.Query(sev, rules, Set.copyOf(csv(q.get("chain"))), address,
            longParam(q, "from"), longParam(q, "to"), q.containsKey("limit") ? longParam(q, "limit").intValue() : 50,
            longParam(q, "cursor"));
        AlertIndex.Page page = index.list(query);
        StringBuilder sb = new StringBuilder("{\"alerts\":[");
        for (int i = 0; i < page.entries().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(page.entries().get(i).json());
        }
        sb.append("],\"next\":").append(page.next() == null ? "null" : "\"" + page.next() + "\"").append('}');
        return send(ex, 200, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void stream(HttpExchange ex) throws IOException {
        LinkedBlockingQueue<AlertIndex.Entry> queue = new LinkedBlockingQueue<>(10_000);
        try (AutoCloseable sub = index.subscribe(e -> {
            if (!queue.offer(e)) {
                log.warn("SSE client too slow: dropping it");
                queue.clear();
                queue.offer(new AlertIndex.Entry(-1, null, null));
            }
        })) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            LimitedHttpServer.Stream guard = LimitedHttpServer.stream();
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            write(out, guard, ": taintwatch alert stream\n\n");
            String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
            long lastSeq = 0;
            if (last != null) {
                try {
                    lastSeq = Long.parseLong(last.strip());
                } catch (NumberFormatException e) {
                    lastSeq = 0;
                }
                for (AlertIndex.Entry e : index.after(lastSeq)) {
                    write(out, guard, event(e));
                    lastSeq = e.seq();
                }
            }
            while (!closing) {
                AlertIndex.Entry e = queue.poll(keepAliveMs, TimeUnit.MILLISECONDS);
                if (e == null) {
                    write(out, guard, ": keep-alive\n\n");
                } else if (e.seq() < 0) {
                    return; // the client fell behind: it reconnects with Last-Event-ID and catches up from the index
                } else if (e.seq() > lastSeq) {
                    write(out, guard, event(e));
                    lastSeq = e.seq();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One SSE event; every line of the data gets its own {@code data:} field, so no line break can end the event early. */
    static String event(AlertIndex.Entry e) {
        StringBuilder sb = new StringBuilder("id: ").append(e.seq()).append("\nevent: alert\n");
        for (String line : e.json().split("\r\n|\r|\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        return sb.append('\n').toString();
    }

    private static void write(OutputStream out, LimitedHttpServer.Stream guard, String text) throws IOException {
        guard.writing();
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } finally {
            guard.written();
        }
    }

    private static <T> T parse(String name, String v, java.util.function.Function<String, T> f) {
        try {
            return f.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad " + name + " '" + v + "'");
        }
    }

    private static Long longParam(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + name + " '" + v + "': expected an integer");
        }
    }

    private static List<String> csv(String v) {
        return v == null || v.isBlank() ? List.of() : List.of(v.split(","));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static byte[] json(Map<String, ?> m) {
        ObjectNode n = MAPPER.createObjectNode();
        m.forEach((k, v) -> n.set(k, MAPPER.valueToTree(v)));
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        return status;
    }
}
