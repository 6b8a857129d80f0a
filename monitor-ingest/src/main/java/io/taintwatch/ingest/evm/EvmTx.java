package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import java.math.BigInteger;

/**
 * What the leg extraction needs of one transaction and its receipt, whatever the source (RPC or export file).
 * Receipt-derived fields are null when the source does not have them: {@code success == null} means "status unknown"
 * (pre-Byzantium receipts, or no receipts), and fee fields null mean "no fee legs can be derived".
 */
public record EvmTx(int index, Hash32 hash, Address from, Address to, BigInteger value, Boolean success,
                    Address createdContract, BigInteger gasUsed, BigInteger effectiveGasPrice,
                    BigInteger blobGasUsed, BigInteger blobGasPrice) {
    public EvmTx {
        if (index < 0) {
            throw new IllegalArgumentException("tx " + hash + ": negative index " + index);
        }
        java.util.Objects.requireNonNull(hash, "hash");
    }
}
