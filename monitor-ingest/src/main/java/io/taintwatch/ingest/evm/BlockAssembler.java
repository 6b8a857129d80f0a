package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link Block} record from source-neutral EVM data. Inside a transaction the sub-index order is fixed:
 * <ol>
 *   <li>the transaction's own native value, then a token it sends itself (Tron's TRC-10; successful transactions only),</li>
 *   <li>internal value transfers from successful trace frames, in call order (depth-first, as the tracer reports),</li>
 *   <li>token moves by log index (entries of one ERC-1155 batch in array order),</li>
 *   <li>the fee: burnt part (base fee + blob fee, to the zero address), then the priority part (to the fee recipient).</li>
 * </ol>
 * Zero-valued native, internal and fee legs are dropped (they move nothing); zero-valued token transfers are kept,
 * since they are real events (address-poisoning scams use them). A malformed log is skipped, counted and logged.
 */
public final class BlockAssembler {
    private static final Logger log = LoggerFactory.getLogger(BlockAssembler.class);

    private final ChainId chain;
    private final LogDecoder decoder;

    public BlockAssembler(ChainId chain, LogDecoder decoder) {
        this.chain = chain;
        this.decoder = decoder;
    }

    /**
     * @param txs         transactions with receipt data, or empty when the source has none
     * @param logs        raw logs to decode (may be empty)
     * @param decoded     token moves already decoded by the source (a token_transfers export), may be empty
     * @param internals   internal transfers from traces, or null when traces were not collected
     * @param balances    end-of-block balances, or null when not collected
     */
    public AssembledBlock assemble(BlockHeader header, List<EvmTx> txs, List<EvmLog> logs, List<TokenMove> decoded,
                                   List<InternalTransfer> internals, List<io.taintwatch.model.Balance> balances) {
        ExtractionStats stats = new ExtractionStats();
        TreeMap<Integer, TxParts> parts = new TreeMap<>();
        Map<Hash32, Integer> indexByHash = new HashMap<>();
        for (EvmTx tx : txs) {
            TxParts p = parts.computeIfAbsent(tx.index(), i -> new TxParts());
            if (p.tx != null) {
                throw new IllegalArgumentException("block " + header.number() + ": two transactions at index " + tx.index());
            }
            p.tx = tx;
            p.hash = tx.hash();
            indexByHash.put(tx.hash(), tx.index());
        }
        List<TokenMove> moves = new ArrayList<>(decoded);
        for (EvmLog l : logs) {
            try {
                moves.addAll(decoder.decode(l));
            } catch (MalformedLogException e) {
                stats.malformedLog();
                log.warn("block {} tx {} ({}) log {} from {}: skipped malformed log: {}", header.number(), l.txIndex(), l.txHash(),
                    l.logIndex(), l.address(), e.getMessage());
            }
        }
        Map<Hash32, Integer> synthetic = syntheticIndexes(header.number(), moves, indexByHash, txs.isEmpty());
        for (TokenMove m : moves) {
            int idx = m.txIndex() >= 0 ? m.txIndex() : synthetic.get(m.txHash());
            TxParts p = parts.computeIfAbsent(idx, i -> new TxParts());
            p.bindHash(header.number(), idx, m.txHash());
            p.moves.add(m);
        }
        if (internals != null) {
            for (InternalTransfer t : internals) {
                TxParts p = parts.computeIfAbsent(t.txIndex(), i -> new TxParts());
                if (t.txHash() != null) {
                    p.bindHash(header.number(), t.txIndex(), t.txHash());
                }
                p.internals.add(t);
            }
        }

        List<Leg> legs = new ArrayList<>();
        List<LegOrigin> origins = new ArrayList<>();
        for (Map.Entry<Integer, TxParts> e : parts.entrySet()) {
            int txIndex = e.getKey();
            TxParts p = e.getValue();
            if (p.hash == null) {
                throw new IllegalArgumentException("block " + header.number() + ": trace for tx index " + txIndex + " names no transaction hash and no transaction has that index");
            }
            Emitter out = new Emitter(header.number(), txIndex, p.hash, legs, origins, stats);
            EvmTx tx = p.tx;
            boolean failed = tx != null && Boolean.FALSE.equals(tx.success());
            if (tx != null) {
                if (tx.success() == null) {
                    stats.unknownStatusTx();
                }
                if (!failed && tx.value() != null && tx.value().signum() > 0) {
                    Address to = tx.to() != null ? tx.to() : tx.createdContract();
                    if (to == null) {
                        log.warn("block {} tx {} ({}): contract creation carrying {} wei without a receipt naming the contract; native leg skipped",
                            header.number(), txIndex, p.hash, tx.value());
                    } else {
                        out.emit(LegKind.NATIVE, tx.from(), to, Asset.NATIVE, tx.value(), LegOrigin.txValue());
                    }
                }
                EvmTx.TokenValue tv = tx.tokenValue();
                if (!failed && tv != null && tv.amount().signum() > 0) {
                    Address to = tx.to() != null ? tx.to() : tx.createdContract();
                    if (to == null) {
                        throw new IllegalArgumentException("block " + header.number() + " tx " + txIndex + " (" + p.hash + "): sends "
                            + tv.amount() + " of " + tv.asset() + " but names no receiver");
                    }
                    out.emit(LegKind.TRC10, tx.from(), to, tv.asset(), tv.amount(), LegOrigin.txValue());
                }
            }
            if (!failed) {
                for (InternalTransfer t : p.internals) {
                    if (t.value().signum() > 0) {
                        out.emit(LegKind.INTERNAL, t.from(), t.to(), t.asset(), t.value(), LegOrigin.trace(t.traceAddress()));
                    }
                }
                p.moves.sort(Comparator.comparingInt(TokenMove::logIndex).thenComparingInt(TokenMove::batchIndex));
                for (TokenMove m : p.moves) {
                    out.emit(m.kind(), m.from(), m.to(), m.asset(), m.amount(), LegOrigin.log(m.logIndex(), m.batchIndex()));
                }
            }
            if (tx != null && tx.gasUsed() != null && tx.effectiveGasPrice() != null) {
                BigInteger total = tx.gasUsed().multiply(tx.effectiveGasPrice());
                BigInteger burnt = header.baseFee() == null ? BigInteger.ZERO : tx.gasUsed().multiply(header.baseFee()).min(total);
                BigInteger tip = total.subtract(burnt);
                if (tx.blobGasUsed() != null && tx.blobGasPrice() != null) {
                    burnt = burnt.add(tx.blobGasUsed().multiply(tx.blobGasPrice()));
                }
                if (burnt.signum() > 0) {
                    out.emit(LegKind.FEE, tx.from(), Address.ZERO, Asset.NATIVE, burnt, LegOrigin.fee(true));
                }
                if (tip.signum() > 0) {
                    if (header.miner() == null) {
                        throw new IllegalArgumentException("block " + header.number() + ": fee legs need the block's fee recipient (miner)");
                    }
                    out.emit(LegKind.FEE, tx.from(), header.miner(), Asset.NATIVE, tip, LegOrigin.fee(false));
                }
            }
        }
        Block block = new Block(chain, header.number(), header.hash(), header.parentHash(), header.timestamp(), legs, balances);
        return new AssembledBlock(block, origins, stats);
    }

    /**
     * A transfers-only export has no transaction index: number the transactions in order of their first log
     * (log indexes follow transaction order within a block), which keeps chain order though not the real index.
     */
    private static Map<Hash32, Integer> syntheticIndexes(long block, List<TokenMove> moves, Map<Hash32, Integer> known, boolean noTxs) {
        Map<Hash32, Integer> firstLog = new LinkedHashMap<>();
        for (TokenMove m : moves) {
            if (m.txIndex() < 0) {
                Integer k = known.get(m.txHash());
                if (k == null && !noTxs) {
                    throw new IllegalArgumentException("block " + block + ": token transfer at log " + m.logIndex() + " names tx " + m.txHash() + ", which is not among the block's transactions");
                }
                firstLog.merge(m.txHash(), m.logIndex(), Math::min);
            }
        }
        Map<Hash32, Integer> out = new HashMap<>();
        if (noTxs) {
            List<Map.Entry<Hash32, Integer>> order = new ArrayList<>(firstLog.entrySet());
            order.sort(Map.Entry.comparingByValue());
            for (int i = 0; i < order.size(); i++) {
                out.put(order.get(i).getKey(), i);
            }
        } else {
            firstLog.keySet().forEach(h -> out.put(h, known.get(h)));
        }
        return out;
    }

    private static final class TxParts {
        EvmTx tx;
        Hash32 hash;
        final List<InternalTransfer> internals = new ArrayList<>();
        final List<TokenMove> moves = new ArrayList<>();

        void bindHash(long block, int index, Hash32 h) {
            if (hash == null) {
                hash = h;
            } else if (!hash.equals(h)) {
                throw new IllegalArgumentException("block " + block + ": tx index " + index + " is claimed by two hashes " + hash + " and " + h);
            }
        }
    }

    private static final class Emitter {
        private final long block;
        private final int txIndex;
        private final Hash32 hash;
        private final List<Leg> legs;
        private final List<LegOrigin> origins;
        private final ExtractionStats stats;
        private int sub;

        Emitter(long block, int txIndex, Hash32 hash, List<Leg> legs, List<LegOrigin> origins, ExtractionStats stats) {
            this.block = block;
            this.txIndex = txIndex;
            this.hash = hash;
            this.legs = legs;
            this.origins = origins;
            this.stats = stats;
        }

        void emit(LegKind kind, Address from, Address to, Asset asset, BigInteger amount, LegOrigin origin) {
            legs.add(new Leg(new Position(block, txIndex, sub++), kind, hash, from, to, asset, amount));
            origins.add(origin);
            stats.leg(kind);
        }
    }
}
