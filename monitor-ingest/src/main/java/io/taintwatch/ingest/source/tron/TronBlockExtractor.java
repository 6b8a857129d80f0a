package io.taintwatch.ingest.source.tron;

import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.evm.BlockAssembler;
import io.taintwatch.ingest.evm.BlockHeader;
import io.taintwatch.ingest.evm.EvmLog;
import io.taintwatch.ingest.evm.EvmTx;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.LogDecoder;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns one Tron block, as the JSON-RPC and HTTP views of one node give it, into a block record with the same leg rules as
 * on EVM chains ({@link BlockAssembler}): the TRX a successful transaction sends (a {@code TransferContract}'s amount, a
 * contract call's or creation's {@code call_value}), internal TRX transfers of successful, non-rejected internal
 * transactions in their recorded order, TRC-20 (and TRC-721, TRC-1155, WTRX) events by log index, and the fee: the whole
 * TRX cost of the transaction, burnt (a leg to the zero address, Tron's black hole {@code T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb}).
 * TRC-10 tokens move as TRX does: a transaction's own ({@code TransferAssetContract}, a contract call's token value) after its
 * TRX, an internal transaction's after that transaction's TRX. A failed transaction gives only its fee.
 */
final class TronBlockExtractor {
    private final BlockAssembler assembler;

    /** What a block moved that is not a leg. */
    record NotFollowed(int rejectedInternal) {}

    /** The block record and what it leaves out. */
    record Extracted(AssembledBlock assembled, NotFollowed notFollowed) {}

    TronBlockExtractor(ChainId chain, Set<Address> wrappedNative) {
        this.assembler = new BlockAssembler(chain, new LogDecoder(wrappedNative));
    }

    /**
     * @param rpc    the block and its transaction order (JSON-RPC)
     * @param logs   the logs of its transactions (JSON-RPC receipts or {@code eth_getLogs} by block hash)
     * @param wallet the same block from the HTTP API: contract types and parameters, in the same transaction order
     * @param infos  the transaction infos of the block, in the same order
     */
    Extracted extract(TronRpcBlock rpc, List<EvmLog> logs, WalletBlock wallet, List<WalletTxInfo> infos) {
        int n = rpc.transactions().size();
        if (wallet.transactions().size() != n || infos.size() != n) {
            throw new IllegalArgumentException("block " + rpc.number() + ": " + n + " transactions, " + wallet.transactions().size()
                + " in the HTTP block, " + infos.size() + " transaction infos");
        }
        List<EvmTx> txs = new ArrayList<>(n);
        List<InternalTransfer> internals = new ArrayList<>();
        int rejected = 0;
        for (int i = 0; i < n; i++) {
            TronRpcBlock.Tx t = rpc.transactions().get(i);
            WalletBlock.Tx w = wallet.transactions().get(i);
            WalletTxInfo info = infos.get(i);
            boolean create = WalletBlock.CREATE.equals(w.type());
            Address to = create ? info.contractAddress() : w.to();
            EvmTx.TokenValue trc10 = w.trc10() == null ? null : new EvmTx.TokenValue(w.trc10(), w.trc10Amount());
            // the whole fee is burnt: as a base fee of one sun per unit with the fee as the units used, the assembler's burnt
            // part is the fee and its priority part zero
            txs.add(new EvmTx(i, t.hash(), w.owner(), to, w.trx(), !info.failed(), create ? info.contractAddress() : null,
                BigInteger.valueOf(info.fee()), BigInteger.ONE, null, null, trc10));
            for (int j = 0; j < info.internals().size(); j++) {
                WalletTxInfo.Internal it = info.internals().get(j);
                if (it.rejected()) {
                    rejected++;
                    continue;
                }
                if (it.trx().signum() > 0) {
                    internals.add(new InternalTransfer(i, t.hash(), Integer.toString(j), it.note(), it.caller(), it.to(), it.trx()));
                }
                for (WalletTxInfo.Trc10 token : it.trc10()) {
                    internals.add(new InternalTransfer(i, t.hash(), Integer.toString(j), it.note(), it.caller(), it.to(), token.amount(),
                        token.asset()));
                }
            }
        }
        BlockHeader header = new BlockHeader(rpc.number(), rpc.hash(), rpc.parentHash(), rpc.timestamp(), null, BigInteger.ONE);
        AssembledBlock a = assembler.assemble(header, txs, logs, List.of(), internals, null);
        return new Extracted(a, new NotFollowed(rejected));
    }
}
