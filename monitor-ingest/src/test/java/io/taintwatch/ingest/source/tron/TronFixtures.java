package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * java-tron answers for tests, keyed by method and params as the files are named ({@code eth_getBlockByNumber-0x42c1d80-true},
 * {@code wallet_getblockbynum-num-70000000}, {@code eth_call-<to>-<data>}). Recorded ones are read from a resource directory (the JSON-RPC files keep their
 * envelope, of which the {@code result} is served); {@link Chain} renders a consistent chain in the same shapes, following
 * java-tron's documentation: block ids start with the block number, JSON-RPC addresses are 20-byte hex, HTTP API
 * addresses {@code 41}-prefixed hex, the HTTP block's contract parameters carry the values, transaction infos the fees.
 */
final class TronFixtures {
    static final ObjectMapper M = new ObjectMapper();
    static final String TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    /** Tether's TRC-20 contract TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t. */
    static final String USDT = "a614f803b6fd780986a42c78ec9c7f77e6ded13c";

    private TronFixtures() {}

    /** The recorded answers of one directory under this package's test resources. */
    static Map<String, JsonNode> recorded(String dir) {
        Map<String, JsonNode> m = new HashMap<>();
        try {
            Path p = Path.of(TronFixtures.class.getResource(dir).toURI());
            try (Stream<Path> files = Files.list(p)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".json")).toList()) {
                    String name = f.getFileName().toString();
                    JsonNode n = M.readTree(f.toFile());
                    // a JSON-RPC envelope serves its result; one holding an error is kept whole and served as that error
                    m.put(name.substring(0, name.length() - ".json".length()),
                        n.isObject() && n.has("jsonrpc") && !n.has("error") ? n.get("result") : n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    static JsonNode resource(String dir, String name) {
        try (InputStream in = TronFixtures.class.getResourceAsStream(dir + "/" + name)) {
            return M.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha(String seed) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A made-up account: 20 bytes derived from a name. */
    static String addr(String name) {
        return sha("addr" + name).substring(0, 40);
    }

    static Address address(String hex20) {
        return Address.parse("0x" + hex20);
    }

    /** A chain of generated blocks in java-tron's answer shapes; {@link #fork} rebuilds blocks from a height on another fork. */
    static final class Chain {
        /** One transaction: a TRX transfer, or a USDT transfer (a contract call with a Transfer log). */
        record Tx(String owner, String to, long amount, boolean usdt, long fee) {}

        final Map<String, JsonNode> answers = new HashMap<>();
        final List<String> ids = new ArrayList<>();
        final List<List<Tx>> txs = new ArrayList<>();
        long head = -1;

        /** Appends a block with these transactions on fork {@code fork}. */
        Chain block(String fork, List<Tx> blockTxs) {
            long n = ids.size();
            String id = String.format("%016x", n) + sha("block" + n + fork).substring(16);
            String parent = n == 0 ? "0".repeat(64) : ids.get((int) n - 1);
            ids.add(id);
            txs.add(List.copyOf(blockTxs));
            head = n;
            render(n, id, parent, fork, blockTxs);
            return this;
        }

        /** Replaces the blocks from {@code from} on with the same transactions on another fork (new ids, new parents). */
        Chain fork(long from, String fork) {
            List<List<Tx>> rest = new ArrayList<>(txs.subList((int) from, txs.size()));
            while (ids.size() > from) {
                long n = ids.size() - 1;
                String old = ids.get((int) n);
                // the answers keyed by number are rendered again below; those keyed by the old hash go
                answers.keySet().removeIf(k -> k.contains(old));
                ids.remove((int) n);
                txs.remove((int) n);
            }
            rest.forEach(t -> block(fork, t));
            return this;
        }

        private void render(long n, String id, String parent, String fork, List<Tx> blockTxs) {
            long tsMillis = 1_780_000_000_000L + n * 3000;
            String hash = "0x" + id;
            ArrayNode rpcTxs = M.createArrayNode();
            ArrayNode hashes = M.createArrayNode();
            ArrayNode receipts = M.createArrayNode();
            ArrayNode logs = M.createArrayNode();
            ArrayNode walletTxs = M.createArrayNode();
            ArrayNode infos = M.createArrayNode();
            int logIndex = 0;
            for (int i = 0; i < blockTxs.size(); i++) {
                Tx t = blockTxs.get(i);
                String txId = sha("tx" + n + "-" + i + fork);
                String rpcTo = t.usdt() ? USDT : t.to();
                ObjectNode rt = rpcTxs.addObject();
                rt.put("blockHash", hash).put("blockNumber", hex(n)).put("from", "0x" + t.owner()).put("gas", t.usdt() ? "0xfb1d" : "0x0")
                    .put("gasPrice", "0xd2").put("hash", "0x" + txId).put("input", t.usdt() ? "0xa9059cbb" : "0x").put("nonce", "0x0000000000000000")
                    .put("to", "0x" + rpcTo).put("transactionIndex", hex(i)).put("type", "0x0").put("v", "0x1b")
                    .put("value", hex(t.usdt() ? 0 : t.amount()));
                hashes.add("0x" + txId);
                ObjectNode rc = receipts.addObject();
                rc.put("blockHash", hash).put("blockNumber", hex(n)).put("from", "0x" + t.owner()).put("status", "0x1").put("to", "0x" + rpcTo)
                    .put("transactionHash", "0x" + txId).put("transactionIndex", hex(i)).put("type", "0x0");
                ArrayNode rl = rc.putArray("logs");
                ObjectNode value = M.createObjectNode().put("owner_address", "41" + t.owner());
                ObjectNode info = M.createObjectNode().put("id", txId).put("fee", t.fee()).put("blockNumber", n).put("blockTimeStamp", tsMillis);
                if (t.usdt()) {
                    ObjectNode l = rl.addObject();
                    l.put("address", "0x" + USDT).put("blockHash", hash).put("blockNumber", hex(n)).put("data", "0x" + word(t.amount()))
                        .put("logIndex", hex(logIndex++)).put("removed", false).put("transactionHash", "0x" + txId).put("transactionIndex", hex(i));
                    l.putArray("topics").add("0x" + TRANSFER_TOPIC).add("0x" + "0".repeat(24) + t.owner()).add("0x" + "0".repeat(24) + t.to());
                    logs.add(l);
                    value.put("contract_address", "41" + USDT).put("data", "a9059cbb" + "0".repeat(24) + t.to() + word(t.amount()));
                    info.put("contract_address", "41" + USDT);
                    info.putObject("receipt").put("energy_fee", t.fee()).put("result", "SUCCESS");
                } else {
                    value.put("to_address", "41" + t.to()).put("amount", t.amount());
                    info.putObject("receipt").put("net_fee", t.fee());
                }
                ObjectNode wt = walletTxs.addObject();
                wt.putArray("ret").addObject().put("contractRet", "SUCCESS");
                wt.put("txID", txId);
                ObjectNode c = wt.putObject("raw_data").putArray("contract").addObject();
                String type = t.usdt() ? "TriggerSmartContract" : "TransferContract";
                c.putObject("parameter").<ObjectNode>set("value", value).put("type_url", "type.googleapis.com/protocol." + type);
                c.put("type", type);
                infos.add(info);
            }
            ObjectNode block = M.createObjectNode();
            block.put("number", hex(n)).put("hash", hash).put("parentHash", "0x" + parent).put("timestamp", hex(tsMillis / 1000))
                .put("miner", "0x" + addr("witness")).put("logsBloom", "0x" + "0".repeat(512)).put("receiptsRoot", "0x" + "0".repeat(64));
            ObjectNode full = block.deepCopy();
            full.set("transactions", rpcTxs);
            ObjectNode light = block.deepCopy();
            light.set("transactions", hashes);
            answers.put("eth_getBlockByNumber-" + hex(n) + "-true", full);
            answers.put("eth_getBlockByHash-" + hash + "-false", light);
            answers.put("eth_getBlockReceipts-" + hash, blockTxs.isEmpty() && n == 0 ? M.nullNode() : receipts);
            answers.put("eth_getLogs-blockHash-" + hash, logs);
            ObjectNode wb = M.createObjectNode().put("blockID", id);
            ObjectNode raw = wb.putObject("block_header").putObject("raw_data");
            raw.put("number", n).put("parentHash", parent).put("timestamp", tsMillis).put("witness_address", "41" + addr("witness"));
            if (!blockTxs.isEmpty()) {
                wb.set("transactions", walletTxs);
            }
            answers.put("wallet_getblockbynum-num-" + n, wb);
            answers.put("wallet_gettransactioninfobyblocknum-num-" + n, infos);
        }

        static String hex(long v) {
            return "0x" + Long.toHexString(v);
        }

        static String word(long v) {
            return String.format("%064x", v);
        }
    }
}
