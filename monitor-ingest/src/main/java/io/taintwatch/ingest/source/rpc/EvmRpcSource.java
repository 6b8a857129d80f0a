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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EVM {@link ChainSource}: per range, batched {@code eth_getBlockByNumber} (full transactions), then
 * {@code eth_getBlockReceipts} (falling back to per-transaction {@code eth_getTransactionReceipt} on nodes without
 * it), then traces ({@code callTracer} or {@code trace_block}), optional end-of-block balances and token metadata.
 * Checks that receipts belong to the fetched block. Retriable RPC failures surface as {@link TransientIngestException}.
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
        return guarded("eth_blockNumber", () -> Quantity.asLong(rpc.call("eth_blockNumber").asText()));
    }

    @Override
    public OptionalLong finalized() {
        return guarded("eth_getBlockByNumber(finalized)", () -> {
            RpcResult r = rpc.batch(List.of(RpcCall.of("eth_getBlockByNumber", "finalized", false))).get(0);
            if (!r.ok() || r.result() == null || r.result().isNull()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Quantity.asLong(r.result().get("number").asText()));
        });
    }

    @Override
    public List<Block> fetch(long from, long to) {
        return guarded("blocks " + from + ".." + to, () -> fetchRange(from, to));
    }

    private List<Block> fetchRange(long from, long to) {
        List<RpcCall> calls = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            calls.add(RpcCall.of("eth_getBlockByNumber", Quantity.hex(n), true));
        }
        List<RpcBlock> blocks = new ArrayList<>();
        for (RpcResult r : rpc.batch(calls)) {
            JsonNode res = requireResult(r);
            if (res == null || res.isNull()) {
                throw new TransientIngestException("chain " + config.chain().name() + ": node does not have block " + r.call().params().get(0) + " yet", null);
            }
            blocks.add(mapper.convertValue(res, RpcBlock.class));
        }
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
                        throw new TransientIngestException("chain " + config.chain().name() + ": no receipts for block " + blocks.get(i).numberValue() + " yet", null);
                    }
                    List<RpcReceipt> list = mapper.convertValue(res, new TypeReference<>() {});
                    checkSameBlock(blocks.get(i), list);
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
                JsonNode res = requireResult(rs.get(k++));
                if (res == null || res.isNull()) {
                    throw new TransientIngestException("chain " + config.chain().name() + ": receipt of a tx in block " + b.numberValue() + " not available", null);
                }
                list.add(mapper.convertValue(res, RpcReceipt.class));
            }
            checkSameBlock(b, list);
            out.add(list);
        }
        return out;
    }

    private void checkSameBlock(RpcBlock b, List<RpcReceipt> receipts) {
        for (RpcReceipt r : receipts) {
            if (r.blockHash() != null && !r.blockHash().equalsIgnoreCase(b.hash())) {
                throw new InconsistentBlockDataException("chain " + config.chain().name() + " block " + b.numberValue() + ": receipt of "
                    + r.transactionHash() + " is from block " + r.blockHash() + ", not " + b.hash() + " (reorg while fetching)");
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
            ExtractionStats stats = new ExtractionStats();
            if (config.traceMode() == TraceMode.CALL_TRACER) {
                List<TxTrace> ts = mapper.convertValue(res, new TypeReference<>() {});
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
                List<ParityTrace> ts = mapper.convertValue(res, new TypeReference<>() {});
                out.add(traces.fromParity(b.numberValue(), ts, stats));
            }
        }
        return out;
    }

    /** A per-call JSON-RPC error here is permanent unless it says otherwise (the client already retried rate limits). */
    private JsonNode requireResult(RpcResult r) {
        if (!r.ok()) {
            String hint = r.error().methodNotFound() ? " (the node does not offer this method; for traces set traceMode to "
                + (config.traceMode() == TraceMode.CALL_TRACER ? "TRACE_BLOCK or NONE" : "CALL_TRACER or NONE") + ")" : "";
            throw new RpcException("chain " + config.chain().name() + ": " + r.call().method() + " " + r.call().params() + " failed: "
                + r.error() + hint, r.error().retriable(), -1, -1, null);
        }
        return r.result();
    }

    private interface Action<T> {
        T run();
    }

    private <T> T guarded(String what, Action<T> a) {
        try {
            return a.run();
        } catch (InconsistentBlockDataException e) {
            throw new TransientIngestException(e.getMessage(), e);
        } catch (RpcException e) {
            if (RpcErrorClassifier.retriable(e)) {
                throw new TransientIngestException("chain " + config.chain().name() + ": " + what + ": " + e.getMessage(), e);
            }
            throw new IllegalStateException("chain " + config.chain().name() + ": " + what + ": permanent RPC error: " + e.getMessage(), e);
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
