package io.taintwatch.model;

import java.math.BigInteger;

/**
 * A block whose legs are read one at a time by index. The taint engine probes every leg's sender and recipient
 * ({@link #legTouches}) and asks for the legs that touch its tracked addresses only ({@link #leg}), so an
 * implementation that keeps legs in their encoded form (the topology's {@code EncodedBlock}) builds a few legs
 * of a block instead of all of them. {@link Block} is one, with every leg built.
 */
public interface BlockLegs {
    /** A set of addresses probed with the three big-endian parts of an {@link Address} (nothing allocated). */
    @FunctionalInterface
    interface AddressSet {
        boolean contains(long hi, long mid, int lo);
    }

    ChainId chain();

    long number();

    Hash32 hash();

    Hash32 parentHash();

    /** Block time, seconds since the epoch. */
    long timestamp();

    int legCount();

    /** Whether the sender or the recipient of leg {@code i} is in {@code set}. */
    boolean legTouches(int i, AddressSet set);

    /** Leg {@code i}. */
    Leg leg(int i);

    /** End-of-block balance, or null when not collected for that address and asset. */
    BigInteger balanceOf(Address a, Asset asset);
}
