package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.source.rpc.BoundedBody;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RedactedUrl;
import io.taintwatch.ingest.source.rpc.RpcErrorClassifier;
import io.taintwatch.ingest.source.rpc.RpcErrorKind;
import io.taintwatch.ingest.source.rpc.RpcException;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * java-tron's HTTP API ({@code POST /wallet/...} with a JSON body), with the JSON-RPC client's hardening: a deadline on the
 * whole exchange (headers and body), a cap on the body's size, retries with exponential backoff and full jitter
 * (honouring {@code Retry-After}), failover over the endpoints in order (sticky), errors classified once into retriable
 * and permanent, and endpoint URLs shown only redacted. java-tron answers a failed call with HTTP 200 and
 * {@code {"Error": "..."}}: a rate limit ("lack of computing resources") is retried, any other such error is permanent.
 */
public final class TronHttpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TronHttpClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The longest part of a body or error message quoted in logs and exceptions. */
    private static final int QUOTE = 200;
    private final List<RedactedUrl> endpoints;
    private final RpcSettings settings;
    private final IngestMetrics metrics;
    private final HttpClient http;
    private final AtomicInteger current = new AtomicInteger();

    /** An answer and the endpoint that gave it, so that an answer found wrong later is held against that endpoint. */
    public record Answer(JsonNode body, RedactedUrl endpoint) {}

    /** The deadline, the body cap ({@link RpcSettings#maxResponseBytes()}) and the retries are the JSON-RPC client's settings. */
    public TronHttpClient(List<String> endpointUrls, RpcSettings settings, IngestMetrics metrics) {
        if (endpointUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one java-tron HTTP endpoint is required");
        }
        this.endpoints = endpointUrls.stream().map(RedactedUrl::of).toList();
        this.settings = settings;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    public List<RedactedUrl> endpoints() {
        return endpoints;
    }

    public RedactedUrl currentEndpoint() {
        return endpoints.get(Math.floorMod(current.get(), endpoints.size()));
    }

    /**
     * An answer of {@code endpoint} was found wrong although the exchange succeeded (another block than asked, transactions
     * that do not match the JSON-RPC view): counted, and the next endpoint becomes current if that one still is.
     */
    public void reportBadAnswer(RedactedUrl endpoint, String path, RpcErrorKind kind, String reason) {
        metrics.rpcError(path, endpoint.label(), "retriable", kind.label());
        if (endpoint == currentEndpoint()) {
            failOver(endpoint, path, kind, reason);
        }
    }

    /** {@code POST <endpoint><path>} with {@code body}; retried and failed over as described above. */
    public Answer post(String path, ObjectNode body) {
        RpcException last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            RedactedUrl ep = currentEndpoint();
            long retryAfter = -1;
            try {
                return new Answer(send(ep, path, body), ep);
            } catch (RpcException e) {
                last = e;
                metrics.rpcError(path, ep.label(), e.retriable() ? "retriable" : "permanent", e.kind().label());
                if (!e.retriable()) {
                    throw e;
                }
                retryAfter = e.retryAfterMillis();
            }
            if (attempt == settings.maxAttempts()) {
                break;
            }
            metrics.rpcRetry(ep.label());
            failOver(ep, path, last.kind(), last.getMessage());
            // a Retry-After binds the endpoint that sent it: after a failover the next one is asked at once
            long wait = Math.max(settings.backoffMillis(attempt), endpoints.size() > 1 ? 0 : retryAfter);
            log.warn("{} attempt {}/{} failed: {}; retrying in {} ms", path, attempt, settings.maxAttempts(), last.getMessage(), wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new RpcException("interrupted while waiting to retry " + path, false, -1, -1, ie, RpcErrorKind.OTHER);
            }
        }
        throw new RpcException(path + " failed after " + settings.maxAttempts() + " attempts: " + (last == null ? "" : last.getMessage()),
            true, last == null ? -1 : last.httpStatus(), -1, last, last == null ? RpcErrorKind.OTHER : last.kind());
    }

    private void failOver(RedactedUrl ep, String path, RpcErrorKind kind, String reason) {
        if (endpoints.size() < 2) {
            return;
        }
        int next = Math.floorMod(current.incrementAndGet(), endpoints.size());
        metrics.rpcFailover(ep.label(), kind.label());
        log.warn("{} failed on {} ({}); failing over to {}", path, ep, ep.excerpt(reason, QUOTE), endpoints.get(next));
    }

    private JsonNode send(RedactedUrl ep, String path, ObjectNode body) {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> resp;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(withPath(ep.uri(), path)).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
            if (ep.authorization() != null) {
                req.header("Authorization", ep.authorization());
            }
            CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(req.build(), BoundedBody.handler(settings.maxResponseBytes()));
            try {
                // the request timeout ends with the headers: the whole body must arrive within it too
                resp = f.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new RpcException(path + " on " + ep + ": no whole answer within " + settings.timeout().toMillis() + " ms", true, -1, -1,
                    null, RpcErrorKind.TIMEOUT);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof BoundedBody.TooLargeException) {
                    throw new RpcException(path + " on " + ep + ": " + c.getMessage(), true, -1, -1, null, RpcErrorKind.TOO_LARGE);
                }
                throw new RpcException(path + " on " + ep + ": " + RpcErrorClassifier.describe(c) + ": " + ep.excerpt(String.valueOf(c.getMessage()), QUOTE),
                    RpcErrorClassifier.retriable(c), -1, -1, null, RpcErrorClassifier.kind(c));
            }
        } catch (IOException e) {
            throw new RpcException(path + " on " + ep + ": cannot write the request: " + e.getMessage(), false, -1, -1, null, RpcErrorKind.OTHER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(path + " on " + ep + ": interrupted", false, -1, -1, null, RpcErrorKind.OTHER);
        } finally {
            metrics.rpcLatency(path, ep.label(), Duration.ofNanos(System.nanoTime() - t0));
        }
        int status = resp.statusCode();
        if (status != 200) {
            String hint = status == 401 || status == 403 ? " (check the endpoint's credentials or API key)" : "";
            throw new RpcException(path + " on " + ep + ": HTTP " + status + hint + snippet(ep, resp.body()), RpcErrorClassifier.retriableStatus(status),
                status, JsonRpcClient.retryAfterMillis(resp.headers().firstValue("Retry-After").orElse(null), settings.maxBackoff().toMillis(),
                    System.currentTimeMillis()), null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(resp.body());
        } catch (IOException e) {
            throw new RpcException(path + " on " + ep + ": response is not JSON" + snippet(ep, resp.body()), true, 200, -1, null,
                RpcErrorKind.BAD_RESPONSE);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new RpcException(path + " on " + ep + ": empty response", true, 200, -1, null, RpcErrorKind.BAD_RESPONSE);
        }
        if (tree.isObject() && tree.has("Error")) {
            String error = tree.path("Error").asText("");
            boolean limited = error.toLowerCase(Locale.ROOT).contains("lack of computing resources");
            throw new RpcException(path + " on " + ep + ": " + ep.excerpt(error, QUOTE), limited, 200, -1, null,
                limited ? RpcErrorKind.RATE_LIMITED : RpcErrorKind.RPC_ERROR);
        }
        return tree;
    }

    /** The API path appended to the endpoint's own (providers put keys in the path or the query, which are kept). */
    static java.net.URI withPath(java.net.URI base, String path) {
        String p = base.getRawPath() == null ? "" : base.getRawPath();
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return java.net.URI.create(base.getScheme() + "://" + base.getRawAuthority() + p + path
            + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()));
    }

    /** The start of a body for an error message, scrubbed of the endpoint's secrets before it is cut. */
    private static String snippet(RedactedUrl ep, byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        int window = (int) Math.min(body.length, 4L * (QUOTE + 1) * ep.longestSecret());
        return ": " + ep.excerpt(new String(body, 0, window, StandardCharsets.UTF_8), QUOTE).replaceAll("\\s+", " ");
    }

    @Override
    public void close() {
        http.close();
    }
}
