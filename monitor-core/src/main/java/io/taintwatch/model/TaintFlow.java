package io.taintwatch.model;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * One tainted leg, as written to {@code taint-flows.<chain>} (the audit log of every taint step).
 * {@code shares} are sorted by source id; {@code paths} are present only for terminal recipients.
 * {@code assetStatus} is the token registry's status of the asset when the engine processed the leg (null: not
 * recorded) and {@code assetReason} its reason when the asset is not verified (e.g. what a counterfeit imitates).
 * A flow of kind {@link FlowKind#SKIPPED} carried nothing; {@code skipped} says why (null for every other kind).
 */
public record TaintFlow(ChainId chain, Position position, long blockTimestamp, LegKind legKind, Hash32 txHash,
                        Address from, Address to, Asset asset, BigInteger amount, List<SourceShare> shares,
                        PolicyKind policy, FlowKind kind, Entity recipientEntity, BalanceBasis senderBasis,
                        List<TaintPath> paths, TokenStatus assetStatus, String assetReason, SkipReason skipped) {
    public TaintFlow {
        Objects.requireNonNull(chain);
        Objects.requireNonNull(position);
        shares = List.copyOf(shares);
        paths = paths == null ? List.of() : List.copyOf(paths);
        assetReason = assetReason == null ? "" : assetReason;
        if ((kind == FlowKind.SKIPPED) != (skipped != null)) {
            throw new IllegalArgumentException("flow " + position + ": a skip reason goes with kind skipped and only with it");
        }
    }

    /** A flow without a recorded asset status (as written before the token registry existed). */
    public TaintFlow(ChainId chain, Position position, long blockTimestamp, LegKind legKind, Hash32 txHash, Address from, Address to,
                     Asset asset, BigInteger amount, List<SourceShare> shares, PolicyKind policy, FlowKind kind, Entity recipientEntity,
                     BalanceBasis senderBasis, List<TaintPath> paths) {
        this(chain, position, blockTimestamp, legKind, txHash, from, to, asset, amount, shares, policy, kind, recipientEntity, senderBasis,
            paths, null, "", null);
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
