package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.ingest.metrics.IngestMetrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched JSON-RPC over HTTP with retries (exponential backoff with full jitter, honouring Retry-After), endpoint
 * failover, an adaptive batch size, and fail-fast on permanent errors. Per-call JSON-RPC errors come back as data in
 * {@link RpcResult}, except rate-limit errors, which are retried like a 429.
 */
public final class JsonRpcClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcClient.class);

    private final List<RedactedUrl> endpoints;
    private final RpcSettings settings;
    private final IngestMetrics metrics;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger batchSize;
    private final AtomicLong lastFailureNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    /** Per endpoint: System.nanoTime() before which its Retry-After asks us not to call it again. */
    private final long[] notBeforeNanos;

    public JsonRpcClient(List<String> endpointUrls, RpcSettings settings, IngestMetrics metrics, ObjectMapper mapper) {
        if (endpointUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one RPC endpoint is required");
        }
        this.endpoints = endpointUrls.stream().map(RedactedUrl::of).toList();
        this.settings = settings;
        this.metrics = metrics;
        this.mapper = mapper;
        this.batchSize = new AtomicInteger(settings.maxBatch());
        this.notBeforeNanos = new long[endpoints.size()];
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    public List<RedactedUrl> endpoints() {
        return endpoints;
    }

    /** The endpoint calls go to now (the one that answered the last successful call). */
    public RedactedUrl currentEndpoint() {
        return endpoints.get(currentIndex());
    }

    private int currentIndex() {
        return Math.floorMod(current.get(), endpoints.size());
    }

    /**
     * A caller found an answer of the current endpoint wrong although the exchange succeeded (a block hash the node does
     * not know, a block missing below the head it reported, a value that does not decode): counted as a retriable
     * error of that endpoint, and with several endpoints the next one becomes current.
     */
    public void reportBadAnswer(String method, RpcErrorKind kind, String reason) {
        reportBadAnswer(currentEndpoint(), method, kind, reason);
    }

    /**
     * As {@link #reportBadAnswer(String, RpcErrorKind, String)}, held against the endpoint that sent the answer; the
     * client fails over only if that endpoint is still the current one.
     */
    public void reportBadAnswer(RedactedUrl endpoint, String method, RpcErrorKind kind, String reason) {
        RedactedUrl ep = endpoint == null ? currentEndpoint() : endpoint;
        metrics.rpcError(method, ep.label(), "retriable", kind.label());
        if (ep == currentEndpoint()) {
            failOver(ep, method, kind, reason);
        }
    }

    /** Makes endpoint {@code index} current (it answered better than the current one), counted as a failover. */
    public void switchTo(int index, RpcErrorKind kind, String reason) {
        int from = currentIndex();
        if (index == from) {
            return;
        }
        current.set(index);
        metrics.rpcFailover(endpoints.get(from).label(), kind.label());
        log.warn("RPC endpoint {} {}; switching to {}", endpoints.get(from), reason, endpoints.get(index));
    }

    private void failOver(RedactedUrl ep, String method, RpcErrorKind kind, String reason) {
        if (endpoints.size() < 2) {
            return;
        }
        int next = Math.floorMod(current.incrementAndGet(), endpoints.size());
        metrics.rpcFailover(ep.label(), kind.label());
        log.warn("RPC {} failed on {} ({}); failing over to {}", method, ep, reason, endpoints.get(next));
    }

    /**
     * Sends {@code call} once to every endpoint, concurrently and without retries; the future completes with the
     * result per endpoint index (null where the exchange failed or the answer was an error; failures are counted).
     * For health probes that must not hold up the caller.
     */
    public CompletableFuture<List<JsonNode>> probeAll(RpcCall call) {
        List<CompletableFuture<JsonNode>> each = new ArrayList<>();
        for (RedactedUrl ep : endpoints) {
            each.add(CompletableFuture.supplyAsync(() -> {
                try {
                    RpcResult r = send(ep, List.of(call)).get(0);
                    if (!r.ok()) {
                        metrics.rpcError(call.method(), ep.label(), r.error().retriable() ? "retriable" : "permanent", RpcErrorKind.ofError(r.error()).label());
                        return null;
                    }
                    return r.result();
                } catch (RpcException e) {
                    metrics.rpcError(call.method(), ep.label(), e.retriable() ? "retriable" : "permanent", e.kind().label());
                    log.debug("probe {} of {} failed: {}", call.method(), ep, e.getMessage());
                    return null;
                }
            }, probes));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<JsonNode> out = new ArrayList<>();
            each.forEach(f -> out.add(f.join()));
            return out;
        });
    }

    /** Current adaptive batch size. */
    public int batchSize() {
        return batchSize.get();
    }

    /** One call; a JSON-RPC error is thrown as a permanent {@link RpcException} naming method and endpoint. */
    public JsonNode call(String method, Object... params) {
        RpcResult r = batch(List.of(RpcCall.of(method, params))).get(0);
        if (!r.ok()) {
            RedactedUrl ep = currentEndpoint();
            metrics.rpcError(method, ep.label(), "permanent", RpcErrorKind.ofError(r.error()).label());
            throw new RpcException(method + " failed on " + ep + ": " + r.error(), false, -1, -1, null, RpcErrorKind.ofError(r.error()));
        }
        return r.result();
    }

    public <T> T call(Class<T> type, String method, Object... params) {
        JsonNode n = call(method, params);
        return n == null || n.isNull() ? null : mapper.convertValue(n, type);
    }

    /** Results in the order of {@code calls}; the calls are sent in batches of the current adaptive size. */
    public List<RpcResult> batch(List<RpcCall> calls) {
        List<RpcResult> out = new ArrayList<>(calls.size());
        int i = 0;
        while (i < calls.size()) {
            maybeGrow();
            int n = Math.min(batchSize.get(), calls.size() - i);
            out.addAll(sendWithRetries(calls.subList(i, i + n)));
            i += n;
        }
        return out;
    }

    private void maybeGrow() {
        int b = batchSize.get();
        if (b < settings.maxBatch() && System.nanoTime() - lastFailureNanos.get() > settings.batchCooldown().toNanos()) {
            int grown = Math.min(settings.maxBatch(), b * 2);
            if (batchSize.compareAndSet(b, grown)) {
                lastFailureNanos.set(System.nanoTime()); // one doubling per cool-down
                log.info("RPC batch size grows back to {}", grown);
            }
        }
    }

    private List<RpcResult> sendWithRetries(List<RpcCall> calls) {
        RpcException last = null;
        String method = calls.get(0).method();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            int idx = currentIndex();
            RedactedUrl ep = endpoints.get(idx);
            try {
                List<RpcResult> results = send(ep, calls);
                RpcResult limited = results.stream().filter(r -> !r.ok() && r.error().retriable()).findFirst().orElse(null);
                if (limited == null) {
                    return results;
                }
                throw new RpcException(limited.call().method() + " on " + ep + ": " + limited.error(), true, -1, -1, null,
                    RpcErrorKind.ofError(limited.error()));
            } catch (RpcException e) {
                last = e;
                metrics.rpcError(method, ep.label(), e.retriable() ? "retriable" : "permanent", e.kind().label());
                if (!e.retriable()) {
                    throw e;
                }
                if (e.retryAfterMillis() > 0) {
                    notBeforeNanos[idx] = System.nanoTime() + e.retryAfterMillis() * 1_000_000L;
                }
            }
            if (attempt == settings.maxAttempts()) {
                break;
            }
            metrics.rpcRetry(ep.label());
            failOver(ep, method, last.kind(), last.getMessage());
            // the server's Retry-After binds only the endpoint that sent it: after a failover the next one is asked at once
            long retryAfter = Math.max(0, (notBeforeNanos[currentIndex()] - System.nanoTime()) / 1_000_000L);
            long wait = Math.max(backoffMillis(attempt), retryAfter);
            log.warn("RPC {} (batch of {}) attempt {}/{} failed: {}; retrying in {} ms", method, calls.size(), attempt,
                settings.maxAttempts(), last.getMessage(), wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new RpcException("interrupted while waiting to retry " + method, false, -1, -1, ie, RpcErrorKind.OTHER);
            }
            if (calls.size() > 1) {
                // a large batch may be what the node chokes on: halve it and retry the halves
                shrink(calls.size());
                int half = calls.size() / 2;
                List<RpcResult> out = new ArrayList<>(sendWithRetries(calls.subList(0, half)));
                out.addAll(sendWithRetries(calls.subList(half, calls.size())));
                return out;
            }
        }
        throw new RpcException("RPC " + method + " failed after " + settings.maxAttempts() + " attempts: "
            + (last == null ? "" : last.getMessage()), true, last == null ? -1 : last.httpStatus(), -1, last,
            last == null ? RpcErrorKind.OTHER : last.kind());
    }

    private void shrink(int failedSize) {
        lastFailureNanos.set(System.nanoTime());
        int b = batchSize.get();
        int halved = Math.max(1, failedSize / 2);
        if (halved < b && batchSize.compareAndSet(b, halved)) {
            log.warn("RPC batch of {} failed; batch size now {}", failedSize, halved);
        }
    }

    /** Exponential backoff with full jitter: uniform in [initial, min(max, initial * 2^(attempt-1))]. */
    long backoffMillis(int attempt) {
        long initial = settings.initialBackoff().toMillis();
        long cap = Math.min(settings.maxBackoff().toMillis(), initial << Math.min(20, attempt - 1));
        return cap <= initial ? initial : ThreadLocalRandom.current().nextLong(initial, cap + 1);
    }

    private List<RpcResult> send(RedactedUrl ep, List<RpcCall> calls) {
        metrics.rpcBatchSize(ep.label(), calls.size());
        Map<Long, Integer> slot = new HashMap<>();
        ArrayNode body = mapper.createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
            long id = ids.incrementAndGet();
            slot.put(id, i);
            ObjectNode req = body.addObject();
            req.put("jsonrpc", "2.0").put("id", id).put("method", calls.get(i).method());
            req.set("params", mapper.valueToTree(calls.get(i).params()));
        }
        String method = calls.size() == 1 ? calls.get(0).method() : calls.get(0).method() + (allSame(calls) ? "" : "+");
        long t0 = System.nanoTime();
        HttpResponse<byte[]> resp;
        try {
            byte[] payload = mapper.writeValueAsBytes(calls.size() == 1 ? body.get(0) : body);
            HttpRequest.Builder req = HttpRequest.newBuilder(ep.uri()).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(payload));
            if (ep.authorization() != null) {
                req.header("Authorization", ep.authorization());
            }
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RpcException(method + " on " + ep + ": " + RpcErrorClassifier.describe(e) + ": " + ep.scrub(String.valueOf(e.getMessage())),
                RpcErrorClassifier.retriable(e), -1, -1, null, RpcErrorClassifier.kind(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(method + " on " + ep + ": interrupted", false, -1, -1, null, RpcErrorKind.OTHER);
        } finally {
            metrics.rpcLatency(method, ep.label(), Duration.ofNanos(System.nanoTime() - t0));
        }
        int status = resp.statusCode();
        if (status != 200) {
            String hint = status == 401 || status == 403 ? " (check the endpoint's credentials or API key)" : "";
            throw new RpcException(method + " on " + ep + ": HTTP " + status + hint + bodySnippet(ep, resp.body()),
                RpcErrorClassifier.retriableStatus(status), status, retryAfter(resp), null);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(resp.body());
        } catch (IOException e) {
            // proxies answer 200 with an HTML error page: treat like a transport failure
            throw new RpcException(method + " on " + ep + ": response is not JSON" + bodySnippet(ep, resp.body()), true, 200, -1, null,
                RpcErrorKind.BAD_RESPONSE);
        }
        RpcResult[] out = new RpcResult[calls.size()];
        if (tree.isObject() && calls.size() > 1) {
            // some nodes answer a whole batch with one error object (e.g. batch too large)
            RpcError err = mapper.convertValue(tree.get("error"), RpcError.class);
            throw new RpcException(method + " batch of " + calls.size() + " on " + ep + ": " + err, err == null || err.retriable()
                || err.code() == RpcError.INVALID_REQUEST, 200, -1, null, RpcErrorKind.ofError(err));
        }
        for (JsonNode n : tree.isArray() ? tree : List.of(tree)) {
            Integer i = slot.get(n.path("id").asLong(-1));
            if (i == null) {
                if (calls.size() == 1 && n.has("error")) {
                    i = 0; // an error for a request the node could not parse carries id null
                } else {
                    throw new RpcException(method + " on " + ep + ": answer with unknown id " + n.path("id"), true, 200, -1, null,
                        RpcErrorKind.BAD_RESPONSE);
                }
            }
            RpcError err = n.hasNonNull("error") ? mapper.convertValue(n.get("error"), RpcError.class) : null;
            out[i] = new RpcResult(calls.get(i), err == null ? n.get("result") : null, err, ep);
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new RpcException(method + " on " + ep + ": no answer for call " + i + " of the batch", true, 200, -1, null,
                    RpcErrorKind.BAD_RESPONSE);
            }
        }
        return List.of(out);
    }

    private static boolean allSame(List<RpcCall> calls) {
        return calls.stream().allMatch(c -> c.method().equals(calls.get(0).method()));
    }

    private static String bodySnippet(RedactedUrl ep, byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return ": " + ep.scrub(s);
    }

    /** Retry-After as delta-seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfter(HttpResponse<?> resp) {
        return resp.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.strip()) * 1000;
            } catch (NumberFormatException e) {
                try {
                    return Math.max(0, ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli()
                        - System.currentTimeMillis());
                } catch (RuntimeException e2) {
                    return -1L;
                }
            }
        }).orElse(-1L);
    }

    @Override
    public void close() {
        probes.shutdownNow();
        http.close();
    }
}
