package io.taintwatch.model;

import java.math.BigInteger;

/**
 * The part of a flow attributed to one source: the tainted amount in base units, the hop count from the
 * source (its direct outflows are hop 1), and the block from which the seed took effect.
 */
public record SourceShare(String sourceId, BigInteger amount, int hop, long effectiveFrom) {
    public SourceShare {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("negative tainted amount for source " + sourceId);
        }
        if (hop < 1) {
            throw new IllegalArgumentException("hop must be >= 1 for source " + sourceId);
        }
    }
}
