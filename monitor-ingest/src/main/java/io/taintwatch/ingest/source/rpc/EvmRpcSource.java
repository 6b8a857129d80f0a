package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.ingest.ChainSource;
import io.taintwatch.ingest.TransientIngestException;
import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.evm.BlockAssembler;
import io.taintwatch.ingest.evm.ExtractionStats;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.LogDecoder;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EVM {@link ChainSource}: per range, batched {@code eth_getBlockByNumber} (full transactions), then
 * {@code eth_getBlockReceipts} (falling back to per-transaction {@code eth_getTransactionReceipt} on nodes without
 * it), then traces ({@code callTracer} or {@code trace_block}), optional end-of-block balances and token metadata.
 * Checks that the answers fit the chain before anything is published: block numbers as asked, parent links inside the
 * range, the last block's hash known to the node by hash, receipts and traces of the fetched block. An answer that does
 * not fit, does not decode, or lacks a block below the head the endpoint reported is counted against that endpoint,
 * which is left for the next one; with several endpoints, one whose head stalls is compared (by a background probe)
 * with the others and left for one at least {@value #LAG_SWITCH_BLOCKS} blocks ahead. Retriable failures surface as
 * {@link TransientIngestException}, permanent ones (bad credentials, a method the node lacks) as
 * {@link IllegalStateException} naming the redacted endpoint.
 */
public final class EvmRpcSource implements ChainSource {
    private static final Logger log = LoggerFactory.getLogger(EvmRpcSource.class);
    private static final Map<String, String> CALL_TRACER = Map.of("tracer", "callTracer");

    private final EvmChainConfig config;
    private final JsonRpcClient rpc;
    private final ObjectMapper mapper;
    private final IngestMetrics metrics;
    private final RpcBlockExtractor extractor;
    private final TraceDecoder traces;
    private final BalanceReader balances;
    private final TokenMetadataReader tokens;
    private final TokenSink tokenSink;
    private volatile boolean blockReceipts = true;
    /** Blocks another endpoint must be ahead before we leave the current one: one apart is ordinary propagation. */
    static final int LAG_SWITCH_BLOCKS = 2;
    private long lastHead = -1;
    private CompletableFuture<List<JsonNode>> headProbe;

    /** @param tokenSink where new token metadata goes; null disables metadata reads */
    public EvmRpcSource(EvmChainConfig config, JsonRpcClient rpc, ObjectMapper mapper, TokenSink tokenSink, IngestMetrics metrics) {
        this.config = config;
        this.rpc = rpc;
        this.mapper = mapper;
        this.metrics = metrics;
        this.extractor = new RpcBlockExtractor(new BlockAssembler(config.chain(), new LogDecoder(config.wethContracts())));
        this.traces = new TraceDecoder(mapper);
        this.balances = new BalanceReader(rpc);
        this.tokens = new TokenMetadataReader(config.chain(), rpc);
        this.tokenSink = config.tokenMetadata() ? tokenSink : null;
        if (this.tokenSink != null) {
            this.tokenSink.publish(List.of(new TokenMetadata(config.chain(), null, config.nativeSymbol(), config.nativeSymbol(), config.nativeDecimals())));
        }
    }

    @Override
    public long latest() {
        return guarded("eth_blockNumber", "eth_blockNumber", () -> {
            long head = Quantity.asLong(rpc.call("eth_blockNumber").asText());
            metrics.endpointHead(rpc.currentEndpoint().label(), head);
            if (rpc.endpoints().size() > 1) {
                head = preferEndpointAhead(head);
            }
            lastHead = head;
            return head;
        });
    }

    /**
     * A lagging endpoint is self-consistent (it serves every block up to its old head), so no error ever moves us off
     * it. When the head stops advancing we ask every endpoint for its head in the background, and at the next call
     * switch to the one furthest ahead if it leads by {@link #LAG_SWITCH_BLOCKS} or more.
     */
    private long preferEndpointAhead(long head) {
        CompletableFuture<List<JsonNode>> probe = headProbe;
        if (probe != null && probe.isDone()) {
            headProbe = null;
            List<JsonNode> heads = probe.join();
            int best = -1;
            long bestHead = head;
            for (int i = 0; i < heads.size(); i++) {
                if (heads.get(i) == null) {
                    continue;
                }
                long h;
                try {
                    h = Quantity.asLong(heads.get(i).asText());
                } catch (IllegalArgumentException e) {
                    continue; // a garbled probe answer says nothing about that endpoint's head
                }
                metrics.endpointHead(rpc.endpoints().get(i).label(), h);
                if (h >= bestHead + LAG_SWITCH_BLOCKS) {
                    best = i;
                    bestHead = h;
                }
            }
            if (best >= 0) {
                rpc.switchTo(best, RpcErrorKind.LAGGING, "is at block " + head + ", " + (bestHead - head) + " behind " + rpc.endpoints().get(best));
                return bestHead;
            }
        }
        if (head <= lastHead && headProbe == null) {
            headProbe = rpc.probeAll(RpcCall.of("eth_blockNumber"));
        }
        return head;
    }

    @Override
    public OptionalLong finalized() {
        return guarded("eth_getBlockByNumber", "eth_getBlockByNumber(finalized)", () -> {
            RpcResult r = rpc.batch(List.of(RpcCall.of("eth_getBlockByNumber", "finalized", false))).get(0);
            if (!r.ok() || r.result() == null || r.result().isNull()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Quantity.asLong(r.result().get("number").asText()));
        });
    }

    @Override
    public List<Block> fetch(long from, long to) {
        return guarded("eth_getBlockByNumber", "blocks " + from + ".." + to, () -> fetchRange(from, to));
    }

    private List<Block> fetchRange(long from, long to) {
        List<RpcCall> calls = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            calls.add(RpcCall.of("eth_getBlockByNumber", Quantity.hex(n), true));
        }
        List<RpcBlock> blocks = new ArrayList<>();
        List<RedactedUrl> sentBy = new ArrayList<>();
        for (RpcResult r : rpc.batch(calls)) {
            JsonNode res = requireResult(r);
            long n = from + blocks.size();
            if (res == null || res.isNull()) {
                // the head this endpoint reported covers the block: a node behind a load balancer, or one still syncing
                throw new InconsistentBlockDataException("endpoint " + r.endpoint() + " has no block " + n + " below the head it reported",
                    RpcErrorKind.LAGGING, r.endpoint());
            }
            RpcBlock b = decode(r, "block " + n, node -> {
                RpcBlock d = mapper.convertValue(node, RpcBlock.class);
                d.header(); // every header field must decode before the block is trusted
                return d;
            });
            if (b.numberValue() != n) {
                throw new InconsistentBlockDataException("asked for block " + n + ", got block " + b.numberValue(), RpcErrorKind.INCONSISTENT, r.endpoint());
            }
            if (!blocks.isEmpty() && !Hash32.parse(b.parentHash()).equals(Hash32.parse(blocks.get(blocks.size() - 1).hash()))) {
                // one of the two answers is wrong; the earlier one's hash is what is in question
                throw new InconsistentBlockDataException("block " + n + " has parent hash " + b.parentHash() + " but block " + (n - 1)
                    + " came with hash " + blocks.get(blocks.size() - 1).hash(), RpcErrorKind.INCONSISTENT, sentBy.get(sentBy.size() - 1));
            }
            blocks.add(b);
            sentBy.add(r.endpoint());
        }
        verifyLastHash(blocks.get(blocks.size() - 1), sentBy.get(sentBy.size() - 1));
        List<List<RpcReceipt>> receipts = receipts(blocks);
        List<List<InternalTransfer>> internal = traces(blocks);
        List<Block> out = new ArrayList<>(blocks.size());
        TreeSet<Address> tokenContracts = new TreeSet<>();
        for (int i = 0; i < blocks.size(); i++) {
            AssembledBlock a = extractor.extract(blocks.get(i), receipts.get(i), internal == null ? null : internal.get(i), null);
            ExtractionStats s = a.stats();
            metrics.malformedLogs(config.chain().name(), s.malformedLogs());
            Block b = a.block();
            if (config.balances()) {
                b = new Block(b.chain(), b.number(), b.hash(), b.parentHash(), b.timestamp(), b.legs(), balances.read(b));
            }
            for (Leg l : b.legs()) {
                if (!l.asset().isNative()) {
                    tokenContracts.add(l.asset().contract());
                }
            }
            out.add(b);
        }
        if (tokenSink != null && !tokenContracts.isEmpty()) {
            List<TokenMetadata> fresh = tokens.readNew(tokenContracts, to);
            if (!fresh.isEmpty()) {
                tokenSink.publish(fresh);
            }
        }
        return out;
    }

    /**
     * Inside the range each hash is vouched for by the next block's parent hash; the last one has no successor yet, and
     * it becomes the checkpoint the next range must extend. So ask the node for that block by its hash: a hash garbled
     * on the way, or from a fork the node no longer has, is caught here instead of being published.
     */
    private void verifyLastHash(RpcBlock last, RedactedUrl sentBy) {
        RpcResult r = rpc.batch(List.of(RpcCall.of("eth_getBlockByHash", last.hash(), false))).get(0);
        JsonNode res = requireResult(r);
        if (res == null || res.isNull()) {
            throw new InconsistentBlockDataException("block " + last.numberValue() + " came with hash " + last.hash()
                + ", which the node does not know by hash", RpcErrorKind.INCONSISTENT, sentBy);
        }
        // without full transactions: the header fields are all we compare
        String[] byHash = decode(r, "block by hash " + last.hash(), node -> {
            String[] f = {node.path("number").asText(null), node.path("hash").asText(null), node.path("parentHash").asText(null)};
            Quantity.asLong(f[0]);
            Hash32.parse(f[1]);
            Hash32.parse(f[2]);
            return f;
        });
        if (Quantity.asLong(byHash[0]) != last.numberValue() || !Hash32.parse(byHash[1]).equals(Hash32.parse(last.hash()))
            || !Hash32.parse(byHash[2]).equals(Hash32.parse(last.parentHash()))) {
            throw new InconsistentBlockDataException("block " + last.numberValue() + " (hash " + last.hash() + ", parent " + last.parentHash()
                + ") does not match the node's block by that hash (number " + byHash[0] + ", hash " + byHash[1] + ", parent "
                + byHash[2] + ")", RpcErrorKind.INCONSISTENT, sentBy);
        }
    }

    /** Decodes one answer; a value that does not decode is held against the endpoint that sent it. */
    private <T> T decode(RpcResult r, String what, java.util.function.Function<JsonNode, T> f) {
        try {
            return f.apply(r.result());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InconsistentBlockDataException(what + " from " + r.endpoint() + " does not decode: "
                + (r.endpoint() == null ? e.getMessage() : r.endpoint().scrub(String.valueOf(e.getMessage()))), RpcErrorKind.BAD_RESPONSE, r.endpoint());
        }
    }

    private List<List<RpcReceipt>> receipts(List<RpcBlock> blocks) {
        if (blockReceipts) {
            List<RpcCall> calls = new ArrayList<>();
            for (RpcBlock b : blocks) {
                calls.add(RpcCall.of("eth_getBlockReceipts", b.number()));
            }
            List<RpcResult> rs = rpc.batch(calls);
            if (rs.stream().anyMatch(r -> !r.ok() && r.error().methodNotFound())) {
                log.warn("chain {}: node has no eth_getBlockReceipts; falling back to eth_getTransactionReceipt per transaction", config.chain().name());
                blockReceipts = false;
            } else {
                List<List<RpcReceipt>> out = new ArrayList<>();
                for (int i = 0; i < rs.size(); i++) {
                    JsonNode res = requireResult(rs.get(i));
                    if (res == null || res.isNull()) {
                        throw new InconsistentBlockDataException("endpoint " + rs.get(i).endpoint() + " has no receipts for block "
                            + blocks.get(i).numberValue(), RpcErrorKind.LAGGING, rs.get(i).endpoint());
                    }
                    List<RpcReceipt> list = decode(rs.get(i), "receipts of block " + blocks.get(i).numberValue(),
                        node -> mapper.convertValue(node, new TypeReference<List<RpcReceipt>>() {}));
                    checkSameBlock(blocks.get(i), list, rs.get(i).endpoint());
                    out.add(list);
                }
                return out;
            }
        }
        List<RpcCall> calls = new ArrayList<>();
        for (RpcBlock b : blocks) {
            for (RpcTransaction t : b.transactionsOrEmpty()) {
                calls.add(RpcCall.of("eth_getTransactionReceipt", t.hash()));
            }
        }
        List<RpcResult> rs = rpc.batch(calls);
        List<List<RpcReceipt>> out = new ArrayList<>();
        int k = 0;
        for (RpcBlock b : blocks) {
            List<RpcReceipt> list = new ArrayList<>();
            for (int j = 0; j < b.transactionsOrEmpty().size(); j++) {
                RpcResult r = rs.get(k++);
                JsonNode res = requireResult(r);
                if (res == null || res.isNull()) {
                    throw new InconsistentBlockDataException("endpoint " + r.endpoint() + " has no receipt for a tx in block "
                        + b.numberValue(), RpcErrorKind.LAGGING, r.endpoint());
                }
                list.add(decode(r, "a receipt of block " + b.numberValue(), node -> mapper.convertValue(node, RpcReceipt.class)));
            }
            checkSameBlock(b, list, null);
            out.add(list);
        }
        return out;
    }

    private void checkSameBlock(RpcBlock b, List<RpcReceipt> receipts, RedactedUrl sentBy) {
        for (RpcReceipt r : receipts) {
            if (r.blockHash() != null && !r.blockHash().equalsIgnoreCase(b.hash())) {
                throw new InconsistentBlockDataException("chain " + config.chain().name() + " block " + b.numberValue() + ": receipt of "
                    + r.transactionHash() + " is from block " + r.blockHash() + ", not " + b.hash() + " (reorg while fetching)",
                    RpcErrorKind.INCONSISTENT, sentBy);
            }
        }
    }

    private List<List<InternalTransfer>> traces(List<RpcBlock> blocks) {
        if (config.traceMode() == TraceMode.NONE) {
            return null;
        }
        List<RpcCall> calls = new ArrayList<>();
        for (RpcBlock b : blocks) {
            calls.add(config.traceMode() == TraceMode.CALL_TRACER
                ? RpcCall.of("debug_traceBlockByNumber", b.number(), CALL_TRACER)
                : RpcCall.of("trace_block", b.number()));
        }
        List<RpcResult> rs = rpc.batch(calls);
        List<List<InternalTransfer>> out = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            RpcBlock b = blocks.get(i);
            JsonNode res = requireResult(rs.get(i));
            if (res == null || res.isNull()) {
                throw new InconsistentBlockDataException("endpoint " + rs.get(i).endpoint() + " has no traces for block " + b.numberValue(),
                    RpcErrorKind.LAGGING, rs.get(i).endpoint());
            }
            ExtractionStats stats = new ExtractionStats();
            if (config.traceMode() == TraceMode.CALL_TRACER) {
                List<TxTrace> ts = decode(rs.get(i), "traces of block " + b.numberValue(), node -> mapper.convertValue(node, new TypeReference<List<TxTrace>>() {}));
                List<Hash32> hashes = RpcBlockExtractor.txHashes(b);
                if (ts.size() != hashes.size()) {
                    throw new InconsistentBlockDataException("block " + b.numberValue() + ": " + ts.size() + " traces for " + hashes.size() + " transactions");
                }
                for (int j = 0; j < ts.size(); j++) {
                    if (ts.get(j).txHash() != null && !Hash32.parse(ts.get(j).txHash()).equals(hashes.get(j))) {
                        throw new InconsistentBlockDataException("block " + b.numberValue() + ": trace " + j + " is for tx " + ts.get(j).txHash()
                            + ", not " + hashes.get(j) + " (reorg while fetching)");
                    }
                }
                out.add(traces.fromCallTracer(b.numberValue(), ts, hashes, stats));
            } else {
                List<ParityTrace> ts = decode(rs.get(i), "traces of block " + b.numberValue(), node -> mapper.convertValue(node, new TypeReference<List<ParityTrace>>() {}));
                out.add(traces.fromParity(b.numberValue(), ts, stats));
            }
        }
        return out;
    }

    /** A per-call JSON-RPC error here is permanent unless it says otherwise (the client already retried rate limits). */
    private JsonNode requireResult(RpcResult r) {
        if (!r.ok()) {
            String method = r.call().method();
            boolean trace = method.equals("debug_traceBlockByNumber") || method.equals("trace_block");
            String hint = r.error().methodNotFound() ? " (the node does not offer this method" + (trace ? "; for traces set traceMode to "
                + (config.traceMode() == TraceMode.CALL_TRACER ? "TRACE_BLOCK or NONE" : "CALL_TRACER or NONE") : "") + ")" : "";
            RedactedUrl ep = r.endpoint() == null ? rpc.currentEndpoint() : r.endpoint();
            metrics.rpcError(method, ep.label(), r.error().retriable() ? "retriable" : "permanent", RpcErrorKind.ofError(r.error()).label());
            throw new RpcException("chain " + config.chain().name() + ": " + method + " " + r.call().params() + " failed on "
                + ep + ": " + r.error() + hint, r.error().retriable(), -1, -1, null, RpcErrorKind.ofError(r.error()));
        }
        return r.result();
    }

    private interface Action<T> {
        T run();
    }

    private <T> T guarded(String method, String what, Action<T> a) {
        try {
            return a.run();
        } catch (InconsistentBlockDataException e) {
            RedactedUrl ep = e.endpoint() == null ? rpc.currentEndpoint() : e.endpoint();
            rpc.reportBadAnswer(ep, method, e.kind(), e.getMessage());
            throw new TransientIngestException("chain " + config.chain().name() + ": " + what + " from " + ep + ": " + e.getMessage(), e);
        } catch (RpcException e) {
            if (RpcErrorClassifier.retriable(e)) {
                throw new TransientIngestException("chain " + config.chain().name() + ": " + what + ": " + e.getMessage(), e);
            }
            throw new IllegalStateException("chain " + config.chain().name() + ": " + what + ": permanent RPC error: " + e.getMessage(), e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            // a well-formed JSON answer with a value that does not decode (a garbled hex string, a missing field)
            RedactedUrl ep = rpc.currentEndpoint();
            rpc.reportBadAnswer(method, RpcErrorKind.BAD_RESPONSE, String.valueOf(e.getMessage()));
            throw new TransientIngestException("chain " + config.chain().name() + ": " + what + ": the answer of " + ep + " does not decode: "
                + ep.scrub(String.valueOf(e.getMessage())), e);
        }
    }

    public String describe() {
        return config.chain().name() + " via " + rpc.endpoints() + " (" + config.traceMode().name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public void close() {
        rpc.close();
    }
}
