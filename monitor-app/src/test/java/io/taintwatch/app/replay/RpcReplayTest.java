package io.taintwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.taintwatch.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --rpc}: a real HTTP JSON-RPC node (in the test) answering with erigon's recorded mainnet responses for block
 * 18,000,000 (block with transactions, block receipts), replayed through the ingest RPC source. The seed is the sender
 * of the block's largest native transfer.
 */
class RpcReplayTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode recorded(String file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.path("rpc_fixtures/erigon_rpc-tests_mainnet/" + file)))) {
            return M.readTree(in).get(0).get("response").get("result");
        }
    }

    @Test
    void replaysABlockFromANode() throws Exception {
        JsonNode block = recorded("eth_getBlockByNumber/test_08.json.gz");
        JsonNode receipts = recorded("eth_getBlockReceipts/test_02.json.gz");
        // ingest also looks the range's last block up by hash (to catch a node answering with a wrong hash)
        Map<String, JsonNode> results = Map.of("eth_blockNumber", M.valueToTree("0x112a880"), "eth_getBlockByNumber", block,
            "eth_getBlockByHash", block, "eth_getBlockReceipts", receipts);
        JsonNode biggest = biggest(block);
        String seed = biggest.get("from").asText().toLowerCase();
        BigInteger value = new BigInteger(biggest.get("value").asText().substring(2), 16);

        HttpServer node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        node.createContext("/", ex -> {
            JsonNode body = M.readTree(ex.getRequestBody());
            ArrayNode out = M.createArrayNode();
            for (JsonNode c : body.isArray() ? body : M.createArrayNode().add(body)) {
                ObjectNode r = out.addObject().put("jsonrpc", "2.0");
                r.set("id", c.get("id"));
                JsonNode res = results.get(c.get("method").asText());
                if (res == null) {
                    r.putObject("error").put("code", -32601).put("message", "method not found");
                } else {
                    r.set("result", res);
                }
            }
            byte[] b = (body.isArray() ? out : out.get(0)).toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        node.start();
        try {
            Path seeds = Files.writeString(tmp.resolve("seeds.csv"), "address,source_id,category,reference\n" + seed + ",rpc-case,theft,test\n");
            Path out = tmp.resolve("out");
            Cli r = Cli.run("replay", "--rpc", "http://127.0.0.1:" + node.getAddress().getPort() + "/", "--from", "18000000", "--to",
                "18000000", "--traces", "none", "--seeds", seeds.toString(), "--out", out.toString(), "--quiet");
            assertThat(r.exit()).as(r.err()).isZero();
            List<JsonNode> flows = Files.readAllLines(out.resolve("flows.jsonl")).stream().map(l -> {
                try {
                    return M.readTree(l);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            // the seed's transfer is a hop-1 native flow of the whole value, in the transaction the node reported
            assertThat(flows).anySatisfy(f -> {
                assertThat(f.get("tx_hash").asText()).isEqualTo(biggest.get("hash").asText().toLowerCase());
                assertThat(f.get("leg_kind").asText()).isEqualTo("native");
                assertThat(f.get("asset").asText()).isEqualTo("native");
                assertThat(f.get("amount").asText()).isEqualTo(value.toString());
                assertThat(f.get("tainted").get("rpc-case").asText()).isEqualTo(value.toString());
                assertThat(f.get("from").asText()).isEqualTo(seed);
                assertThat(f.get("block").asLong()).isEqualTo(18_000_000L);
            });
            for (String f : ReplayOutputs.FILES) {
                assertThat(out.resolve(f)).isRegularFile();
            }
        } finally {
            node.stop(0);
        }
    }

    private static JsonNode biggest(JsonNode block) {
        JsonNode best = null;
        for (JsonNode t : block.get("transactions")) {
            if (best == null || new BigInteger(t.get("value").asText().substring(2), 16)
                .compareTo(new BigInteger(best.get("value").asText().substring(2), 16)) > 0) {
                best = t;
            }
        }
        return best;
    }
}
