package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.evm.BlockAssembler;
import io.taintwatch.ingest.evm.EvmLog;
import io.taintwatch.ingest.evm.EvmTx;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Hash32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Joins a JSON-RPC block, its receipts and its traces into a block record (legs in chain order). */
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
    public AssembledBlock extract(RpcBlock block, List<RpcReceipt> receipts, List<InternalTransfer> internals, List<Balance> balances) {
        long n = block.numberValue();
        List<RpcTransaction> txs = block.transactionsOrEmpty();
        if (receipts.size() != txs.size()) {
            throw new InconsistentBlockDataException("block " + n + ": " + receipts.size() + " receipts for " + txs.size() + " transactions");
        }
        Map<String, RpcReceipt> byHash = new HashMap<>();
        for (RpcReceipt r : receipts) {
            byHash.put(r.transactionHash().toLowerCase(java.util.Locale.ROOT), r);
        }
        List<EvmTx> evmTxs = new ArrayList<>(txs.size());
        List<EvmLog> logs = new ArrayList<>();
        for (RpcTransaction t : txs) {
            RpcReceipt r = byHash.get(t.hash().toLowerCase(java.util.Locale.ROOT));
            if (r == null) {
                throw new InconsistentBlockDataException("block " + n + ": no receipt for tx " + t.hash());
            }
            evmTxs.add(new EvmTx(t.index(), Hash32.parse(t.hash()), Address.parse(t.from()),
                t.to() == null ? null : Address.parse(t.to()), t.valueWei(), r.success(),
                r.contractAddress() == null ? null : Address.parse(r.contractAddress()),
                Quantity.big(r.gasUsed()),
                r.effectiveGasPrice() != null ? Quantity.big(r.effectiveGasPrice()) : Quantity.big(t.gasPrice()),
                Quantity.big(r.blobGasUsed()), Quantity.big(r.blobGasPrice())));
            for (RpcLog l : r.logsOrEmpty()) {
                logs.add(l.toEvmLog());
            }
        }
        return assembler.assemble(block.header(), evmTxs, logs, List.of(), internals, balances);
    }

    /** Transaction hashes by index, for tracers that do not name them. */
    public static List<Hash32> txHashes(RpcBlock block) {
        List<Hash32> out = new ArrayList<>();
        for (RpcTransaction t : block.transactionsOrEmpty()) {
            out.add(Hash32.parse(t.hash()));
        }
        return out;
    }
}
