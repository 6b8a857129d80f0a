package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.ingest.BlockBatch;
import io.taintwatch.ingest.ChainSource;
import io.taintwatch.ingest.TokenMetadata;
import io.taintwatch.ingest.TransientIngestException;
import io.taintwatch.ingest.evm.EvmLog;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.source.rpc.InconsistentBlockDataException;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RedactedUrl;
import io.taintwatch.ingest.source.rpc.RpcError;
import io.taintwatch.ingest.source.rpc.RpcErrorClassifier;
import io.taintwatch.ingest.source.rpc.RpcErrorKind;
import io.taintwatch.ingest.source.rpc.RpcException;
import io.taintwatch.ingest.source.rpc.RpcResult;
import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Leg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.web3j.protocol.core.Request;
import org.slf4j.LoggerFactory;

/**
 * The Tron {@link ChainSource}. Per range: batched {@code eth_getBlockByNumber(n, true)} from java-tron's eth-compatible
 * JSON-RPC (header, transaction order), the last block looked up by hash, logs from {@code eth_getBlockReceipts} (on nodes
 * without it, {@code eth_getLogs} by block hash with no address filter, split by transaction here: an address filter can
 * come back empty on nodes that synced with JSON-RPC off), and per block from the HTTP API {@code /wallet/getblockbynum}
 * (contract types and the TRX they send) and {@code /wallet/gettransactioninfobyblocknum} (fees, failures, internal
 * transactions); with {@code tokenMetadata}, the metadata of the token contracts the range moved
 * ({@link TronTokenMetadataReader}, at {@code latest}), which the sink publishes in the range's transaction. The views must
 * agree before anything is published: block numbers as asked, parent links inside the range, block ids starting with their
 * number, the same block id and transactions in the same order on both APIs, receipts of the fetched block. An answer that does not fit is counted against the endpoint that sent it, which is left for the next
 * one; retriable failures surface as {@link TransientIngestException}, permanent ones as {@link IllegalStateException}
 * naming the redacted endpoint.
 */
public final class TronSource implements ChainSource {
    private static final Logger log = LoggerFactory.getLogger(TronSource.class);
    static final String GET_BLOCK = "/wallet/getblockbynum";
    static final String GET_INFOS = "/wallet/gettransactioninfobyblocknum";

    private final TronChainConfig config;
    private final JsonRpcClient rpc;
    private final TronHttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final IngestMetrics metrics;
    private final TronBlockExtractor extractor;
    private final TronTokenMetadataReader tokens;
    private volatile boolean blockReceipts = true;

    public TronSource(TronChainConfig config, JsonRpcClient rpc, TronHttpClient http, IngestMetrics metrics) {
        this.config = config;
        this.rpc = rpc;
        this.http = http;
        this.metrics = metrics;
        this.extractor = new TronBlockExtractor(config.chain(), config.wrappedNative());
        this.tokens = new TronTokenMetadataReader(config.chain(), rpc, this::requireResult);
    }

    /** A JSON-RPC call whose answer is kept as JSON. */
    private Request<?, TronAnswer> call(String method, Object... params) {
        return new Request<>(method, List.of(params), rpc, TronAnswer.class);
    }

    @Override
    public long latest() {
        return guarded("eth_blockNumber", "eth_blockNumber", () -> {
            RpcResult<TronAnswer> r = rpc.batch(List.of(call("eth_blockNumber"))).get(0);
            JsonNode res = requireResult(r);
            long head = decode(r.endpoint(), () -> Quantity.asLong(res == null ? null : res.asText()));
            metrics.endpointHead(rpc.currentEndpoint().label(), head);
            return head;
        });
    }

    /** On Tron {@code finalized} is the latest solidified block (confirmed by two thirds of the super representatives). */
    @Override
    public OptionalLong finalized() {
        return guarded("eth_getBlockByNumber", "eth_getBlockByNumber(finalized)", () -> {
            RpcResult<TronAnswer> r = rpc.batch(List.of(call("eth_getBlockByNumber", "finalized", false))).get(0);
            JsonNode res = r.ok() ? r.response().getResult() : null;
            if (res == null || res.isNull()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(decode(r.endpoint(), () -> TronJson.quantity(res, "number", "finalized block")));
        });
    }

    @Override
    public BlockBatch fetch(long from, long to) {
        return guarded("eth_getBlockByNumber", "blocks " + from + ".." + to, () -> {
            List<Block> blocks = fetchRange(from, to);
            if (!config.tokenMetadata()) {
                return BlockBatch.of(blocks);
            }
            // the contracts of the TRC-20 (-721, -1155, WTRX) legs; TRX and TRC-10 tokens have none
            TreeSet<Address> contracts = new TreeSet<>();
            for (Block b : blocks) {
                for (Leg l : b.legs()) {
                    if (l.asset().contract() != null) {
                        contracts.add(l.asset().contract());
                    }
                }
            }
            List<TokenMetadata> meta = new ArrayList<>();
            meta.add(new TokenMetadata(config.chain(), null, config.nativeSymbol(), config.nativeSymbol(), config.nativeDecimals()));
            meta.addAll(tokens.read(contracts));
            return new BlockBatch(blocks, meta);
        });
    }

    private List<Block> fetchRange(long from, long to) {
        List<Request<?, TronAnswer>> calls = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            calls.add(call("eth_getBlockByNumber", Quantity.hex(n), true));
        }
        List<TronRpcBlock> blocks = new ArrayList<>();
        List<RedactedUrl> sentBy = new ArrayList<>();
        for (RpcResult<TronAnswer> r : rpc.batch(calls)) {
            long n = from + blocks.size();
            JsonNode res = requireResult(r);
            if (res == null || res.isNull()) {
                throw new InconsistentBlockDataException("endpoint " + r.endpoint() + " has no block " + n + " below the head it reported",
                    RpcErrorKind.LAGGING, r.endpoint());
            }
            TronRpcBlock b = decode(r.endpoint(), () -> TronRpcBlock.parse(res, "block " + n));
            if (b.number() != n) {
                throw new InconsistentBlockDataException("asked for block " + n + ", got block " + b.number(), RpcErrorKind.INCONSISTENT, r.endpoint());
            }
            if (!blocks.isEmpty() && !b.parentHash().equals(blocks.get(blocks.size() - 1).hash())) {
                throw new InconsistentBlockDataException("block " + n + " has parent hash " + b.parentHash() + " but block " + (n - 1)
                    + " came with hash " + blocks.get(blocks.size() - 1).hash(), RpcErrorKind.INCONSISTENT, sentBy.get(sentBy.size() - 1));
            }
            blocks.add(b);
            sentBy.add(r.endpoint());
        }
        verifyLastHash(blocks.get(blocks.size() - 1), sentBy.get(sentBy.size() - 1));
        List<List<EvmLog>> logs = logs(blocks);
        List<Block> out = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            TronRpcBlock b = blocks.get(i);
            WalletBlock wallet = walletBlock(b);
            List<WalletTxInfo> infos = infos(b);
            TronBlockExtractor.Extracted x = extractor.extract(b, logs.get(i), wallet, infos);
            metrics.malformedLogs(config.chain().name(), x.assembled().stats().malformedLogs());
            TronBlockExtractor.NotFollowed nf = x.notFollowed();
            metrics.notLegs(config.chain().name(), "rejected_internal", nf.rejectedInternal());
            out.add(x.assembled().block());
        }
        return out;
    }

    /** As on EVM chains: the last block's hash becomes the checkpoint, so the node must know it by hash. */
    private void verifyLastHash(TronRpcBlock last, RedactedUrl sentBy) {
        RpcResult<TronAnswer> r = rpc.batch(List.of(call("eth_getBlockByHash", last.hash().toString(), false))).get(0);
        JsonNode res = requireResult(r);
        if (res == null || res.isNull()) {
            throw new InconsistentBlockDataException("block " + last.number() + " came with hash " + last.hash()
                + ", which the node does not know by hash", RpcErrorKind.INCONSISTENT, sentBy);
        }
        Hash32[] byHash = decode(r.endpoint(), () -> new Hash32[] {TronJson.hash(res, "hash", "block by hash"), TronJson.hash(res, "parentHash",
            "block by hash")});
        long number = decode(r.endpoint(), () -> TronJson.quantity(res, "number", "block by hash"));
        if (number != last.number() || !byHash[0].equals(last.hash()) || !byHash[1].equals(last.parentHash())) {
            throw new InconsistentBlockDataException("block " + last.number() + " (hash " + last.hash() + ", parent " + last.parentHash()
                + ") does not match the node's block by that hash (number " + number + ", hash " + byHash[0] + ", parent " + byHash[1] + ")",
                RpcErrorKind.INCONSISTENT, sentBy);
        }
    }

    /** The logs of each block, from its receipts, or from {@code eth_getLogs} by block hash on nodes without them. */
    private List<List<EvmLog>> logs(List<TronRpcBlock> blocks) {
        if (blockReceipts) {
            List<Request<?, TronAnswer>> calls = new ArrayList<>();
            for (TronRpcBlock b : blocks) {
                calls.add(call("eth_getBlockReceipts", b.hash().toString()));
            }
            List<RpcResult<TronAnswer>> rs = rpc.batch(calls);
            if (rs.stream().anyMatch(r -> !r.ok() && RpcError.methodNotFound(r.error()))) {
                log.warn("chain {}: node has no eth_getBlockReceipts; reading logs with eth_getLogs by block hash", config.chain().name());
                blockReceipts = false;
            } else {
                List<List<EvmLog>> out = new ArrayList<>();
                for (int i = 0; i < rs.size(); i++) {
                    TronRpcBlock b = blocks.get(i);
                    JsonNode res = requireResult(rs.get(i));
                    if (b.transactions().isEmpty() && (res == null || res.isNull())) {
                        out.add(List.of()); // java-tron answers null for the genesis block's (empty) receipts
                        continue;
                    }
                    if (res == null || res.isNull()) {
                        throw new InconsistentBlockDataException("endpoint " + rs.get(i).endpoint() + " has no receipts for block " + b.number(),
                            RpcErrorKind.LAGGING, rs.get(i).endpoint());
                    }
                    RedactedUrl ep = rs.get(i).endpoint();
                    out.add(decode(ep, () -> receiptLogs(b, res, ep)));
                }
                return out;
            }
        }
        List<Request<?, TronAnswer>> calls = new ArrayList<>();
        for (TronRpcBlock b : blocks) {
            calls.add(call("eth_getLogs", Map.of("blockHash", b.hash().toString())));
        }
        List<RpcResult<TronAnswer>> rs = rpc.batch(calls);
        List<List<EvmLog>> out = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            TronRpcBlock b = blocks.get(i);
            JsonNode res = requireResult(rs.get(i));
            RedactedUrl ep = rs.get(i).endpoint();
            List<EvmLog> logs = new ArrayList<>();
            if (res != null) {
                for (JsonNode l : res) {
                    logs.add(decode(ep, () -> log(b, l, ep)));
                }
            }
            out.add(logs);
        }
        return out;
    }

    private List<EvmLog> receiptLogs(TronRpcBlock b, JsonNode receipts, RedactedUrl ep) {
        if (!receipts.isArray() || receipts.size() != b.transactions().size()) {
            throw new InconsistentBlockDataException("block " + b.number() + ": " + receipts.size() + " receipts for " + b.transactions().size()
                + " transactions", RpcErrorKind.INCONSISTENT, ep);
        }
        List<EvmLog> logs = new ArrayList<>();
        for (JsonNode r : receipts) {
            String w = "receipt of block " + b.number();
            Hash32 blockHash = TronJson.hash(r, "blockHash", w);
            if (!blockHash.equals(b.hash())) {
                throw new InconsistentBlockDataException("block " + b.number() + ": receipt of " + TronJson.optText(r, "transactionHash")
                    + " is from block " + blockHash + ", not " + b.hash() + " (reorg while fetching)", RpcErrorKind.INCONSISTENT, ep);
            }
            for (JsonNode l : r.path("logs")) {
                logs.add(log(b, l, ep));
            }
        }
        return logs;
    }

    private EvmLog log(TronRpcBlock b, JsonNode l, RedactedUrl ep) {
        String w = "log of block " + b.number();
        Hash32 blockHash = TronJson.hash(l, "blockHash", w);
        if (!blockHash.equals(b.hash())) {
            throw new InconsistentBlockDataException("block " + b.number() + ": a log is from block " + blockHash + ", not " + b.hash(),
                RpcErrorKind.INCONSISTENT, ep);
        }
        int txIndex = (int) TronJson.quantity(l, "transactionIndex", w);
        Hash32 txHash = TronJson.hash(l, "transactionHash", w);
        if (txIndex < 0 || txIndex >= b.transactions().size() || !b.transactions().get(txIndex).hash().equals(txHash)) {
            throw new InconsistentBlockDataException("block " + b.number() + ": a log names tx " + txHash + " at index " + txIndex
                + ", which is not the block's", RpcErrorKind.INCONSISTENT, ep);
        }
        List<Hash32> topics = new ArrayList<>();
        for (JsonNode t : l.path("topics")) {
            topics.add(Hash32.parse(t.asText()));
        }
        String data = TronJson.optText(l, "data");
        return new EvmLog(txIndex, txHash, (int) TronJson.quantity(l, "logIndex", w), TronJson.address(l, "address", w), topics,
            data == null ? new byte[0] : Hex.decode(data));
    }

    private WalletBlock walletBlock(TronRpcBlock b) {
        ObjectNode body = mapper.createObjectNode().put("num", b.number()).put("visible", false);
        TronHttpClient.Answer a = http.post(GET_BLOCK, body);
        WalletBlock w = decode(a.endpoint(), () -> WalletBlock.parse(a.body(), b.number(), GET_BLOCK + " " + b.number()));
        if (w == null) {
            throw new InconsistentBlockDataException("HTTP endpoint " + a.endpoint() + " has no block " + b.number(), RpcErrorKind.LAGGING, a.endpoint());
        }
        if (!w.id().equals(b.hash()) || !w.parentHash().equals(b.parentHash())) {
            throw new InconsistentBlockDataException("block " + b.number() + " is " + b.hash() + " on JSON-RPC but " + w.id() + " on the HTTP API of "
                + a.endpoint() + " (the two endpoints follow different forks or nodes)", RpcErrorKind.INCONSISTENT, a.endpoint());
        }
        for (int i = 0; i < Math.max(w.transactions().size(), b.transactions().size()); i++) {
            Hash32 rpcTx = i < b.transactions().size() ? b.transactions().get(i).hash() : null;
            Hash32 httpTx = i < w.transactions().size() ? w.transactions().get(i).id() : null;
            if (rpcTx == null || !rpcTx.equals(httpTx)) {
                throw new InconsistentBlockDataException("block " + b.number() + ": transaction " + i + " is " + rpcTx + " on JSON-RPC but " + httpTx
                    + " on the HTTP API", RpcErrorKind.INCONSISTENT, a.endpoint());
            }
        }
        return w;
    }

    private List<WalletTxInfo> infos(TronRpcBlock b) {
        ObjectNode body = mapper.createObjectNode().put("num", b.number());
        TronHttpClient.Answer a = http.post(GET_INFOS, body);
        JsonNode res = a.body();
        if (!res.isArray()) {
            // java-tron answers {} (not []) only for a block number it cannot serve
            if (b.transactions().isEmpty()) {
                return List.of();
            }
            throw new InconsistentBlockDataException("HTTP endpoint " + a.endpoint() + " has no transaction infos for block " + b.number(),
                RpcErrorKind.LAGGING, a.endpoint());
        }
        List<WalletTxInfo> infos = new ArrayList<>();
        for (JsonNode n : res) {
            infos.add(decode(a.endpoint(), () -> WalletTxInfo.parse(n, GET_INFOS + " " + b.number())));
        }
        if (infos.size() != b.transactions().size()) {
            throw new InconsistentBlockDataException("block " + b.number() + ": " + infos.size() + " transaction infos for " + b.transactions().size()
                + " transactions (a node still writing the block, or one that does not keep them)", RpcErrorKind.LAGGING, a.endpoint());
        }
        for (int i = 0; i < infos.size(); i++) {
            WalletTxInfo info = infos.get(i);
            if (!info.id().equals(b.transactions().get(i).hash()) || info.blockNumber() != b.number()) {
                throw new InconsistentBlockDataException("block " + b.number() + ": transaction info " + i + " is for " + info.id() + " in block "
                    + info.blockNumber() + ", not " + b.transactions().get(i).hash(), RpcErrorKind.INCONSISTENT, a.endpoint());
            }
        }
        return infos;
    }

    private interface Action<T> {
        T run();
    }

    /** Decodes one answer; a value that does not decode is held against the endpoint that sent it. */
    private <T> T decode(RedactedUrl ep, Action<T> f) {
        try {
            return f.run();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InconsistentBlockDataException("an answer of " + ep + " does not decode: " + (ep == null ? e.getMessage() : ep.excerpt(e.getMessage(), 300)),
                RpcErrorKind.BAD_RESPONSE, ep);
        }
    }

    /** A per-call JSON-RPC error here is permanent unless it says otherwise (the client already retried rate limits). */
    private JsonNode requireResult(RpcResult<TronAnswer> r) {
        if (!r.ok()) {
            String method = r.method();
            boolean retriable = RpcError.retriable(r.error());
            String hint = RpcError.methodNotFound(r.error()) ? " (the node does not offer this method; java-tron serves JSON-RPC only with "
                + "node.jsonrpc.httpFullNodeEnable = true)" : "";
            RedactedUrl ep = r.endpoint() == null ? rpc.currentEndpoint() : r.endpoint();
            metrics.rpcError(method, ep.label(), retriable ? "retriable" : "permanent", RpcError.kind(r.error()).label());
            throw new RpcException("chain " + config.chain().name() + ": " + method + " " + r.request().getParams() + " failed on " + ep + ": "
                + RpcError.describe(r.error(), ep) + hint, retriable, -1, -1, null, RpcError.kind(r.error()));
        }
        return r.response().getResult();
    }

    private <T> T guarded(String method, String what, Action<T> a) {
        try {
            return a.run();
        } catch (InconsistentBlockDataException e) {
            RedactedUrl ep = e.endpoint();
            if (ep != null && http.endpoints().contains(ep)) {
                http.reportBadAnswer(ep, "wallet", e.kind(), e.getMessage());
            } else {
                ep = ep == null ? rpc.currentEndpoint() : ep;
                rpc.reportBadAnswer(ep, method, e.kind(), e.getMessage());
            }
            throw new TransientIngestException("chain " + config.chain().name() + ": " + what + " from " + ep + ": " + e.getMessage(), e);
        } catch (RpcException e) {
            if (RpcErrorClassifier.retriable(e)) {
                throw new TransientIngestException("chain " + config.chain().name() + ": " + what + ": " + e.getMessage(), e);
            }
            throw new IllegalStateException("chain " + config.chain().name() + ": " + what + ": permanent error: " + e.getMessage(), e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            RedactedUrl ep = rpc.currentEndpoint();
            rpc.reportBadAnswer(ep, method, RpcErrorKind.BAD_RESPONSE, String.valueOf(e.getMessage()));
            throw new TransientIngestException("chain " + config.chain().name() + ": " + what + ": the answer of " + ep + " does not decode: "
                + ep.scrub(String.valueOf(e.getMessage())), e);
        }
    }

    public String describe() {
        return config.chain().name() + " (tron) via JSON-RPC " + rpc.endpoints() + " and HTTP " + http.endpoints();
    }

    @Override
    public void close() {
        rpc.close();
        http.close();
    }
}
