package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import java.math.BigInteger;

/**
 * The block fields leg extraction needs. {@code miner} is the fee recipient; {@code baseFee} is null before London
 * (the whole fee then goes to the miner). A block known only from transfer exports has {@link Hash32#ZERO} hashes and
 * timestamp 0 ({@link #isKnown()} false): consumers must not check parent hashes against it.
 */
public record BlockHeader(long number, Hash32 hash, Hash32 parentHash, long timestamp, Address miner, BigInteger baseFee) {
    public static BlockHeader unknown(long number) {
        return new BlockHeader(number, Hash32.ZERO, Hash32.ZERO, 0, null, null);
    }

    public boolean isKnown() {
        return !hash.equals(Hash32.ZERO);
    }
}
