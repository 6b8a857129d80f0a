package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.BlockBatch;
import io.taintwatch.ingest.ChainSource;
import io.taintwatch.ingest.TokenMetadata;
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
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthGetBlockReceipts;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The EVM {@link ChainSource}, speaking JSON-RPC through web3j's request and response types over the ingest's own
 * transport ({@link JsonRpcClient}): per range, batched {@code eth_getBlockByNumber} (full transactions), then
 * {@code eth_getBlockReceipts} (falling back to per-transaction {@code eth_getTransactionReceipt} on nodes without
 * it), then traces ({@code callTracer} or {@code trace_block}), optional end-of-block balances, and the metadata of the
 * tokens the range moves (returned with the blocks, so that the sink publishes both in one transaction).
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
    private final Web3j web3j;
    private final IngestMetrics metrics;
    private final RpcBlockExtractor extractor;
    private final TraceDecoder traces;
    private final BalanceReader balances;
    private final TokenMetadataReader tokens;
    private volatile boolean blockReceipts = true;
    /** Blocks another endpoint must be ahead before we leave the current one: one apart is ordinary propagation. */
    static final int LAG_SWITCH_BLOCKS = 2;
    private long lastHead = -1;
    private CompletableFuture<List<EthBlockNumber>> headProbe;

    /** The source closes {@code rpc} when it is closed. */
    public EvmRpcSource(EvmChainConfig config, JsonRpcClient rpc, IngestMetrics metrics) {
        this.config = config;
        this.rpc = rpc;
        this.web3j = Web3j.build(rpc);
        this.metrics = metrics;
        this.extractor = new RpcBlockExtractor(new BlockAssembler(config.chain(), new LogDecoder(config.wethContracts())));
        this.traces = new TraceDecoder(JsonRpcClient.mapper());
        this.balances = new BalanceReader(web3j, rpc);
        this.tokens = new TokenMetadataReader(config.chain(), web3j, rpc);
    }

    @Override
    public long latest() {
        return guarded("eth_blockNumber", "eth_blockNumber", () -> {
            long head = Quantity.asLong(require(rpc.batch(List.of(web3j.ethBlockNumber())).get(0)).getResult());
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
        CompletableFuture<List<EthBlockNumber>> probe = headProbe;
        if (probe != null && probe.isDone()) {
            headProbe = null;
            List<EthBlockNumber> heads = probe.join();
            int best = -1;
            long bestHead = head;
            for (int i = 0; i < heads.size(); i++) {
                if (heads.get(i) == null) {
                    continue;
                }
                long h;
                try {
                    h = Quantity.asLong(heads.get(i).getResult());
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
            headProbe = rpc.probeAll(web3j.ethBlockNumber());
        }
        return head;
    }

    @Override
    public OptionalLong finalized() {
        return guarded("eth_getBlockByNumber", "eth_getBlockByNumber(finalized)", () -> {
            RpcResult<EthBlock> r = rpc.batch(List.of(web3j.ethGetBlockByNumber(DefaultBlockParameterName.FINALIZED, false))).get(0);
            if (!r.ok() || r.response().getBlock() == null) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(RpcBlockExtractor.number(r.response().getBlock()));
        });
    }

    @Override
    public BlockBatch fetch(long from, long to) {
        return guarded("eth_getBlockByNumber", "blocks " + from + ".." + to, () -> fetchRange(from, to));
    }

    private BlockBatch fetchRange(long from, long to) {
        List<Request<?, EthBlock>> calls = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            calls.add(web3j.ethGetBlockByNumber(at(n), true));
        }
        List<EthBlock.Block> blocks = new ArrayList<>();
        List<RedactedUrl> sentBy = new ArrayList<>();
        for (RpcResult<EthBlock> r : rpc.batch(calls)) {
            EthBlock.Block b = require(r).getBlock();
            long n = from + blocks.size();
            if (b == null) {
                // the head this endpoint reported covers the block: a node behind a load balancer, or one still syncing
                throw new InconsistentBlockDataException("endpoint " + r.endpoint() + " has no block " + n + " below the head it reported",
                    RpcErrorKind.LAGGING, r.endpoint());
            }
            // every header field must decode before the block is trusted
            long number = decode(r, "block " + n, x -> RpcBlockExtractor.header(b).number());
            if (number != n) {
                throw new InconsistentBlockDataException("asked for block " + n + ", got block " + number, RpcErrorKind.INCONSISTENT, r.endpoint());
            }
            if (!blocks.isEmpty() && !Hash32.parse(b.getParentHash()).equals(Hash32.parse(blocks.get(blocks.size() - 1).getHash()))) {
                // one of the two answers is wrong; the earlier one's hash is what is in question
                throw new InconsistentBlockDataException("block " + n + " has parent hash " + b.getParentHash() + " but block " + (n - 1)
                    + " came with hash " + blocks.get(blocks.size() - 1).getHash(), RpcErrorKind.INCONSISTENT, sentBy.get(sentBy.size() - 1));
            }
            blocks.add(b);
            sentBy.add(r.endpoint());
        }
        verifyLastHash(blocks.get(blocks.size() - 1), sentBy.get(sentBy.size() - 1));
        List<List<TransactionReceipt>> receipts = receipts(blocks);
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
        if (!config.tokenMetadata()) {
            return BlockBatch.of(out);
        }
        List<TokenMetadata> meta = new ArrayList<>();
        meta.add(new TokenMetadata(config.chain(), null, config.nativeSymbol(), config.nativeSymbol(), config.nativeDecimals()));
        meta.addAll(tokens.read(tokenContracts, to));
        return new BlockBatch(out, meta);
    }

    private static DefaultBlockParameter at(long n) {
        return DefaultBlockParameter.valueOf(BigInteger.valueOf(n));
    }

    /**
     * Inside the range each hash is vouched for by the next block's parent hash; the last one has no successor yet, and
     * it becomes the checkpoint the next range must extend. So ask the node for that block by its hash: a hash garbled
     * on the way, or from a fork the node no longer has, is caught here instead of being published.
     */
    private void verifyLastHash(EthBlock.Block last, RedactedUrl sentBy) {
        RpcResult<EthBlock> r = rpc.batch(List.of(web3j.ethGetBlockByHash(last.getHash(), false))).get(0);
        EthBlock.Block byHash = require(r).getBlock();
        long number = RpcBlockExtractor.number(last);
        if (byHash == null) {
            throw new InconsistentBlockDataException("block " + number + " came with hash " + last.getHash()
                + ", which the node does not know by hash", RpcErrorKind.INCONSISTENT, sentBy);
        }
        // without full transactions: the header fields are all we compare
        boolean same = decode(r, "block by hash " + last.getHash(), x -> RpcBlockExtractor.number(byHash) == number
            && Hash32.parse(byHash.getHash()).equals(Hash32.parse(last.getHash()))
            && Hash32.parse(byHash.getParentHash()).equals(Hash32.parse(last.getParentHash())));
        if (!same) {
            throw new InconsistentBlockDataException("block " + number + " (hash " + last.getHash() + ", parent " + last.getParentHash()
                + ") does not match the node's block by that hash (number " + byHash.getNumberRaw() + ", hash " + byHash.getHash() + ", parent "
                + byHash.getParentHash() + ")", RpcErrorKind.INCONSISTENT, sentBy);
        }
    }

    /** Decodes one answer; a value that does not decode is held against the endpoint that sent it. */
    private <T> T decode(RpcResult<?> r, String what, Function<RpcResult<?>, T> f) {
        try {
            return f.apply(r);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InconsistentBlockDataException(what + " from " + r.endpoint() + " does not decode: "
                + (r.endpoint() == null ? e.getMessage() : r.endpoint().scrub(String.valueOf(e.getMessage()))), RpcErrorKind.BAD_RESPONSE, r.endpoint());
        }
    }

    private List<List<TransactionReceipt>> receipts(List<EthBlock.Block> blocks) {
        if (blockReceipts) {
            List<Request<?, EthGetBlockReceipts>> calls = new ArrayList<>();
            for (EthBlock.Block b : blocks) {
                calls.add(web3j.ethGetBlockReceipts(at(RpcBlockExtractor.number(b))));
            }
            List<RpcResult<EthGetBlockReceipts>> rs = rpc.batch(calls);
            if (rs.stream().anyMatch(r -> !r.ok() && RpcError.methodNotFound(r.error()))) {
                log.warn("chain {}: node has no eth_getBlockReceipts; falling back to eth_getTransactionReceipt per transaction", config.chain().name());
                blockReceipts = false;
            } else {
                List<List<TransactionReceipt>> out = new ArrayList<>();
                for (int i = 0; i < rs.size(); i++) {
                    RpcResult<EthGetBlockReceipts> r = rs.get(i);
                    List<TransactionReceipt> list = require(r).getResult();
                    if (list == null) {
                        throw new InconsistentBlockDataException("endpoint " + r.endpoint() + " has no receipts for block "
                            + RpcBlockExtractor.number(blocks.get(i)), RpcErrorKind.LAGGING, r.endpoint());
                    }
                    checkSameBlock(blocks.get(i), list, r.endpoint());
                    out.add(list);
                }
                return out;
            }
        }
        List<Request<?, EthGetTransactionReceipt>> calls = new ArrayList<>();
        for (EthBlock.Block b : blocks) {
            for (EthBlock.TransactionObject t : RpcBlockExtractor.transactions(b)) {
                calls.add(web3j.ethGetTransactionReceipt(t.getHash()));
            }
        }
        List<RpcResult<EthGetTransactionReceipt>> rs = rpc.batch(calls);
        List<List<TransactionReceipt>> out = new ArrayList<>();
        int k = 0;
        for (EthBlock.Block b : blocks) {
            List<TransactionReceipt> list = new ArrayList<>();
            for (int j = 0; j < RpcBlockExtractor.transactions(b).size(); j++) {
                RpcResult<EthGetTransactionReceipt> r = rs.get(k++);
                TransactionReceipt receipt = require(r).getResult();
                if (receipt == null) {
                    throw new InconsistentBlockDataException("endpoint " + r.endpoint() + " has no receipt for a tx in block "
                        + RpcBlockExtractor.number(b), RpcErrorKind.LAGGING, r.endpoint());
                }
                list.add(receipt);
            }
            checkSameBlock(b, list, null);
            out.add(list);
        }
        return out;
    }

    private void checkSameBlock(EthBlock.Block b, List<TransactionReceipt> receipts, RedactedUrl sentBy) {
        for (TransactionReceipt r : receipts) {
            if (r.getBlockHash() != null && !r.getBlockHash().equalsIgnoreCase(b.getHash())) {
                throw new InconsistentBlockDataException("chain " + config.chain().name() + " block " + RpcBlockExtractor.number(b) + ": receipt of "
                    + r.getTransactionHash() + " is from block " + r.getBlockHash() + ", not " + b.getHash() + " (reorg while fetching)",
                    RpcErrorKind.INCONSISTENT, sentBy);
            }
        }
    }

    private List<List<InternalTransfer>> traces(List<EthBlock.Block> blocks) {
        if (config.traceMode() == TraceMode.NONE) {
            return null;
        }
        boolean callTracer = config.traceMode() == TraceMode.CALL_TRACER;
        List<Request<?, ? extends org.web3j.protocol.core.Response<?>>> calls = new ArrayList<>();
        for (EthBlock.Block b : blocks) {
            String number = b.getNumberRaw();
            calls.add(callTracer
                ? new Request<>("debug_traceBlockByNumber", List.of(number, CALL_TRACER), rpc, DebugTraceBlock.class)
                : new Request<>("trace_block", List.of(number), rpc, TraceBlock.class));
        }
        List<RpcResult<org.web3j.protocol.core.Response<?>>> rs = rpc.batch(calls);
        List<List<InternalTransfer>> out = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            EthBlock.Block b = blocks.get(i);
            long n = RpcBlockExtractor.number(b);
            Object result = require(rs.get(i)).getResult();
            if (result == null) {
                throw new InconsistentBlockDataException("endpoint " + rs.get(i).endpoint() + " has no traces for block " + n,
                    RpcErrorKind.LAGGING, rs.get(i).endpoint());
            }
            ExtractionStats stats = new ExtractionStats();
            if (callTracer) {
                List<TxTrace> ts = ((DebugTraceBlock) rs.get(i).response()).getResult();
                List<Hash32> hashes = RpcBlockExtractor.txHashes(b);
                if (ts.size() != hashes.size()) {
                    throw new InconsistentBlockDataException("block " + n + ": " + ts.size() + " traces for " + hashes.size() + " transactions");
                }
                for (int j = 0; j < ts.size(); j++) {
                    if (ts.get(j).txHash() != null && !Hash32.parse(ts.get(j).txHash()).equals(hashes.get(j))) {
                        throw new InconsistentBlockDataException("block " + n + ": trace " + j + " is for tx " + ts.get(j).txHash()
                            + ", not " + hashes.get(j) + " (reorg while fetching)");
                    }
                }
                out.add(traces.fromCallTracer(n, ts, hashes, stats));
            } else {
                out.add(traces.fromParity(n, ((TraceBlock) rs.get(i).response()).getResult(), stats));
            }
        }
        return out;
    }

    /** A per-call JSON-RPC error here is permanent unless it says otherwise (the client already retried rate limits). */
    private <T extends org.web3j.protocol.core.Response<?>> T require(RpcResult<T> r) {
        if (!r.ok()) {
            String method = r.method();
            boolean trace = method.equals("debug_traceBlockByNumber") || method.equals("trace_block");
            String hint = RpcError.methodNotFound(r.error()) ? " (the node does not offer this method" + (trace ? "; for traces set traceMode to "
                + (config.traceMode() == TraceMode.CALL_TRACER ? "TRACE_BLOCK or NONE" : "CALL_TRACER or NONE") : "") + ")" : "";
            RedactedUrl ep = r.endpoint() == null ? rpc.currentEndpoint() : r.endpoint();
            boolean retriable = RpcError.retriable(r.error());
            metrics.rpcError(method, ep.label(), retriable ? "retriable" : "permanent", RpcError.kind(r.error()).label());
            throw new RpcException("chain " + config.chain().name() + ": " + method + " " + ep.excerpt(String.valueOf(r.request().getParams()), 200)
                + " failed on " + ep + ": " + RpcError.describe(r.error(), ep) + hint, retriable, -1, -1, null, RpcError.kind(r.error()));
        }
        return r.response();
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
            rpc.reportBadAnswer(null, method, RpcErrorKind.BAD_RESPONSE, String.valueOf(e.getMessage()));
            throw new TransientIngestException("chain " + config.chain().name() + ": " + what + ": the answer of " + ep + " does not decode: "
                + ep.scrub(String.valueOf(e.getMessage())), e);
        }
    }

    public String describe() {
        return config.chain().name() + " via " + rpc.endpoints() + " (" + config.traceMode().name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public void close() {
        web3j.shutdown(); // closes the client
    }
}
