package io.taintwatch.model;

import java.math.BigInteger;

/** An end-of-block balance of one address in one asset. */
public record Balance(Address address, Asset asset, BigInteger amount) {
    public Balance {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("negative balance for " + address);
        }
    }
}
