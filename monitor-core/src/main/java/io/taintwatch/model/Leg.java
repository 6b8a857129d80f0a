package io.taintwatch.model;

import java.math.BigInteger;
import java.util.Objects;

/** One movement of value at a position. Amounts are base units, never negative. */
public record Leg(Position position, LegKind kind, Hash32 txHash, Address from, Address to, Asset asset, BigInteger amount) {
    public Leg {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(amount, "amount");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("leg " + position + ": negative amount " + amount);
        }
        if (amount.bitLength() > 256) {
            throw new IllegalArgumentException("leg " + position + ": amount exceeds 256 bits");
        }
    }

    /** Deterministic id {@code chain:txHash:kind:subIndex}, stable across re-ingestion. */
    public String id(ChainId chain) {
        return chain.name() + ":" + txHash + ":" + kind.label() + ":" + position.subIndex();
    }
}
