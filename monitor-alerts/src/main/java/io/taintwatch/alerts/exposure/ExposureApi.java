package io.taintwatch.alerts.exposure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taintwatch.alerts.api.AlertsApi;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.api.BearerAuth;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.exposure.EngineProgress;
import io.taintwatch.exposure.ExposureQueries;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.topology.TaintQueries;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exposure API, served by the taint instances (they own the engine's stores):
 * <ul>
 *   <li>{@code GET /v1/exposure/{chain}/{address}}: an address's exposure ({@link ExposureJson#exposure})</li>
 *   <li>{@code POST /v1/screen} with {@code {chain, from, to, asset, amount}}: what the alert rules would say of that
 *       transfer ({@link Screening}), nothing emitted</li>
 * </ul>
 * Both need {@code Authorization: Bearer <token>}, any role (the alert API's tokens and users). A chain whose engine runs
 * in another instance is answered by forwarding the request there (Kafka Streams' metadata names it); a forwarded request
 * is never forwarded again, so stale metadata during a rebalance gives a 503 with {@code Retry-After}, not a loop.
 */
public final class ExposureApi implements HttpHandler {
    public static final String EXPOSURE_PATH = "/v1/exposure/";
    public static final String SCREEN_PATH = "/v1/screen";
    /** Marks a request forwarded by another instance. */
    static final String FORWARDED = "X-Taintwatch-Forwarded";
    /** The instance ({@code host:port} as advertised) whose state answered. */
    public static final String SERVED_BY = "X-Taintwatch-Served-By";
    private static final Logger LOG = LoggerFactory.getLogger(ExposureApi.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024;

    private final BearerAuth auth;
    private final RulesConfig rules;
    private final TaintQueries queries;
    private final HttpClient client;
    private final Duration timeout;
    private final Timer exposureTimer;
    private final Timer screenTimer;
    private final MeterRegistry registry;

    public ExposureApi(ApiConfig api, RulesConfig rules, TaintQueries queries, MeterRegistry registry) {
        this.auth = new BearerAuth(api.tokens(), api.users());
        this.rules = rules;
        this.queries = queries;
        this.timeout = api.limits().requestTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.registry = registry;
        this.exposureTimer = timer(registry, "exposure");
        this.screenTimer = timer(registry, "screen");
        if (api.tokens().isEmpty() && api.users().isEmpty()) {
            LOG.warn("the exposure API has no bearer tokens configured: every request will be refused");
        }
    }

    private static Timer timer(MeterRegistry registry, String endpoint) {
        return Timer.builder("taintwatch_exposure_request_seconds").description("Exposure API requests answered here, by endpoint")
            .tag("endpoint", endpoint).publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
    }

    /** Mounts {@code /v1/exposure/} and {@code /v1/screen} on the server. */
    public void register(HttpServer server) {
        server.createContext(EXPOSURE_PATH, this);
        server.createContext(SCREEN_PATH, this);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        int status = 500;
        String path = ex.getRequestURI().getPath();
        boolean screen = path.equals(SCREEN_PATH);
        try {
            if (auth.identify(ex.getRequestHeaders().getFirst("Authorization")).isEmpty()) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"taintwatch\"");
                status = AlertsApi.send(ex, 401, error("unauthorized"));
            } else if (screen) {
                status = "POST".equals(ex.getRequestMethod()) ? screen(ex) : notAllowed(ex, "POST");
            } else if (path.startsWith(EXPOSURE_PATH)) {
                status = "GET".equals(ex.getRequestMethod()) ? exposure(ex, path.substring(EXPOSURE_PATH.length())) : notAllowed(ex, "GET");
            } else {
                status = AlertsApi.send(ex, 404, error("not found"));
            }
        } catch (IllegalArgumentException e) {
            status = AlertsApi.send(ex, 400, error(e.getMessage()));
        } catch (InvalidStateStoreException e) {
            status = unavailable(ex, "the chain's state moved or is being restored: " + e.getMessage());
        } catch (IOException e) {
            LOG.debug("exposure API client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("exposure API request {} failed", path, e);
            status = AlertsApi.send(ex, 500, error("internal error"));
        } finally {
            ex.close();
            if (status == 200) {
                (screen ? screenTimer : exposureTimer).record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            registry.counter("taintwatch_exposure_requests_total", "endpoint", screen ? "screen" : "exposure", "status",
                Integer.toString(status)).increment();
        }
    }

    private int exposure(HttpExchange ex, String rest) throws IOException {
        int slash = rest.indexOf('/');
        if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("expected /v1/exposure/{chain}/{address}");
        }
        String chain = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
        Address address = parse("address", URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8), Address::parse);
        return switch (queries.route(chain)) {
            case TaintQueries.Route.Local l -> answer(ex, chain, () -> {
                ExposureQueries q = l.queries();
                return ExposureJson.exposure(q.exposure(address), new StateLookups(q)).toString();
            });
            case TaintQueries.Route.Remote r -> forward(ex, r, null);
            case TaintQueries.Route.Unavailable u -> unavailable(ex, u.reason());
            case TaintQueries.Route.Unknown u -> AlertsApi.send(ex, 404, error("no chain '" + chain + "' in this taint application"));
        };
    }

    private int screen(HttpExchange ex) throws IOException {
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            return AlertsApi.send(ex, 413, error("request body larger than " + MAX_BODY + " bytes"));
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(raw);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {chain, from, to, asset, amount}");
        }
        String chain = required(body, "chain");
        Address from = parse("from", required(body, "from"), Address::parse);
        Address to = parse("to", required(body, "to"), Address::parse);
        Asset asset = parse("asset", body.hasNonNull("asset") ? body.get("asset").asText() : "native", Asset::parse);
        BigInteger amount = parse("amount", required(body, "amount"), BigInteger::new);
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be a positive integer in base units");
        }
        return switch (queries.route(chain)) {
            case TaintQueries.Route.Local l -> answer(ex, chain, () -> {
                ExposureQueries q = l.queries();
                StateLookups lookups = new StateLookups(q);
                return ExposureJson.screening(Screening.of(q, rules, from, to, asset, amount), q.state().chain(), lookups).toString();
            });
            case TaintQueries.Route.Remote r -> forward(ex, r, raw);
            case TaintQueries.Route.Unavailable u -> unavailable(ex, u.reason());
            case TaintQueries.Route.Unknown u -> AlertsApi.send(ex, 404, error("no chain '" + chain + "' in this taint application"));
        };
    }

    private int answer(HttpExchange ex, String chain, java.util.function.Supplier<String> json) throws IOException {
        String body;
        try {
            body = json.get();
        } catch (InvalidStateStoreException e) {
            queries.invalidate(chain);
            throw e;
        } catch (EngineProgress.Busy e) {
            return unavailable(ex, e.getMessage());
        }
        if (queries.self() != null) {
            ex.getResponseHeaders().set(SERVED_BY, queries.self());
        }
        return AlertsApi.send(ex, 200, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Asks the instance that runs the chain, with the caller's token, and relays its answer. */
    private int forward(HttpExchange ex, TaintQueries.Route.Remote r, byte[] body) throws IOException {
        if (ex.getRequestHeaders().containsKey(FORWARDED)) {
            return unavailable(ex, "the instance this was forwarded to does not run the chain (the chains are being reassigned)");
        }
        URI uri = URI.create("http://" + r.host().host() + ":" + r.host().port() + ex.getRequestURI().getRawPath());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header(FORWARDED, "1")
            .header("Authorization", ex.getRequestHeaders().getFirst("Authorization"));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            resp.headers().firstValue("Retry-After").ifPresent(v -> ex.getResponseHeaders().set("Retry-After", v));
            resp.headers().firstValue(SERVED_BY).ifPresent(v -> ex.getResponseHeaders().set(SERVED_BY, v));
            return AlertsApi.send(ex, resp.statusCode(), resp.body());
        } catch (IOException e) {
            return unavailable(ex, "the instance running the chain (" + r.host().host() + ":" + r.host().port() + ") did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(ex, "interrupted");
        }
    }

    private static int unavailable(HttpExchange ex, String reason) throws IOException {
        ex.getResponseHeaders().set("Retry-After", "1");
        return AlertsApi.send(ex, 503, error(reason));
    }

    private static int notAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        return AlertsApi.send(ex, 405, error("method not allowed"));
    }

    private static String required(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return v.asText();
    }

    private static <T> T parse(String name, String v, java.util.function.Function<String, T> f) {
        try {
            return f.apply(v.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad " + name + " '" + io.taintwatch.model.Hex.abbreviate(v) + "'");
        }
    }

    private static byte[] error(String message) {
        return MAPPER.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
    }
}
