package io.taintwatch.model;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * One tainted leg, as written to {@code taint-flows.<chain>} (the audit log of every taint step).
 * {@code shares} are sorted by source id; {@code paths} are present only for terminal recipients.
 */
public record TaintFlow(ChainId chain, Position position, long blockTimestamp, LegKind legKind, Hash32 txHash,
                        Address from, Address to, Asset asset, BigInteger amount, List<SourceShare> shares,
                        PolicyKind policy, FlowKind kind, Entity recipientEntity, BalanceBasis senderBasis,
                        List<TaintPath> paths) {
    public TaintFlow {
        Objects.requireNonNull(chain);
        Objects.requireNonNull(position);
        shares = List.copyOf(shares);
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    public BigInteger taintedTotal() {
        BigInteger t = BigInteger.ZERO;
        for (SourceShare s : shares) {
            t = t.add(s.amount());
        }
        return t;
    }

    /** Deterministic id {@code chain:txHash:position}. */
    public String id() {
        return chain.name() + ":" + txHash + ":" + position;
    }
}
