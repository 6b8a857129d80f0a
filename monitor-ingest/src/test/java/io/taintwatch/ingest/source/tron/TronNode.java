package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.taintwatch.ingest.source.rpc.FakeRpcServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A scripted java-tron node on a real HTTP server: JSON-RPC at {@code /jsonrpc} (single calls and batches) and the HTTP API at
 * {@code /wallet/*}, answering from recorded answers keyed by method and params ({@link TronFixtures}). A missing block is
 * {@code null} on JSON-RPC and {@code {}} on the HTTP API, as java-tron answers; a method without answers is
 * {@code -32601}; {@code eth_call} at anything but {@code latest} is refused as java-tron refuses it, and a recorded error
 * envelope is answered as that error. {@link #fault} runs before each request and may answer it instead (an HTTP error, a garbled body).
 */
final class TronNode implements AutoCloseable {
    /** Answers a request itself (returns true) or lets the node answer (false). */
    interface Fault {
        boolean handle(String path, int n, HttpExchange ex) throws IOException;
    }

    private final HttpServer server;
    private volatile Supplier<Map<String, JsonNode>> answers;
    volatile long head;
    volatile Fault fault = (path, n, ex) -> false;
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final List<String> methods = new CopyOnWriteArrayList<>();
    /** Methods answered with "method not found", as on an older java-tron. */
    final java.util.Set<String> missingMethods = ConcurrentHashMap.newKeySet();

    TronNode(Supplier<Map<String, JsonNode>> answers, long head) throws IOException {
        this.answers = answers;
        this.head = head;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try {
                String path = ex.getRequestURI().getPath();
                int n = requests.computeIfAbsent(path, k -> new AtomicInteger()).getAndIncrement();
                byte[] body = ex.getRequestBody().readAllBytes();
                if (fault.handle(path, n, ex)) {
                    return;
                }
                if (path.endsWith("/jsonrpc")) {
                    jsonRpc(TronFixtures.M.readTree(body), ex);
                } else if (path.contains("/wallet/")) {
                    wallet(path.substring(path.indexOf("/wallet/") + "/wallet/".length()), TronFixtures.M.readTree(body), ex);
                } else {
                    respond(ex, 404, "{}");
                }
            } catch (RuntimeException e) {
                respond(ex, 500, "{\"Error\":\"" + e + "\"}");
            } finally {
                ex.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    void serve(Supplier<Map<String, JsonNode>> answers) {
        this.answers = answers;
    }

    String rpcUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jsonrpc";
    }

    String httpUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requestsTo(String path) {
        AtomicInteger a = requests.get(path);
        return a == null ? 0 : a.get();
    }

    private void jsonRpc(JsonNode body, HttpExchange ex) throws IOException {
        if (body.isArray()) {
            ArrayNode out = TronFixtures.M.createArrayNode();
            body.forEach(c -> out.add(answer(c)));
            respond(ex, 200, out.toString());
        } else {
            respond(ex, 200, answer(body).toString());
        }
    }

    private ObjectNode answer(JsonNode call) {
        String method = call.path("method").asText();
        methods.add(method);
        JsonNode p = call.path("params");
        ObjectNode r = TronFixtures.M.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", call.get("id"));
        if (missingMethods.contains(method)) {
            r.putObject("error").put("code", -32601).put("message", "the method " + method + " does not exist/is not available");
            return r;
        }
        String key = switch (method) {
            case "eth_blockNumber" -> null;
            case "eth_getBlockByNumber" -> method + "-" + p.get(0).asText() + "-" + p.get(1).asBoolean();
            case "eth_getBlockByHash" -> method + "-" + p.get(0).asText() + "-" + p.get(1).asBoolean();
            case "eth_getBlockReceipts" -> method + "-" + p.get(0).asText();
            case "eth_getLogs" -> method + "-blockHash-" + p.get(0).path("blockHash").asText();
            case "eth_call" -> method + "-" + p.get(0).path("to").asText() + "-" + p.get(0).path("data").asText();
            default -> "";
        };
        if (method.equals("eth_call") && !"latest".equals(p.path(1).asText())) {
            // java-tron executes calls at the latest block only
            r.putObject("error").put("code", -32602).put("message", "QUANTITY not supported, just support TAG as latest");
            return r;
        }
        if (key == null) {
            r.put("result", "0x" + Long.toHexString(head));
        } else if (key.isEmpty()) {
            r.putObject("error").put("code", -32601).put("message", "the method " + method + " does not exist/is not available");
        } else if (method.equals("eth_getBlockByNumber") && p.get(0).asText().startsWith("0x")
            && Long.parseLong(p.get(0).asText().substring(2), 16) > head) {
            r.putNull("result");
        } else {
            JsonNode a = answers.get().get(key);
            if (a != null && a.isObject() && a.has("jsonrpc") && a.has("error")) {
                r.set("error", a.get("error"));
            } else {
                r.set("result", a == null ? TronFixtures.M.nullNode() : a);
            }
        }
        return r;
    }

    private void wallet(String call, JsonNode body, HttpExchange ex) throws IOException {
        methods.add("wallet/" + call);
        long num = body.path("num").asLong(-1);
        JsonNode a = num > head ? null : answers.get().get("wallet_" + call + "-num-" + num);
        if (a == null && call.equals("gettransactioninfobyblocknum") && num >= 0 && num <= head) {
            a = TronFixtures.M.createArrayNode();
        }
        respond(ex, 200, a == null ? "{}" : a.toString());
    }

    static void respond(HttpExchange ex, int status, String body) throws IOException {
        FakeRpcServer.respond(ex, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
