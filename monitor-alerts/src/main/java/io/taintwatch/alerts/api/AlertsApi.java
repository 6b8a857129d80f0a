package io.taintwatch.alerts.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taintwatch.alerts.cases.AlertCase;
import io.taintwatch.alerts.cases.CaseAction;
import io.taintwatch.alerts.cases.CaseEvent;
import io.taintwatch.alerts.cases.CaseService;
import io.taintwatch.alerts.cases.Disposition;
import io.taintwatch.alerts.cases.Principal;
import io.taintwatch.alerts.cases.Role;
import io.taintwatch.alerts.console.CaseExport;
import io.taintwatch.alerts.console.ConsoleAssets;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.model.AlertStatus;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Clock;
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
 *   <li>{@code GET /alerts/stream} Server-Sent Events of new alert versions ({@code Last-Event-ID} resumes) and case changes</li>
 *   <li>{@code GET /alerts/{id}/case}, {@code /versions}, {@code /export.json}, {@code /export.html}; {@code POST /alerts/{id}/actions}</li>
 *   <li>{@code GET /me} who the token is; {@code GET /audit} every case action (admins)</li>
 *   <li>{@code GET /console/...} the analyst console's static files (no data, no token)</li>
 * </ul>
 * Everything else needs {@code Authorization: Bearer <token>}; without a valid token the answer is 401 with no data.
 * An alert's {@code status} everywhere is its case's (docs/alert-schema.md, "Cases").
 */
public final class AlertsApi implements HttpHandler, AutoCloseable {
    /** Paths that must answer however busy the server is: a liveness probe that times out restarts the process. */
    public static final Set<String> PROBE_PATHS = Set.of("/health", "/ready");
    private static final Logger log = LoggerFactory.getLogger(AlertsApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] UNAUTHORIZED = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);

    private static final int MAX_BODY = 16 * 1024;

    private final AlertIndex index;
    private final CaseService cases;
    private final ConsoleConfig console;
    private final List<String> users;
    private final Clock clock;
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
        this(new ApiConfig("127.0.0.1", 0, tokens, 1, new HttpLimits(HttpLimits.defaults().requestTimeout(), HttpLimits.defaults().maxConnections(),
            HttpLimits.defaults().maxRequests(), maxStreams)).withConsole(new ConsoleConfig(false, null)), index, null, ready, metrics, keepAliveMs,
            Clock.systemUTC());
    }

    /**
     * @param cases the case workflow; null for a read-only API (every alert open, {@code POST} answered 405)
     */
    public AlertsApi(ApiConfig config, AlertIndex index, CaseService cases, BooleanSupplier ready, AlertMetrics metrics, long keepAliveMs,
                     Clock clock) {
        this.index = index;
        this.cases = cases;
        this.console = config.console();
        this.clock = clock;
        this.users = config.users().stream().filter(u -> u.role().atLeast(Role.ANALYST)).map(ApiUser::name).sorted().toList();
        this.maxStreams = config.limits().maxStreams();
        this.streams = new Semaphore(maxStreams);
        this.auth = new BearerAuth(config.tokens(), config.users());
        this.ready = ready;
        this.metrics = metrics;
        this.keepAliveMs = keepAliveMs;
        if (config.tokens().isEmpty() && config.users().isEmpty()) {
            log.warn("HTTP API has no bearer tokens configured: every /alerts request will be refused");
        }
    }

    /** Mounts {@code /alerts}, {@code /me}, {@code /audit}, {@code /health}, {@code /ready} and, when on, {@code /console} on the server. */
    public void register(HttpServer server) {
        server.createContext("/alerts", this);
        server.createContext("/me", this);
        server.createContext("/audit", this);
        server.createContext("/health", this);
        server.createContext("/ready", this);
        if (console.enabled()) {
            server.createContext("/console", this);
            server.createContext("/", this);
        }
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
            String method = ex.getRequestMethod();
            boolean post = "POST".equals(method);
            if (!"GET".equals(method) && !(post && cases != null && path.startsWith("/alerts/") && path.endsWith("/actions"))) {
                ex.getResponseHeaders().set("Allow", path.endsWith("/actions") && cases != null ? "POST" : "GET");
                status = send(ex, 405, json(Map.of("error", "method not allowed")));
            } else if (path.equals("/health")) {
                status = send(ex, 200, json(Map.of("status", "up")));
            } else if (path.equals("/ready")) {
                boolean r = ready.getAsBoolean();
                status = send(ex, r ? 200 : 503, json(Map.of("ready", r)));
            } else if (console.enabled() && (path.equals("/") || path.equals("/console"))) {
                ex.getResponseHeaders().set("Location", "/console/");
                status = send(ex, 302, new byte[0]);
            } else if (console.enabled() && path.startsWith("/console/")) {
                status = ConsoleAssets.serve(ex, path.substring("/console/".length()));
            } else if (path.equals("/alerts") || path.startsWith("/alerts/") || path.equals("/me") || path.equals("/audit")) {
                Optional<Principal> who = auth.identify(ex.getRequestHeaders().getFirst("Authorization"));
                if (who.isEmpty()) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"taintwatch\"");
                    status = send(ex, 401, UNAUTHORIZED);
                } else {
                    status = authorised(ex, path, who.get());
                }
            } else {
                status = send(ex, 404, json(Map.of("error", "not found")));
            }
        } catch (CaseService.Refused e) {
            status = send(ex, e.status(), json(Map.of("error", e.getMessage())));
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

    private int authorised(HttpExchange ex, String path, Principal who) throws IOException {
        if (path.equals("/me")) {
            return me(ex, who);
        }
        if (path.equals("/audit")) {
            return audit(ex, who);
        }
        if (path.equals("/alerts")) {
            return list(ex);
        }
        if (path.equals("/alerts/stream")) {
            if (!streams.tryAcquire()) {
                ex.getResponseHeaders().set("Retry-After", "5");
                return send(ex, 503, json(Map.of("error", "too many alert streams open (at most " + maxStreams + ")")));
            }
            try {
                stream(ex);
                return 200;
            } finally {
                streams.release();
            }
        }
        String rest = path.substring("/alerts/".length());
        int slash = rest.indexOf('/');
        String id = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
        String sub = slash < 0 ? "" : rest.substring(slash + 1);
        Optional<AlertIndex.Entry> e = index.get(id);
        if (sub.equals("actions")) {
            return act(ex, who, id);
        }
        if (e.isEmpty()) {
            return send(ex, 404, json(Map.of("error", "no alert with that id")));
        }
        AlertCase c = caseOf(id);
        return switch (sub) {
            case "" -> send(ex, 200, withStatus(e.get(), c).getBytes(StandardCharsets.UTF_8));
            case "case" -> send(ex, 200, c.toJson(e.get().alert().version()).toString().getBytes(StandardCharsets.UTF_8));
            case "versions" -> {
                ObjectNode n = MAPPER.createObjectNode();
                n.put("alertId", id);
                ArrayNode vs = n.putArray("versions");
                index.versions(id).forEach(vs::add);
                yield send(ex, 200, n.toString().getBytes(StandardCharsets.UTF_8));
            }
            case "export.json" -> {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + CaseExport.fileName(id, "json") + "\"");
                yield send(ex, 200, CaseExport.json(exportOf(e.get(), c, who)).toPrettyString().getBytes(StandardCharsets.UTF_8));
            }
            case "export.html" -> {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + CaseExport.fileName(id, "html") + "\"");
                yield sendAs(ex, 200, "text/html; charset=utf-8", CaseExport.html(exportOf(e.get(), c, who)).getBytes(StandardCharsets.UTF_8));
            }
            default -> send(ex, 404, json(Map.of("error", "not found")));
        };
    }

    private CaseExport.Case exportOf(AlertIndex.Entry e, AlertCase c, Principal who) {
        return new CaseExport.Case(readTree(withStatus(e, c)), index.versions(e.alert().id()), c.toJson(e.alert().version()), who.name(),
            clock.instant(), console.explorers());
    }

    private AlertCase caseOf(String id) {
        return cases == null ? AlertCase.none(id) : cases.store().get(id);
    }

    /** The alert's JSON with its case's status (unchanged bytes when the case leaves it as published). */
    private String withStatus(AlertIndex.Entry e, AlertCase c) {
        AlertStatus st = c.statusFor(e.alert().version());
        return st == e.alert().status() ? e.json() : AlertCase.withStatus(e.json(), st);
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException x) {
            throw new IllegalStateException("indexed JSON is unreadable", x);
        }
    }

    private int me(HttpExchange ex, Principal who) throws IOException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", who.name());
        n.put("role", who.role().label());
        n.put("caseActions", cases != null);
        ArrayNode u = n.putArray("assignable");
        users.forEach(u::add);
        ObjectNode ex2 = n.putObject("explorers");
        console.explorers().forEach((chain, x) -> {
            ObjectNode c = ex2.putObject(chain);
            c.put("tx", x.txUrl());
            c.put("address", x.addressUrl());
        });
        return send(ex, 200, n.toString().getBytes(StandardCharsets.UTF_8));
    }

    private int audit(HttpExchange ex, Principal who) throws IOException {
        if (!who.role().atLeast(Role.ADMIN)) {
            return send(ex, 403, json(Map.of("error", "the audit log is for admins")));
        }
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int limit = q.containsKey("limit") ? longParam(q, "limit").intValue() : 100;
        int offset = q.containsKey("cursor") ? longParam(q, "cursor").intValue() : 0;
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw new IllegalArgumentException("limit must be 1..1000 and cursor not negative");
        }
        List<CaseEvent> page = cases == null ? List.of() : cases.store().trail(q.get("actor"), offset, limit + 1);
        ObjectNode n = MAPPER.createObjectNode();
        ArrayNode evs = n.putArray("events");
        page.stream().limit(limit).forEach(e -> evs.add(e.toJson()));
        if (page.size() > limit) {
            n.put("next", Integer.toString(offset + limit));
        } else {
            n.putNull("next");
        }
        return send(ex, 200, n.toString().getBytes(StandardCharsets.UTF_8));
    }

    private int act(HttpExchange ex, Principal who, String id) throws IOException {
        JsonNode body;
        try (InputStream in = ex.getRequestBody()) {
            byte[] raw = in.readNBytes(MAX_BODY + 1);
            if (raw.length > MAX_BODY) {
                return send(ex, 413, json(Map.of("error", "request body larger than " + MAX_BODY + " bytes")));
            }
            body = MAPPER.readTree(raw);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        CaseService.Request r = new CaseService.Request(CaseAction.fromLabel(body.path("action").asText(null)), optText(body, "assignee"),
            body.hasNonNull("disposition") ? Disposition.fromLabel(body.get("disposition").asText()) : null, optText(body, "comment"),
            body.hasNonNull("alertVersion") ? body.get("alertVersion").asLong() : null, body.hasNonNull("caseSeq") ? body.get("caseSeq").asLong() : null,
            optText(body, "requestId"));
        AlertCase after = cases.act(who, id, r);
        long version = index.get(id).map(e -> e.alert().version()).orElse(0L);
        return send(ex, 200, after.toJson(version).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
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
        Set<AlertStatus> statuses = new HashSet<>();
        for (String s : csv(q.get("status"))) {
            statuses.add(parse("status", s, AlertStatus::fromLabel));
        }
        Address address = q.containsKey("address") ? parse("address", q.get("address"), Address::parse) : null;
        BigDecimal minTainted = q.containsKey("min-tainted") ? parse("min-tainted", q.get("min-tainted"), BigDecimal::new) : null;
        AlertIndex.Sort sort = q.containsKey("sort") ? parse("sort", q.get("sort"), AlertIndex.Sort::fromLabel) : AlertIndex.Sort.UPDATED;
        Long before = null;
        int offset = 0;
        String cursor = q.get("cursor");
        if (cursor != null && sort == AlertIndex.Sort.UPDATED) {
            before = longParam(q, "cursor");
        } else if (cursor != null) {
            String prefix = sort.label() + ":";
            if (!cursor.startsWith(prefix)) {
                throw new IllegalArgumentException("bad cursor '" + cursor + "': not one of this sort order");
            }
            offset = parse("cursor", cursor.substring(prefix.length()), Integer::parseInt);
        }
        AlertIndex.Query query = new AlertIndex.Query(sev, rules, Set.copyOf(csv(q.get("chain"))), address,
            longParam(q, "from"), longParam(q, "to"), q.containsKey("limit") ? longParam(q, "limit").intValue() : 50, before, statuses,
            q.get("assignee"), q.get("source"), minTainted, sort, offset);
        AlertIndex.Page page = index.list(query, this::caseOf);
        StringBuilder sb = new StringBuilder("{\"alerts\":[");
        ObjectNode caseSummaries = MAPPER.createObjectNode();
        for (int i = 0; i < page.entries().size(); i++) {
            AlertIndex.Entry e = page.entries().get(i);
            AlertCase c = caseOf(e.alert().id());
            sb.append(i == 0 ? "" : ",").append(withStatus(e, c));
            caseSummaries.set(e.alert().id(), c.summaryJson(e.alert().version()));
        }
        sb.append("],\"next\":").append(page.next() == null ? "null" : MAPPER.valueToTree(page.next()).toString())
            .append(",\"cases\":").append(caseSummaries).append('}');
        return send(ex, 200, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void stream(HttpExchange ex) throws IOException {
        // alert entries and case changes, in the order they happen; a null alert marks a client that fell behind
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>(10_000);
        java.util.function.Consumer<Object> offer = o -> {
            if (!queue.offer(o)) {
                log.warn("SSE client too slow: dropping it");
                queue.clear();
                queue.offer(new AlertIndex.Entry(-1, null, null));
            }
        };
        try (AutoCloseable sub = index.subscribe(offer::accept);
             AutoCloseable caseSub = cases == null ? () -> {} : cases.store().subscribe(offer::accept)) {
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
                    write(out, guard, event(e.seq(), withStatus(e, caseOf(e.alert().id()))));
                    lastSeq = e.seq();
                }
            }
            while (!closing) {
                Object o = queue.poll(keepAliveMs, TimeUnit.MILLISECONDS);
                if (o == null) {
                    write(out, guard, ": keep-alive\n\n");
                } else if (o instanceof AlertCase c) {
                    long version = index.get(c.alertId()).map(e -> e.alert().version()).orElse(0L);
                    write(out, guard, "event: case\ndata: " + c.summaryJson(version) + "\n\n");
                } else if (o instanceof AlertIndex.Entry e && e.seq() < 0) {
                    return; // the client fell behind: it reconnects with Last-Event-ID and catches up from the index
                } else if (o instanceof AlertIndex.Entry e && e.seq() > lastSeq) {
                    write(out, guard, event(e.seq(), withStatus(e, caseOf(e.alert().id()))));
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
        return event(e.seq(), e.json());
    }

    private static String event(long seq, String json) {
        StringBuilder sb = new StringBuilder("id: ").append(seq).append("\nevent: alert\n");
        for (String line : json.split("\r\n|\r|\n", -1)) {
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

    /** Answers {@code status} with a JSON body and the API's headers (no sniffing, no caching); returns the status. */
    public static int send(HttpExchange ex, int status, byte[] body) throws IOException {
        return sendAs(ex, status, "application/json", body);
    }

    private static int sendAs(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        return status;
    }
}
