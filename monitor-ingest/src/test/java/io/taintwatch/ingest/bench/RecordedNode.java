package io.taintwatch.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.taintwatch.ingest.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * A JSON-RPC node that knows one real block: mainnet block 18,000,000 as erigon's rpc-tests recorded it (the block
 * with full transactions and its receipts, from ../shared/data), answering {@code eth_blockNumber},
 * {@code eth_getBlockByNumber}, {@code eth_getBlockByHash} and {@code eth_getBlockReceipts}, single or batched.
 */
public final class RecordedNode implements AutoCloseable {
    public static final long BLOCK = 18_000_000L;
    private static final ObjectMapper M = new ObjectMapper();

    private final HttpServer server;
    private final JsonNode block;
    private final JsonNode header;
    private final JsonNode receipts;

    public RecordedNode() throws IOException {
        block = Fixtures.json(Fixtures.ERIGON + "eth_getBlockByNumber/test_08.json.gz").get(0).get("response").get("result");
        receipts = Fixtures.json(Fixtures.ERIGON + "eth_getBlockReceipts/test_02.json.gz").get(0).get("response").get("result");
        ObjectNode h = block.deepCopy();
        ArrayNode hashes = h.putArray("transactions");
        block.get("transactions").forEach(t -> hashes.add(t.get("hash").asText()));
        header = h;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                JsonNode req = M.readTree(ex.getRequestBody());
                JsonNode answer;
                if (req.isArray()) {
                    ArrayNode out = M.createArrayNode();
                    req.forEach(r -> out.add(answer(r)));
                    answer = out;
                } else {
                    answer = answer(req);
                }
                byte[] body = M.writeValueAsBytes(answer);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private JsonNode answer(JsonNode req) {
        ObjectNode out = M.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", req.get("id"));
        String method = req.path("method").asText();
        String p0 = req.path("params").path(0).asText().toLowerCase(Locale.ROOT);
        JsonNode result = switch (method) {
            case "eth_blockNumber" -> M.getNodeFactory().textNode("0x" + Long.toHexString(BLOCK));
            case "eth_getBlockByNumber" -> p0.equals("0x" + Long.toHexString(BLOCK)) ? block : null;
            case "eth_getBlockByHash" -> p0.equals(block.get("hash").asText().toLowerCase(Locale.ROOT)) ? header : null;
            case "eth_getBlockReceipts" -> p0.equals("0x" + Long.toHexString(BLOCK)) ? receipts : null;
            default -> null;
        };
        if (result == null && !List.of("eth_getBlockByNumber", "eth_getBlockByHash", "eth_getBlockReceipts").contains(method)) {
            out.putObject("error").put("code", -32601).put("message", "the method " + method + " does not exist/is not available");
        } else {
            out.set("result", result == null ? M.nullNode() : result);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
