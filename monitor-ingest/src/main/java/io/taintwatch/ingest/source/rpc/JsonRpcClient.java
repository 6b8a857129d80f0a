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

    public JsonRpcClient(List<String> endpointUrls, RpcSettings settings, IngestMetrics metrics, ObjectMapper mapper) {
        if (endpointUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one RPC endpoint is required");
        }
        this.endpoints = endpointUrls.stream().map(RedactedUrl::of).toList();
        this.settings = settings;
        this.metrics = metrics;
        this.mapper = mapper;
        this.batchSize = new AtomicInteger(settings.maxBatch());
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    public List<RedactedUrl> endpoints() {
        return endpoints;
    }

    /** Current adaptive batch size. */
    public int batchSize() {
        return batchSize.get();
    }

    /** One call; a JSON-RPC error is thrown as a permanent {@link RpcException} naming method and endpoint. */
    public JsonNode call(String method, Object... params) {
        RpcResult r = batch(List.of(RpcCall.of(method, params))).get(0);
        if (!r.ok()) {
            throw new RpcException(method + " failed on " + endpoints.get(Math.floorMod(current.get(), endpoints.size())) + ": " + r.error(),
                false, -1, -1, null);
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
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            RedactedUrl ep = endpoints.get(Math.floorMod(current.get(), endpoints.size()));
            try {
                List<RpcResult> results = send(ep, calls);
                RpcResult limited = results.stream().filter(r -> !r.ok() && r.error().retriable()).findFirst().orElse(null);
                if (limited == null) {
                    return results;
                }
                throw new RpcException(limited.call().method() + " on " + ep + ": " + limited.error(), true, -1, -1, null);
            } catch (RpcException e) {
                last = e;
                metrics.rpcError(calls.get(0).method(), ep.host(), e.retriable() ? "retriable" : "permanent");
                if (!e.retriable()) {
                    throw e;
                }
            }
            if (attempt == settings.maxAttempts()) {
                break;
            }
            metrics.rpcRetry(ep.host());
            if (endpoints.size() > 1) {
                int next = current.incrementAndGet();
                log.warn("RPC {} failed on {} ({}); failing over to {}", calls.get(0).method(), ep, last.getMessage(),
                    endpoints.get(Math.floorMod(next, endpoints.size())));
            }
            long wait = Math.max(backoffMillis(attempt), last.retryAfterMillis());
            log.warn("RPC {} (batch of {}) attempt {}/{} failed: {}; retrying in {} ms", calls.get(0).method(), calls.size(), attempt,
                settings.maxAttempts(), last.getMessage(), wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new RpcException("interrupted while waiting to retry " + calls.get(0).method(), false, -1, -1, ie);
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
        throw new RpcException("RPC " + calls.get(0).method() + " failed after " + settings.maxAttempts() + " attempts: "
            + (last == null ? "" : last.getMessage()), true, last == null ? -1 : last.httpStatus(), -1, last);
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
        metrics.rpcBatchSize(ep.host(), calls.size());
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
            HttpRequest req = HttpRequest.newBuilder(ep.uri()).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RpcException(method + " on " + ep + ": " + RpcErrorClassifier.describe(e) + ": " + ep.scrub(String.valueOf(e.getMessage())),
                RpcErrorClassifier.retriable(e), -1, -1, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(method + " on " + ep + ": interrupted", false, -1, -1, null);
        } finally {
            metrics.rpcLatency(method, ep.host(), Duration.ofNanos(System.nanoTime() - t0));
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
            throw new RpcException(method + " on " + ep + ": response is not JSON" + bodySnippet(ep, resp.body()), true, 200, -1, null);
        }
        RpcResult[] out = new RpcResult[calls.size()];
        if (tree.isObject() && calls.size() > 1) {
            // some nodes answer a whole batch with one error object (e.g. batch too large)
            RpcError err = mapper.convertValue(tree.get("error"), RpcError.class);
            throw new RpcException(method + " batch of " + calls.size() + " on " + ep + ": " + err, err == null || err.retriable()
                || err.code() == RpcError.INVALID_REQUEST || err.code() == -32600, 200, -1, null);
        }
        for (JsonNode n : tree.isArray() ? tree : List.of(tree)) {
            Integer i = slot.get(n.path("id").asLong(-1));
            if (i == null) {
                if (calls.size() == 1 && n.has("error")) {
                    i = 0; // an error for a request the node could not parse carries id null
                } else {
                    throw new RpcException(method + " on " + ep + ": answer with unknown id " + n.path("id"), true, 200, -1, null);
                }
            }
            RpcError err = n.hasNonNull("error") ? mapper.convertValue(n.get("error"), RpcError.class) : null;
            out[i] = new RpcResult(calls.get(i), err == null ? n.get("result") : null, err);
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new RpcException(method + " on " + ep + ": no answer for call " + i + " of the batch", true, 200, -1, null);
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
        http.close();
    }
}
