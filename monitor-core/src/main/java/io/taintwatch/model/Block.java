package io.taintwatch.model;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * One confirmed block: its legs in chain order and, when the ingest collected them, the end-of-block
 * balances of the addresses it touched ({@code balances == null} means "not collected", which differs
 * from an empty list).
 */
public record Block(ChainId chain, long number, Hash32 hash, Hash32 parentHash, long timestamp, List<Leg> legs, List<Balance> balances)
    implements BlockLegs {
    public Block {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(parentHash, "parentHash");
        legs = List.copyOf(legs);
        balances = balances == null ? null : List.copyOf(balances);
        Position prev = null;
        for (Leg l : legs) {
            if (l.position().block() != number) {
                throw new IllegalArgumentException("block " + number + ": leg at " + l.position() + " belongs to another block");
            }
            if (prev != null && l.position().compareTo(prev) <= 0) {
                throw new IllegalArgumentException("block " + number + ": legs out of order or duplicated at " + l.position());
            }
            prev = l.position();
        }
    }

    @Override
    public int legCount() {
        return legs.size();
    }

    @Override
    public boolean legTouches(int i, AddressSet set) {
        Leg l = legs.get(i);
        return set.contains(l.from().hi(), l.from().mid(), l.from().lo()) || set.contains(l.to().hi(), l.to().mid(), l.to().lo());
    }

    @Override
    public Leg leg(int i) {
        return legs.get(i);
    }

    public boolean hasBalances() {
        return balances != null;
    }

    /** End-of-block balance lookup, or null when not collected for that address and asset. */
    @Override
    public BigInteger balanceOf(Address a, Asset asset) {
        return balanceIn(balances, a, asset);
    }

    /** The balance of {@code a} in {@code asset} among {@code balances} (null: not collected, or none listed). */
    public static BigInteger balanceIn(List<Balance> balances, Address a, Asset asset) {
        if (balances == null) {
            return null;
        }
        for (Balance b : balances) {
            if (b.address().equals(a) && b.asset().equals(asset)) {
                return b.amount();
            }
        }
        return null;
    }
}
