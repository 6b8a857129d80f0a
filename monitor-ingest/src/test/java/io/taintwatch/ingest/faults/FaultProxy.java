package io.taintwatch.ingest.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting HTTP/1.1 proxy for JSON-RPC in front of a real node (anvil). A raw {@link ServerSocket}, so that it
 * can hold a request past the client's timeout, cut an answer short or reset the connection mid-answer. Every request
 * asks the {@link Policy} for a {@link Fault} (or none: forwarded untouched); a lag makes it a node behind the chain.
 * Counts what it injected, per fault, so tests can hold the ingest's metrics against it.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    private static final ObjectMapper M = new ObjectMapper();

    /** What can go wrong with one HTTP exchange. */
    public enum Fault {
        /** 429 with {@code Retry-After} (seconds). */
        RATE_LIMIT,
        /** 429 with a {@code Retry-After} of more seconds than fit a long in milliseconds. */
        HUGE_RETRY_AFTER,
        /** 503 with an HTML body, as a load balancer answers. */
        SERVER_ERROR,
        /** Holds the request, unanswered, until the client gives up and closes the connection (at most the hold time). */
        TIMEOUT,
        /** Forwards, sends the headers and half the body, then resets the connection (RST). */
        RESET,
        /** Forwards and answers 200 with the body cut in half (a complete HTTP message, incomplete JSON). */
        TRUNCATED,
        /**
         * Forwards, sends the headers, then the body a byte at a time, so that it would take longer than the client's
         * timeout (until the client hangs up, at most the hold time).
         */
        TRICKLE,
        /** Forwards and answers 200 with the answer padded with whitespace (still valid JSON) to {@link #OVERSIZED_BYTES}. */
        OVERSIZED,
        /** Forwards and answers 200 with NUL bytes written over the middle of the body (not JSON any more). */
        GARBLED,
        /** Forwards and answers well-formed JSON in which a block's timestamp is not hex (does not decode). */
        GARBLED_VALUE,
        /** As {@link #GARBLED_VALUE}, the timestamp a signed hex number ({@code 0x-5}). */
        SIGNED_QUANTITY,
        /** As {@link #GARBLED_VALUE}, the base fee a hex number of 10,000 digits. */
        OVERLONG_QUANTITY,
        /** Forwards and rewrites the {@code hash} of one block (chosen at random) in an {@code eth_getBlockByNumber} answer. */
        WRONG_HASH,
        /** As {@link #WRONG_HASH}, always the last block of the answer: no later block's parent hash can give it away. */
        WRONG_LAST_HASH,
        /** 401 with a JSON body: bad credentials. */
        UNAUTHORIZED,
        /** 200 with a JSON-RPC {@code -32601 method not found} error for every call. */
        METHOD_NOT_FOUND;

        /** Whether this fault can be applied to a request carrying these methods. */
        boolean appliesTo(Set<String> methods) {
            return switch (this) {
                case WRONG_HASH, WRONG_LAST_HASH, GARBLED_VALUE, SIGNED_QUANTITY, OVERLONG_QUANTITY -> methods.contains("eth_getBlockByNumber");
                default -> true;
            };
        }
    }

    /** The size an {@link Fault#OVERSIZED} answer is padded to: beyond what the tests' clients read (4 MiB). */
    public static final int OVERSIZED_BYTES = 5 << 20;

    /** Decides the fault for the n-th request (0-based) carrying these methods; null forwards it untouched. */
    public interface Policy {
        Fault decide(int n, Set<String> methods);

        /** No faults. */
        static Policy none() {
            return (n, m) -> null;
        }

        /** The same fault for every request (that it applies to). */
        static Policy always(Fault f) {
            return (n, m) -> f.appliesTo(m) ? f : null;
        }

        /** {@code f} for requests carrying {@code method}, nothing for the others. */
        static Policy onlyFor(String method, Fault f) {
            return (n, m) -> m.contains(method) && f.appliesTo(m) ? f : null;
        }

        /**
         * These faults, in this order, each given to the next request it applies to; then {@code then}. A fault that does
         * not apply to the current request waits for one it does, the later faults waiting behind it.
         */
        static Policy schedule(List<Fault> faults, Policy then) {
            ConcurrentLinkedDeque<Fault> queue = new ConcurrentLinkedDeque<>(faults);
            return (n, m) -> {
                synchronized (queue) {
                    Fault head = queue.peekFirst();
                    if (head != null && head.appliesTo(m)) {
                        return queue.pollFirst();
                    }
                }
                return then.decide(n, m);
            };
        }

        /** With probability {@code p} per request, one of {@code faults} (uniformly); reproducible from the seed. */
        static Policy random(long seed, double p, List<Fault> faults) {
            Random rnd = new Random(seed);
            return (n, m) -> {
                synchronized (rnd) {
                    if (rnd.nextDouble() >= p) {
                        return null;
                    }
                    Fault f = faults.get(rnd.nextInt(faults.size()));
                    return f.appliesTo(m) ? f : null;
                }
            };
        }
    }

    /**
     * A node behind the chain by {@code blocks}. With {@code reportsOldHead} it is self-consistent (its head is the
     * real head minus the lag and it serves blocks up to there); without, it reports the real head but has no recent
     * blocks (a load balancer in front of nodes at different heights).
     */
    public record Lag(int blocks, boolean reportsOldHead) {}

    private final ServerSocket server;
    private final URI upstream;
    private final Policy policy;
    private final Lag lag;
    private final Duration hold;
    private final int retryAfterSeconds;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Fault, AtomicInteger> injected = Collections.synchronizedMap(new EnumMap<>(Fault.class));
    private final AtomicInteger lagged = new AtomicInteger();
    private final Random hashes = new Random(7);
    private volatile boolean open = true;

    /**
     * @param hold              the longest a {@link Fault#TIMEOUT} holds a request (well beyond the client's timeout)
     * @param retryAfterSeconds the {@code Retry-After} of a {@link Fault#RATE_LIMIT}
     */
    public FaultProxy(String upstreamUrl, Policy policy, Lag lag, Duration hold, int retryAfterSeconds) throws IOException {
        this.upstream = URI.create(upstreamUrl);
        this.policy = policy;
        this.lag = lag;
        this.hold = hold;
        this.retryAfterSeconds = retryAfterSeconds;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("fault-proxy-" + server.getLocalPort()).start(this::acceptLoop);
    }

    public FaultProxy(String upstreamUrl, Policy policy) throws IOException {
        this(upstreamUrl, policy, null, Duration.ofSeconds(3), 1);
    }

    /** The proxy's URL with this path and query (the proxy ignores them: they stand for a provider's API key). */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getLocalPort() + pathAndQuery;
    }

    /** host:port, as the ingest metrics label this endpoint. */
    public String label() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int requests() {
        return requests.get();
    }

    public int injected(Fault f) {
        AtomicInteger n = injected.get(f);
        return n == null ? 0 : n.get();
    }

    public int injectedTotal() {
        synchronized (injected) {
            return injected.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /** Answers changed by the lag (an older head, or a null block). */
    public int lagged() {
        return lagged.get();
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket s = server.accept();
                pool.submit(() -> serve(s));
            } catch (IOException e) {
                if (open) {
                    log.warn("fault proxy accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            byte[] body = readRequest(s.getInputStream());
            if (body == null) {
                return;
            }
            JsonNode req = M.readTree(body);
            List<JsonNode> calls = new ArrayList<>();
            if (req.isArray()) {
                req.forEach(calls::add);
            } else {
                calls.add(req);
            }
            Set<String> methods = new HashSet<>();
            calls.forEach(c -> methods.add(c.path("method").asText()));
            int n = requests.getAndIncrement();
            Fault f = policy.decide(n, methods);
            if (f != null) {
                injected.computeIfAbsent(f, k -> new AtomicInteger()).incrementAndGet();
                log.debug("request {} {}: injecting {}", n, methods, f);
            }
            OutputStream out = s.getOutputStream();
            switch (f) {
                case RATE_LIMIT -> write(out, 429, "Too Many Requests", "Retry-After: " + retryAfterSeconds + "\r\n", "rate limited".getBytes(StandardCharsets.UTF_8), -1);
                case HUGE_RETRY_AFTER -> write(out, 429, "Too Many Requests", "Retry-After: 99999999999999999999\r\n",
                    "rate limited".getBytes(StandardCharsets.UTF_8), -1);
                case SERVER_ERROR -> write(out, 503, "Service Unavailable", "", "<html><body>503 Service Temporarily Unavailable</body></html>".getBytes(StandardCharsets.UTF_8), -1);
                case UNAUTHORIZED -> write(out, 401, "Unauthorized", "", "{\"error\":\"invalid API key\"}".getBytes(StandardCharsets.UTF_8), -1);
                case METHOD_NOT_FOUND -> write(out, 200, "OK", "", methodNotFound(req).getBytes(StandardCharsets.UTF_8), -1);
                case TIMEOUT -> holdUntilTheClientGivesUp(s);
                case null, default -> {
                    byte[] answer = forward(req, calls, f);
                    switch (f) {
                        case RESET -> {
                            write(out, 200, "OK", "", answer, answer.length / 2);
                            s.setSoLinger(true, 0); // close() now sends RST instead of FIN
                        }
                        case TRUNCATED -> write(out, 200, "OK", "", java.util.Arrays.copyOf(answer, answer.length / 2), -1);
                        case TRICKLE -> trickle(out, answer);
                        case OVERSIZED -> {
                            byte[] padded = java.util.Arrays.copyOf(answer, Math.max(answer.length, OVERSIZED_BYTES));
                            java.util.Arrays.fill(padded, answer.length, padded.length, (byte) ' ');
                            write(out, 200, "OK", "", padded, -1);
                        }
                        case GARBLED -> {
                            byte[] g = answer.clone();
                            int from = g.length / 2;
                            for (int i = from; i < Math.min(g.length - 1, from + 8); i++) {
                                g[i] = 0;
                            }
                            write(out, 200, "OK", "", g, -1);
                        }
                        case null, default -> write(out, 200, "OK", "", answer, -1);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("fault proxy connection ended: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("fault proxy failed on a request", e);
        }
    }

    /**
     * Waits for the client to close the connection (its timeout), so the client sees a timeout and never our close;
     * {@code hold} bounds the wait should the client keep the connection open.
     */
    private void holdUntilTheClientGivesUp(Socket s) throws IOException {
        s.setSoTimeout((int) hold.toMillis());
        try {
            while (s.getInputStream().read() >= 0) {
                // the request was read whole; anything more is ignored
            }
        } catch (java.net.SocketTimeoutException e) {
            log.warn("fault proxy: the client kept a timed-out request open for {}", hold);
        }
    }

    /**
     * Headers, then the body a byte every 250 ms (even the shortest answer, a head of about 40 bytes, takes 10 s): until
     * the client hangs up (the write fails) or the hold time passes.
     */
    private void trickle(OutputStream out, byte[] body) throws IOException, InterruptedException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long end = System.nanoTime() + hold.toNanos();
        for (int i = 0; i < body.length && System.nanoTime() < end; i++) {
            out.write(body[i]);
            out.flush();
            Thread.sleep(250);
        }
    }

    /** Forwards to the node and applies the lag and the answer-rewriting faults. */
    private byte[] forward(JsonNode req, List<JsonNode> calls, Fault f) throws IOException, InterruptedException {
        long realHead = -1;
        if (lag != null) {
            realHead = upstreamHead();
        }
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(upstream).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(M.writeValueAsBytes(req))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (lag == null && f != Fault.WRONG_HASH && f != Fault.WRONG_LAST_HASH && f != Fault.GARBLED_VALUE && f != Fault.SIGNED_QUANTITY
            && f != Fault.OVERLONG_QUANTITY) {
            return resp.body();
        }
        JsonNode answer = M.readTree(resp.body());
        List<JsonNode> answers = new ArrayList<>();
        if (answer.isArray()) {
            answer.forEach(answers::add);
        } else {
            answers.add(answer);
        }
        List<ObjectNode> blocks = new ArrayList<>();
        for (JsonNode a : answers) {
            JsonNode call = callFor(calls, a.path("id"));
            if (call == null || !(a instanceof ObjectNode o)) {
                continue;
            }
            String method = call.path("method").asText();
            if (lag != null) {
                long visible = realHead - lag.blocks();
                if (method.equals("eth_blockNumber") && lag.reportsOldHead()) {
                    o.put("result", "0x" + Long.toHexString(Math.max(0, visible)));
                    lagged.incrementAndGet();
                } else if (method.equals("eth_getBlockByNumber") || method.equals("eth_getBlockReceipts")
                    || method.equals("debug_traceBlockByNumber") || method.equals("trace_block")) {
                    long asked = blockParam(call.path("params").path(0), realHead);
                    if (asked > visible) {
                        o.putNull("result");
                        lagged.incrementAndGet();
                    }
                }
            }
            if (method.equals("eth_getBlockByNumber") && o.get("result") instanceof ObjectNode block) {
                blocks.add(block);
            }
        }
        if (!blocks.isEmpty() && (f == Fault.WRONG_HASH || f == Fault.WRONG_LAST_HASH)) {
            byte[] h = new byte[32];
            int at;
            synchronized (hashes) {
                hashes.nextBytes(h);
                at = f == Fault.WRONG_LAST_HASH ? blocks.size() - 1 : hashes.nextInt(blocks.size());
            }
            blocks.get(at).put("hash", "0x" + java.util.HexFormat.of().formatHex(h));
        } else if (!blocks.isEmpty() && f == Fault.GARBLED_VALUE) {
            blocks.get(0).put("timestamp", "0xnot-a-number");
        } else if (!blocks.isEmpty() && f == Fault.SIGNED_QUANTITY) {
            blocks.get(0).put("timestamp", "0x-5");
        } else if (!blocks.isEmpty() && f == Fault.OVERLONG_QUANTITY) {
            blocks.get(0).put("baseFeePerGas", "0x1" + "0".repeat(9_999));
        }
        return M.writeValueAsBytes(answer);
    }

    private long upstreamHead() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(upstream).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        return Long.decode(M.readTree(r.body()).get("result").asText());
    }

    private static long blockParam(JsonNode p, long head) {
        String s = p.asText().toLowerCase(Locale.ROOT);
        return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : head;
    }

    private static JsonNode callFor(List<JsonNode> calls, JsonNode id) {
        for (JsonNode c : calls) {
            if (c.path("id").equals(id)) {
                return c;
            }
        }
        return null;
    }

    private static String methodNotFound(JsonNode req) {
        List<JsonNode> calls = new ArrayList<>();
        if (req.isArray()) {
            req.forEach(calls::add);
        } else {
            calls.add(req);
        }
        ArrayNode out = M.createArrayNode();
        for (JsonNode c : calls) {
            ObjectNode e = out.addObject().put("jsonrpc", "2.0");
            e.set("id", c.get("id"));
            e.putObject("error").put("code", -32601).put("message", "the method " + c.path("method").asText() + " does not exist/is not available");
        }
        return (req.isArray() ? out : out.get(0)).toString();
    }

    /** Writes an HTTP/1.1 answer; {@code cutAt >= 0} stops the body there (the Content-Length still promises all). */
    private static void write(OutputStream out, int status, String reason, String extraHeaders, byte[] body, int cutAt) throws IOException {
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + (status == 200 || status == 401 ? "application/json" : "text/html")
            + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n" + extraHeaders + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, cutAt >= 0 ? cutAt : body.length);
        out.flush();
    }

    /** Reads one request (headers, then a Content-Length body); null when the client went away first. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) { // CR LF CR LF ends the headers
            int b = in.read();
            if (b < 0) {
                return null;
            }
            headers.write(b);
            last4 = (last4 << 8) | b;
        }
        int length = 0;
        for (String line : headers.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(line.substring(colon + 1).strip());
            }
        }
        return in.readNBytes(length);
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        acceptor.interrupt();
        pool.shutdownNow();
        http.close();
    }
}
