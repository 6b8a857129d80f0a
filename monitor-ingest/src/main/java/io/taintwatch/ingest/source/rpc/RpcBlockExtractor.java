package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.evm.BlockAssembler;
import io.taintwatch.ingest.evm.BlockHeader;
import io.taintwatch.ingest.evm.EvmLog;
import io.taintwatch.ingest.evm.EvmTx;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Joins a JSON-RPC block, its receipts and its traces (web3j's response types) into a block record, legs in chain
 * order. Quantities are read from the raw hex through {@link Quantity}, which refuses signed or over-long values that
 * web3j's own getters would accept.
 */
public final class RpcBlockExtractor {
    private final BlockAssembler assembler;

    public RpcBlockExtractor(BlockAssembler assembler) {
        this.assembler = assembler;
    }

    /**
     * @param internals internal transfers from the block's traces, or null when tracing is off
     * @param balances  end-of-block balances, or null when not collected
     * @throws InconsistentBlockDataException when the receipts do not belong to the block's transactions (a node
     *         answering from two different views of the chain, typically during a reorg)
     */
    public AssembledBlock extract(EthBlock.Block block, List<TransactionReceipt> receipts, List<InternalTransfer> internals,
                                  List<Balance> balances) {
        long n = number(block);
        List<EthBlock.TransactionObject> txs = transactions(block);
        if (receipts.size() != txs.size()) {
            throw new InconsistentBlockDataException("block " + n + ": " + receipts.size() + " receipts for " + txs.size() + " transactions");
        }
        Map<String, TransactionReceipt> byHash = new HashMap<>();
        for (TransactionReceipt r : receipts) {
            byHash.put(r.getTransactionHash().toLowerCase(Locale.ROOT), r);
        }
        List<EvmTx> evmTxs = new ArrayList<>(txs.size());
        List<EvmLog> logs = new ArrayList<>();
        for (EthBlock.TransactionObject t : txs) {
            TransactionReceipt r = byHash.get(t.getHash().toLowerCase(Locale.ROOT));
            if (r == null) {
                throw new InconsistentBlockDataException("block " + n + ": no receipt for tx " + t.getHash());
            }
            evmTxs.add(new EvmTx((int) Quantity.asLong(t.getTransactionIndexRaw()), Hash32.parse(t.getHash()), Address.parse(t.getFrom()),
                t.getTo() == null ? null : Address.parse(t.getTo()), value(t), success(r),
                r.getContractAddress() == null ? null : Address.parse(r.getContractAddress()),
                Quantity.big(r.getGasUsedRaw()),
                r.getEffectiveGasPrice() != null ? Quantity.big(r.getEffectiveGasPrice()) : Quantity.big(t.getGasPriceRaw()),
                Quantity.big(r.getBlobGasUsed()), Quantity.big(r.getBlobGasPrice())));
            if (r.getLogs() != null) {
                for (Log l : r.getLogs()) {
                    logs.add(evmLog(l));
                }
            }
        }
        return assembler.assemble(header(block), evmTxs, logs, List.of(), internals, balances);
    }

    /** The block's number, strictly decoded. */
    public static long number(EthBlock.Block block) {
        return Quantity.asLong(block.getNumberRaw());
    }

    /** The header fields a block record needs; every one must decode before the block is trusted. */
    public static BlockHeader header(EthBlock.Block b) {
        return new BlockHeader(number(b), Hash32.parse(b.getHash()), Hash32.parse(b.getParentHash()), Quantity.asLong(b.getTimestampRaw()),
            b.getMiner() == null ? null : Address.parse(b.getMiner()), Quantity.big(b.getBaseFeePerGasRaw()));
    }

    /** The full transaction objects of a block fetched with {@code eth_getBlockByNumber(n, true)}. */
    public static List<EthBlock.TransactionObject> transactions(EthBlock.Block block) {
        List<EthBlock.TransactionResult> txs = block.getTransactions();
        if (txs == null) {
            return List.of();
        }
        List<EthBlock.TransactionObject> out = new ArrayList<>(txs.size());
        for (EthBlock.TransactionResult t : txs) {
            if (!(t instanceof EthBlock.TransactionObject o)) {
                throw new IllegalArgumentException("block " + block.getNumberRaw() + " came with transaction hashes, not transaction objects");
            }
            out.add(o);
        }
        return out;
    }

    /** Transaction hashes by index, for tracers that do not name them. */
    public static List<Hash32> txHashes(EthBlock.Block block) {
        List<Hash32> out = new ArrayList<>();
        for (EthBlock.TransactionObject t : transactions(block)) {
            out.add(Hash32.parse(t.getHash()));
        }
        return out;
    }

    static BigInteger value(Transaction t) {
        return t.getValueRaw() == null ? BigInteger.ZERO : Quantity.big(t.getValueRaw());
    }

    /** True/false from the post-Byzantium status field; null for pre-Byzantium receipts (state root instead). */
    static Boolean success(TransactionReceipt r) {
        return r.getStatus() == null ? null : Quantity.big(r.getStatus()).signum() != 0;
    }

    /** A log as the source-neutral decoder takes it. */
    public static EvmLog evmLog(Log l) {
        List<String> topics = l.getTopics();
        List<Hash32> t = topics == null ? List.of() : topics.stream().map(Hash32::parse).toList();
        return new EvmLog((int) Quantity.asLong(l.getTransactionIndexRaw()), Hash32.parse(l.getTransactionHash()),
            (int) Quantity.asLong(l.getLogIndexRaw()), Address.parse(l.getAddress()), t, l.getData() == null ? new byte[0] : Hex.decode(l.getData()));
    }
}
