package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import java.math.BigInteger;

/**
 * Native value moved by a successful nested call frame ({@code CALL}, {@code CREATE}/{@code CREATE2} or
 * {@code SELFDESTRUCT}); {@code traceAddress} is the frame's path in the call tree, e.g. {@code "0.2.1"}.
 * {@code txHash} may be null when the trace source does not name it (the assembler then takes the tx's hash). On Tron the
 * asset may be a TRC-10 token an internal transaction moved.
 */
public record InternalTransfer(int txIndex, Hash32 txHash, String traceAddress, String frameType, Address from, Address to, BigInteger value,
                               Asset asset) {
    /** Native value, as EVM traces report it. */
    public InternalTransfer(int txIndex, Hash32 txHash, String traceAddress, String frameType, Address from, Address to, BigInteger value) {
        this(txIndex, txHash, traceAddress, frameType, from, to, value, Asset.NATIVE);
    }
}
