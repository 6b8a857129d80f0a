package io.taintwatch.model;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Objects;

/**
 * The movement an alert leads with: of all its legs, the largest in a verified asset (docs/alert-schema.md,
 * "Headline"). Without prices, assets are compared in whole units; a verified asset comes before an unverified one, an
 * amount with known decimals before one in base units, the larger tainted amount first, then the larger amount, then
 * the earlier leg.
 */
public record AlertHeadline(String legId, Position position, long blockTimestamp, Hash32 txHash, Address from, Address to, Asset asset,
                            TokenAmount amount, TokenAmount tainted) {
    /** Which of two headlines leads: the smaller one under this order. */
    public static final Comparator<AlertHeadline> LEADS = Comparator
        .comparingInt((AlertHeadline h) -> statusRank(h.tainted().status()))
        .thenComparing(h -> h.tainted().known() ? 0 : 1)
        .thenComparing(AlertHeadline::magnitude, Comparator.reverseOrder())
        .thenComparing(h -> h.amount().known() ? h.amount().units() : new BigDecimal(h.amount().raw()), Comparator.reverseOrder())
        .thenComparing(AlertHeadline::position);

    public AlertHeadline {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(tainted, "tainted");
    }

    /** The one of the two that leads (either may be null). */
    public static AlertHeadline leading(AlertHeadline a, AlertHeadline b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return LEADS.compare(a, b) <= 0 ? a : b;
    }

    private BigDecimal magnitude() {
        return tainted.known() ? tainted.units() : new BigDecimal(tainted.raw());
    }

    /** Verified (or the native asset) first, then not judged, then unverified; counterfeit never leads. */
    private static int statusRank(TokenStatus s) {
        if (s == null) {
            return 1;
        }
        return switch (s) {
            case VERIFIED -> 0;
            case UNVERIFIED -> 2;
            case COUNTERFEIT -> 3;
        };
    }
}
