package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server speaking JSON-RPC, scripted per request, for testing the client's transport behaviour. */
public final class FakeRpcServer implements AutoCloseable {
    static final ObjectMapper M = new ObjectMapper();

    /** What to do with the n-th HTTP request (0-based) carrying these calls. */
    interface Script {
        void handle(int n, List<JsonNode> calls, HttpExchange ex) throws IOException;
    }

    final HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    FakeRpcServer(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try {
                JsonNode body = M.readTree(ex.getRequestBody());
                List<JsonNode> calls = body.isArray() ? toList(body) : List.of(body);
                batchSizes.add(calls.size());
                script.handle(requests.getAndIncrement(), calls, ex);
            } catch (RuntimeException e) {
                respond(ex, 500, "{}");
            } finally {
                ex.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    static List<JsonNode> toList(JsonNode arr) {
        List<JsonNode> l = new java.util.ArrayList<>();
        arr.forEach(l::add);
        return l;
    }

    /** Echo: result of each call = its first parameter. */
    static void echo(List<JsonNode> calls, HttpExchange ex, boolean batch) throws IOException {
        ArrayNode out = M.createArrayNode();
        for (JsonNode c : calls) {
            ObjectNode r = out.addObject();
            r.put("jsonrpc", "2.0").set("id", c.get("id"));
            r.set("result", c.get("params").get(0));
        }
        respond(ex, 200, (batch ? out : out.get(0)).toString());
    }

    /** A JSON answer (an empty body sends no content); shared by the test servers of other chains' sources. */
    public static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
