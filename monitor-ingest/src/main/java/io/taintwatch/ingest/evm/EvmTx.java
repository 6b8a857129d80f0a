package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import java.math.BigInteger;

/**
 * What the leg extraction needs of one transaction and its receipt, whatever the source (RPC or export file).
 * Receipt-derived fields are null when the source does not have them: {@code success == null} means "status unknown"
 * (pre-Byzantium receipts, or no receipts), and fee fields null mean "no fee legs can be derived". {@code tokenValue}
 * is a token the transaction itself sends besides its native value (Tron: TRC-10), or null.
 */
public record EvmTx(int index, Hash32 hash, Address from, Address to, BigInteger value, Boolean success,
                    Address createdContract, BigInteger gasUsed, BigInteger effectiveGasPrice,
                    BigInteger blobGasUsed, BigInteger blobGasPrice, TokenValue tokenValue) {
    /** A token sent by the transaction itself (Tron: a {@code TransferAssetContract}, a contract call's TRC-10 value). */
    public record TokenValue(Asset asset, BigInteger amount) {}

    /** A transaction that sends only its native value. */
    public EvmTx(int index, Hash32 hash, Address from, Address to, BigInteger value, Boolean success, Address createdContract,
                 BigInteger gasUsed, BigInteger effectiveGasPrice, BigInteger blobGasUsed, BigInteger blobGasPrice) {
        this(index, hash, from, to, value, success, createdContract, gasUsed, effectiveGasPrice, blobGasUsed, blobGasPrice, null);
    }

    public EvmTx {
        if (index < 0) {
            throw new IllegalArgumentException("tx " + hash + ": negative index " + index);
        }
        java.util.Objects.requireNonNull(hash, "hash");
    }
}
