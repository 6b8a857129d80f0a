package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.ingest.evm.ExtractionStats;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Extracts internal value transfers from traces. Only nested frames count (the top-level frame's value is the
 * transaction's native leg); only {@code CALL}, {@code CREATE}/{@code CREATE2} and {@code SELFDESTRUCT} move value
 * ({@code DELEGATECALL}/{@code CALLCODE} run code in the caller's context and {@code STATICCALL} cannot carry value);
 * a frame with an error moves nothing and neither do any of its descendants, since the revert undoes them.
 */
public final class TraceDecoder {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TraceDecoder.class);
    private final ObjectMapper mapper;

    public TraceDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * From {@code debug_traceBlockByNumber} with {@code callTracer}: entry i is transaction index i.
     * @param txHashes transaction hashes by index (from the block), used when entries do not carry {@code txHash}
     */
    public List<InternalTransfer> fromCallTracer(long block, List<TxTrace> entries, List<Hash32> txHashes, ExtractionStats stats) {
        List<InternalTransfer> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            TxTrace e = entries.get(i);
            Hash32 hash = txHash(block, i, e, txHashes);
            if (e.result() == null || e.result().isNull()) {
                throw new IllegalStateException("block " + block + " tx " + i + ": the tracer returned no result" + (e.error() == null ? "" : ": " + e.error()));
            }
            CallFrame root;
            try {
                root = mapper.treeToValue(e.result(), CallFrame.class);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("block " + block + " tx " + i + ": callTracer result is not a call frame: " + ex.getOriginalMessage(), ex);
            }
            if (root.error() != null) {
                continue;
            }
            List<CallFrame> calls = root.callsOrEmpty();
            for (int c = 0; c < calls.size(); c++) {
                walk(calls.get(c), String.valueOf(c), i, hash, out, stats, block);
            }
        }
        return out;
    }

    private void walk(CallFrame f, String path, int txIndex, Hash32 hash, List<InternalTransfer> out, ExtractionStats stats, long block) {
        if (f.error() != null) {
            return;
        }
        String type = f.type() == null ? "" : f.type().toUpperCase(Locale.ROOT);
        BigInteger value = Quantity.big(f.value());
        if (movesValue(type) && (f.from() == null || f.to() == null || value == null)) {
            // old geth versions report SELFDESTRUCT frames without beneficiary or value: the move cannot be known
            stats.incompleteTraceFrame();
            log.warn("block {} tx {} frame {}: {} frame without from/to/value; its value transfer (if any) is not extracted", block, txIndex, path, type);
        } else if (movesValue(type) && value.signum() > 0) {
            out.add(new InternalTransfer(txIndex, hash, path, type, Address.parse(f.from()), Address.parse(f.to()), value));
        }
        List<CallFrame> calls = f.callsOrEmpty();
        for (int c = 0; c < calls.size(); c++) {
            walk(calls.get(c), path + "." + c, txIndex, hash, out, stats, block);
        }
    }

    private static boolean movesValue(String upperType) {
        return switch (upperType) {
            case "CALL", "CREATE", "CREATE2", "SELFDESTRUCT", "SUICIDE" -> true;
            default -> false;
        };
    }

    /** From {@code debug_traceBlockByNumber} with {@code flatCallTracer}: each entry holds parity-style traces. */
    public List<InternalTransfer> fromFlatCallTracer(long block, List<TxTrace> entries, List<Hash32> txHashes, ExtractionStats stats) {
        List<ParityTrace> all = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            TxTrace e = entries.get(i);
            Hash32 hash = txHash(block, i, e, txHashes);
            if (e.result() == null || !e.result().isArray()) {
                throw new IllegalStateException("block " + block + " tx " + i + ": flatCallTracer returned no trace array" + (e.error() == null ? "" : ": " + e.error()));
            }
            for (JsonNode n : e.result()) {
                try {
                    ParityTrace t = mapper.treeToValue(n, ParityTrace.class);
                    all.add(new ParityTrace(t.type(), t.action(), t.result(), t.error(), t.traceAddress(),
                        hash == null ? t.transactionHash() : hash.toString(), i));
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException("block " + block + " tx " + i + ": bad flatCallTracer entry: " + ex.getOriginalMessage(), ex);
                }
            }
        }
        return fromParity(block, all, stats);
    }

    /** From {@code trace_block}: traces in execution order, grouped by {@code transactionPosition}. */
    public List<InternalTransfer> fromParity(long block, List<ParityTrace> traces, ExtractionStats stats) {
        List<InternalTransfer> out = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (ParityTrace t : traces) {
            String type = t.type() == null ? "" : t.type().toLowerCase(Locale.ROOT);
            if ("reward".equals(type) || t.transactionPosition() == null) {
                stats.skippedTraceFrame();
                continue;
            }
            List<Integer> addr = t.traceAddress() == null ? List.of() : t.traceAddress();
            String key = t.transactionPosition() + ":" + join(addr);
            if (t.error() != null || ancestorFailed(t.transactionPosition(), addr, failed)) {
                failed.add(key);
                continue;
            }
            if (addr.isEmpty()) {
                continue; // top-level frame: the transaction's own value
            }
            ParityTrace.Action a = t.action();
            Address from;
            Address to;
            BigInteger value;
            switch (type) {
                case "call" -> {
                    if (a.callType() != null && !"call".equalsIgnoreCase(a.callType())) {
                        continue;
                    }
                    from = Address.parse(a.from());
                    to = Address.parse(a.to());
                    value = Quantity.big(a.value());
                }
                case "create" -> {
                    if (t.result() == null || t.result().address() == null) {
                        failed.add(key);
                        continue;
                    }
                    from = Address.parse(a.from());
                    to = Address.parse(t.result().address());
                    value = Quantity.big(a.value());
                }
                case "suicide", "selfdestruct" -> {
                    from = Address.parse(a.address());
                    to = Address.parse(a.refundAddress());
                    value = Quantity.big(a.balance());
                }
                default -> {
                    stats.skippedTraceFrame();
                    continue;
                }
            }
            if (value != null && value.signum() > 0) {
                Hash32 hash = t.transactionHash() == null ? null : Hash32.parse(t.transactionHash());
                out.add(new InternalTransfer(t.transactionPosition(), hash, join(addr), type.toUpperCase(Locale.ROOT), from, to, value));
            }
        }
        return out;
    }

    private static boolean ancestorFailed(int tx, List<Integer> addr, Set<String> failed) {
        if (failed.isEmpty()) {
            return false;
        }
        for (int len = 0; len < addr.size(); len++) {
            if (failed.contains(tx + ":" + join(addr.subList(0, len)))) {
                return true;
            }
        }
        return false;
    }

    private static String join(List<Integer> addr) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < addr.size(); i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(addr.get(i));
        }
        return sb.toString();
    }

    private static Hash32 txHash(long block, int i, TxTrace e, List<Hash32> txHashes) {
        if (e.txHash() != null) {
            return Hash32.parse(e.txHash());
        }
        if (txHashes == null) {
            return null;
        }
        if (i >= txHashes.size()) {
            throw new IllegalStateException("block " + block + ": tracer returned " + (i + 1) + "+ results for " + txHashes.size() + " transactions");
        }
        return txHashes.get(i);
    }
}
