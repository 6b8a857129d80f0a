package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reactivex.Flowable;
import io.taintwatch.ingest.metrics.IngestMetrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.websocket.events.Notification;

/**
 * web3j's transport for ingest: batched JSON-RPC over HTTP with retries (exponential backoff with full jitter,
 * honouring Retry-After up to the longest backoff), endpoint failover, an adaptive batch size, a cap on the size of a
 * response and on the time to receive it whole, and fail-fast on permanent errors. web3j {@link Request}s built on
 * this service ({@code Web3j.build(client)}) go through all of that; per-call JSON-RPC errors come back as data in the
 * {@link Response}, except rate-limit errors, which are retried like a 429. Failures are thrown as the unchecked
 * {@link RpcException}, classified once. Endpoint URLs appear only redacted.
 */
public final class JsonRpcClient implements Web3jService, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcClient.class);
    /** web3j's response classes rely on its mapper settings (unknown properties ignored, their own deserialisers). */
    private static final ObjectMapper MAPPER = ObjectMapperFactory.getObjectMapper();
    /** The longest part of a response body or failure reason quoted in logs and exceptions. */
    static final int MAX_QUOTE_CHARS = 200;

    private final List<RedactedUrl> endpoints;
    private final RpcSettings settings;
    private final IngestMetrics metrics;
    private final HttpClient http;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger batchSize;
    private final AtomicLong lastFailureNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong ids = new AtomicLong();
    private final ExecutorService async = Executors.newVirtualThreadPerTaskExecutor();
    /** Per endpoint: System.nanoTime() before which its Retry-After asks us not to call it again. */
    private final long[] notBeforeNanos;

    public JsonRpcClient(List<String> endpointUrls, RpcSettings settings, IngestMetrics metrics) {
        if (endpointUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one RPC endpoint is required");
        }
        this.endpoints = endpointUrls.stream().map(RedactedUrl::of).toList();
        this.settings = settings;
        this.metrics = metrics;
        this.batchSize = new AtomicInteger(settings.maxBatch());
        this.notBeforeNanos = new long[endpoints.size()];
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The mapper that decodes responses: for callers that turn a result's JSON into further types. */
    public static ObjectMapper mapper() {
        return MAPPER;
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
     * A caller found an answer wrong although the exchange succeeded (a block hash the node does not know, a block
     * missing below the head it reported, a value that does not decode): counted as a retriable error of the endpoint
     * that sent it (the current one when null); with several endpoints the client fails over if that endpoint is still
     * the current one.
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
        log.warn("RPC endpoint {} {}; switching to {}", endpoints.get(from), endpoints.get(from).excerpt(reason, MAX_QUOTE_CHARS), endpoints.get(index));
    }

    private void failOver(RedactedUrl ep, String method, RpcErrorKind kind, String reason) {
        if (endpoints.size() < 2) {
            return;
        }
        int next = Math.floorMod(current.incrementAndGet(), endpoints.size());
        metrics.rpcFailover(ep.label(), kind.label());
        // scrubbed before it is cut: no part of a secret survives the cut
        log.warn("RPC {} failed on {} ({}); failing over to {}", method, ep, ep.excerpt(reason, MAX_QUOTE_CHARS), endpoints.get(next));
    }

    /**
     * Sends {@code request} once to every endpoint, concurrently and without retries; the future completes with the
     * response per endpoint index (null where the exchange failed or the answer was an error; failures are counted).
     * For health probes that must not hold up the caller.
     */
    public <T extends Response<?>> CompletableFuture<List<T>> probeAll(Request<?, T> request) {
        List<CompletableFuture<T>> each = new ArrayList<>();
        for (RedactedUrl ep : endpoints) {
            each.add(CompletableFuture.supplyAsync(() -> {
                try {
                    RpcResult<T> r = this.<T>send(ep, List.of(request)).get(0);
                    if (!r.ok()) {
                        metrics.rpcError(r.method(), ep.label(), RpcError.retriable(r.error()) ? "retriable" : "permanent",
                            RpcError.kind(r.error()).label());
                        return null;
                    }
                    return r.response();
                } catch (RpcException e) {
                    metrics.rpcError(request.getMethod(), ep.label(), e.retriable() ? "retriable" : "permanent", e.kind().label());
                    log.debug("probe {} of {} failed: {}", request.getMethod(), ep, e.getMessage());
                    return null;
                }
            }, async));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<T> out = new ArrayList<>();
            each.forEach(f -> out.add(f.join()));
            return out;
        });
    }

    /** Current adaptive batch size. */
    public int batchSize() {
        return batchSize.get();
    }

    /**
     * One request with retries and failover. A JSON-RPC error comes back in the response ({@link Response#getError()});
     * a failed exchange is thrown as {@link RpcException}.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T extends Response> T send(Request request, Class<T> responseType) {
        Request typed = request.getResponseType() == responseType ? request
            : new Request<>(request.getMethod(), request.getParams(), this, responseType);
        return (T) ((RpcResult<?>) batch((List) List.of(typed)).get(0)).response();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public <T extends Response> CompletableFuture<T> sendAsync(Request request, Class<T> responseType) {
        return CompletableFuture.supplyAsync(() -> send(request, responseType), async);
    }

    /** The batch in batches of the current adaptive size; responses in the order of the requests. */
    @Override
    public BatchResponse sendBatch(BatchRequest batchRequest) {
        List<RpcResult<Response<?>>> rs = batch(batchRequest.getRequests());
        return new BatchResponse(batchRequest.getRequests(), rs.stream().map(RpcResult::response).toList());
    }

    @Override
    public CompletableFuture<BatchResponse> sendBatchAsync(BatchRequest batchRequest) {
        return CompletableFuture.supplyAsync(() -> sendBatch(batchRequest), async);
    }

    /** HTTP has no subscriptions: ingest polls. */
    @Override
    public <T extends Notification<?>> Flowable<T> subscribe(Request request, String unsubscribeMethod, Class<T> responseType) {
        throw new UnsupportedOperationException("JSON-RPC over HTTP has no subscriptions");
    }

    /**
     * The requests' responses in order, each with the endpoint that sent it; the requests are sent in batches of the
     * current adaptive size.
     */
    public <T extends Response<?>> List<RpcResult<T>> batch(List<? extends Request<?, ? extends T>> requests) {
        List<RpcResult<T>> out = new ArrayList<>(requests.size());
        int i = 0;
        while (i < requests.size()) {
            maybeGrow();
            int n = Math.min(batchSize.get(), requests.size() - i);
            out.addAll(this.<T>sendWithRetries(requests.subList(i, i + n)));
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

    private <T extends Response<?>> List<RpcResult<T>> sendWithRetries(List<? extends Request<?, ? extends T>> calls) {
        RpcException last = null;
        String method = calls.get(0).getMethod();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            int idx = currentIndex();
            RedactedUrl ep = endpoints.get(idx);
            try {
                List<RpcResult<T>> results = send(ep, calls);
                RpcResult<T> limited = results.stream().filter(r -> !r.ok() && RpcError.retriable(r.error())).findFirst().orElse(null);
                if (limited == null) {
                    return results;
                }
                throw new RpcException(limited.method() + " on " + ep + ": " + RpcError.describe(limited.error(), ep), true, -1, -1, null,
                    RpcError.kind(limited.error()));
            } catch (RpcException e) {
                last = e;
                metrics.rpcError(method, ep.label(), e.retriable() ? "retriable" : "permanent", e.kind().label());
                if (!e.retriable()) {
                    throw e;
                }
                if (e.retryAfterMillis() > 0) {
                    notBeforeNanos[idx] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(e.retryAfterMillis());
                }
            }
            if (attempt == settings.maxAttempts()) {
                break;
            }
            metrics.rpcRetry(ep.label());
            failOver(ep, method, last.kind(), last.getMessage());
            // the server's Retry-After binds only the endpoint that sent it: after a failover the next one is asked at once
            long retryAfter = Math.max(0, TimeUnit.NANOSECONDS.toMillis(notBeforeNanos[currentIndex()] - System.nanoTime()));
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
                List<RpcResult<T>> out = new ArrayList<>(this.<T>sendWithRetries(calls.subList(0, half)));
                out.addAll(this.<T>sendWithRetries(calls.subList(half, calls.size())));
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
        return settings.backoffMillis(attempt);
    }

    private <T extends Response<?>> List<RpcResult<T>> send(RedactedUrl ep, List<? extends Request<?, ? extends T>> calls) {
        metrics.rpcBatchSize(ep.label(), calls.size());
        Map<Long, Integer> slot = new HashMap<>();
        ArrayNode body = MAPPER.createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
            // our own ids per exchange: web3j's are per request object, and a retried request must not meet an old answer
            long id = ids.incrementAndGet();
            slot.put(id, i);
            ObjectNode req = body.addObject();
            req.put("jsonrpc", "2.0").put("id", id).put("method", calls.get(i).getMethod());
            req.set("params", MAPPER.valueToTree(calls.get(i).getParams()));
        }
        String method = calls.size() == 1 ? calls.get(0).getMethod() : calls.get(0).getMethod() + (allSame(calls) ? "" : "+");
        HttpResponse<byte[]> resp = exchange(ep, method, calls.size() == 1 ? body.get(0) : body);
        int status = resp.statusCode();
        if (status != 200) {
            String hint = status == 401 || status == 403 ? " (check the endpoint's credentials or API key)" : "";
            throw new RpcException(method + " on " + ep + ": HTTP " + status + hint + bodyExcerpt(ep, resp.body()),
                RpcErrorClassifier.retriableStatus(status), status,
                retryAfterMillis(resp.headers().firstValue("Retry-After").orElse(null), settings.maxBackoff().toMillis(), System.currentTimeMillis()),
                null);
        }
        Class<? extends T> common = commonType(calls);
        List<RpcResult<T>> out = common != null ? streamed(ep, method, resp.body(), calls, slot, common) : fromTree(ep, method, resp.body(), calls, slot);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                throw new RpcException(method + " on " + ep + ": no answer for call " + i + " of the batch", true, 200, -1, null,
                    RpcErrorKind.BAD_RESPONSE);
            }
        }
        return out;
    }

    /** The response type all the calls share, or null when they mix types. */
    private static <T extends Response<?>> Class<? extends T> commonType(List<? extends Request<?, ? extends T>> calls) {
        Class<? extends T> type = calls.get(0).getResponseType();
        for (Request<?, ? extends T> c : calls) {
            if (c.getResponseType() != type) {
                return null;
            }
        }
        return type;
    }

    /**
     * Answers of one response type, each decoded straight from the bytes: no intermediate tree, so a large block or
     * trace is read once.
     */
    private <T extends Response<?>> List<RpcResult<T>> streamed(RedactedUrl ep, String method, byte[] body,
                                                                List<? extends Request<?, ? extends T>> calls, Map<Long, Integer> slot,
                                                                Class<? extends T> type) {
        List<RpcResult<T>> out = new ArrayList<>(java.util.Collections.nCopies(calls.size(), null));
        try (JsonParser p = MAPPER.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT && calls.size() > 1) {
                throw wholeBatchError(ep, method, calls.size(), MAPPER.readTree(p));
            }
            if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
                throw notJson(ep, method, body);
            }
            boolean array = t == JsonToken.START_ARRAY;
            JsonToken next = array ? p.nextToken() : t;
            while (next == JsonToken.START_OBJECT) {
                T r = MAPPER.readValue(p, type);
                int i = slotOf(ep, method, slot, calls.size(), r.getId(), r.hasError(), Long.toString(r.getId()));
                out.set(i, new RpcResult<>(calls.get(i), r, ep));
                next = array ? p.nextToken() : null;
            }
            if (array && next != JsonToken.END_ARRAY) {
                throw notJson(ep, method, body);
            }
        } catch (StreamReadException e) {
            throw notJson(ep, method, body);
        } catch (DatabindException e) {
            throw new RpcException(method + " on " + ep + ": the answer does not decode as " + type.getSimpleName() + ": "
                + ep.excerpt(String.valueOf(e.getOriginalMessage()), MAX_QUOTE_CHARS), true, 200, -1, null, RpcErrorKind.BAD_RESPONSE);
        } catch (IOException e) {
            throw notJson(ep, method, body);
        }
        return out;
    }

    /** Answers of mixed response types: the id of each says which request, and so which type, it answers. */
    private <T extends Response<?>> List<RpcResult<T>> fromTree(RedactedUrl ep, String method, byte[] body,
                                                                List<? extends Request<?, ? extends T>> calls, Map<Long, Integer> slot) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (IOException e) {
            throw notJson(ep, method, body);
        }
        if (tree == null || tree.isMissingNode() || !(tree.isArray() || tree.isObject())) {
            throw notJson(ep, method, body);
        }
        if (tree.isObject() && calls.size() > 1) {
            throw wholeBatchError(ep, method, calls.size(), tree);
        }
        List<RpcResult<T>> out = new ArrayList<>(java.util.Collections.nCopies(calls.size(), null));
        for (JsonNode n : tree.isArray() ? tree : List.of(tree)) {
            int i = slotOf(ep, method, slot, calls.size(), n.path("id").asLong(-1), n.has("error"), n.path("id").toString());
            Request<?, ? extends T> call = calls.get(i);
            out.set(i, new RpcResult<>(call, decode(ep, call.getMethod(), n, call.getResponseType()), ep));
        }
        return out;
    }

    /** Which call an answer with this id answers. */
    private static int slotOf(RedactedUrl ep, String method, Map<Long, Integer> slot, int calls, long id, boolean isError, String shownId) {
        Integer i = slot.get(id);
        if (i != null) {
            return i;
        }
        if (calls == 1 && isError) {
            return 0; // an error for a request the node could not parse carries id null
        }
        throw new RpcException(method + " on " + ep + ": answer with unknown id " + ep.excerpt(shownId, 40), true, 200, -1, null,
            RpcErrorKind.BAD_RESPONSE);
    }

    /** Some nodes answer a whole batch with one error object (e.g. batch too large). */
    private static RpcException wholeBatchError(RedactedUrl ep, String method, int calls, JsonNode answer) {
        Response.Error err = answer.hasNonNull("error") ? decode(ep, method, answer.get("error"), Response.Error.class) : null;
        return new RpcException(method + " batch of " + calls + " on " + ep + ": " + RpcError.describe(err, ep),
            err == null || RpcError.retriable(err) || err.getCode() == RpcError.INVALID_REQUEST, 200, -1, null, RpcError.kind(err));
    }

    /** Proxies answer 200 with an HTML error page, or a body cut short: treated like a transport failure. */
    private static RpcException notJson(RedactedUrl ep, String method, byte[] body) {
        return new RpcException(method + " on " + ep + ": response is not JSON" + bodyExcerpt(ep, body), true, 200, -1, null,
            RpcErrorKind.BAD_RESPONSE);
    }

    /**
     * One HTTP exchange, bounded in time (headers and the whole body within {@code timeout}: a body trickled byte by
     * byte is cut off) and in size ({@code maxResponseBytes}).
     */
    private HttpResponse<byte[]> exchange(RedactedUrl ep, String method, JsonNode payload) {
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> pending = null;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(ep.uri()).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(payload)));
            if (ep.authorization() != null) {
                req.header("Authorization", ep.authorization());
            }
            pending = http.sendAsync(req.build(), BoundedBody.handler(settings.maxResponseBytes()));
            return pending.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true); // closes the connection: a trickling server is not read any further
            throw new RpcException(method + " on " + ep + ": timeout: no complete answer within " + settings.timeout(), true, -1, -1, null,
                RpcErrorKind.TIMEOUT);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof BoundedBody.TooLargeException) {
                throw new RpcException(method + " on " + ep + ": " + c.getMessage(), true, -1, -1, null, RpcErrorKind.TOO_LARGE);
            }
            throw new RpcException(method + " on " + ep + ": " + RpcErrorClassifier.describe(c) + ": "
                + ep.excerpt(String.valueOf(c.getMessage()), MAX_QUOTE_CHARS), RpcErrorClassifier.retriable(c), -1, -1, null, RpcErrorClassifier.kind(c));
        } catch (JsonProcessingException e) {
            throw new RpcException(method + ": the request does not serialise: " + e.getOriginalMessage(), false, -1, -1, null, RpcErrorKind.OTHER);
        } catch (InterruptedException e) {
            if (pending != null) {
                pending.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new RpcException(method + " on " + ep + ": interrupted", false, -1, -1, null, RpcErrorKind.OTHER);
        } finally {
            metrics.rpcLatency(method, ep.label(), Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /** One answer as web3j's response type; an answer that does not fit the type is a bad response of this endpoint. */
    private static <R> R decode(RedactedUrl ep, String method, JsonNode n, Class<R> type) {
        try {
            return MAPPER.treeToValue(n, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new RpcException(method + " on " + ep + ": the answer does not decode as " + type.getSimpleName() + ": "
                + ep.excerpt(String.valueOf(why), MAX_QUOTE_CHARS), true, 200, -1, null, RpcErrorKind.BAD_RESPONSE);
        }
    }

    private static boolean allSame(List<? extends Request<?, ?>> calls) {
        return calls.stream().allMatch(c -> c.getMethod().equals(calls.get(0).getMethod()));
    }

    /**
     * The start of a response body for an error message, scrubbed of the endpoint's secrets before it is cut. Only as
     * many bytes are decoded as the excerpt can need: each character of it consumes at most one secret's length.
     */
    private static String bodyExcerpt(RedactedUrl ep, byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        int window = (int) Math.min(body.length, 4L * (MAX_QUOTE_CHARS + 1) * ep.longestSecret());
        String s = ep.excerpt(new String(body, 0, window, StandardCharsets.UTF_8), MAX_QUOTE_CHARS);
        return ": " + s.replaceAll("\\s+", " ");
    }

    /**
     * Retry-After as delta-seconds or an HTTP date, in milliseconds, at most {@code capMillis} (a server cannot park us
     * for longer than our own longest backoff, nor overflow the arithmetic with a huge number); -1 when absent or
     * unreadable.
     */
    public static long retryAfterMillis(String header, long capMillis, long nowMillis) {
        if (header == null) {
            return -1;
        }
        String v = header.strip();
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // more digits than a long holds seconds of is beyond any cap
            return v.length() > 15 ? capMillis : Math.min(capMillis, Long.parseLong(v) * 1000);
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.min(capMillis, Math.max(0, at - nowMillis));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        async.shutdownNow();
        http.close();
    }
}
