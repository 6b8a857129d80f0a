package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertJson;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Severity;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Severity from source category, recipient category, share, hops and amount, with the reasoning spelled out
 * (the table is in docs/alert-schema.md, "Severity"; keep them in step). Our own deposits are always severe;
 * arrivals at other services are intelligence and never go above high.
 */
public final class SeverityScorer {
    public static final String ACTION_HOLD_CREDIT =
        "hold the credit: do not credit this deposit or release the funds until compliance has reviewed this alert";
    public static final String ACTION_FREEZE_REPORT =
        "freeze the funds and file a report: direct exposure to a sanctioned address (no de-minimis)";
    public static final String ACTION_REVIEW_WITHDRAWAL =
        "review the withdrawal and the customer who requested it; stop further withdrawals to this address";
    public static final String ACTION_BLOCK_COUNTERPARTY =
        "screen the counterparty: block deposits from and withdrawals to this address";
    public static final String ACTION_WARN_POISONED =
        "warn the customer: an address that imitates one they use was planted in their transaction history; block withdrawals to it";
    public static final String ACTION_IGNORE_DECOY =
        "do not follow the lookalike: it received only a poisoning transfer, not the subject's funds";
    public static final String ACTION_STOP_WITHDRAWAL =
        "stop the withdrawal and confirm the destination with the customer: it imitates an address we paid before";

    private final SeverityConfig config;

    public SeverityScorer(SeverityConfig config) {
        this.config = config;
    }

    /** Points for why the source is watched: sanctions and terrorism financing 3, theft and ransomware 2, fraud-like 1. */
    public static int sourcePoints(Category c) {
        if (c == null) {
            return 0;
        }
        return switch (c) {
            case SANCTIONS, TERRORISM_FINANCING -> 3;
            case THEFT, RANSOMWARE -> 2;
            case SCAM, PHISHING, FRAUD, DARKNET -> 1;
            default -> 0;
        };
    }

    /** Points for where it arrived: a mixer or a deposit address (attributable to a customer) 2, bridge or exchange wallet 1. */
    public static int recipientPoints(Category c) {
        if (c == null) {
            return 0;
        }
        return switch (c) {
            case MIXER, EXCHANGE_DEPOSIT -> 2;
            case BRIDGE, EXCHANGE, EXCHANGE_HOT_WALLET -> 1;
            default -> 0;
        };
    }

    /** Points for the tainted share of the leg: at least 50% 2, at least 10% 1. */
    public static int sharePoints(long ppm) {
        return ppm >= 500_000 ? 2 : ppm >= 100_000 ? 1 : 0;
    }

    /** Points for closeness to the source: hop 1 gives 2, hops 2-3 give 1, further 0. */
    public static int hopPoints(int hop) {
        return hop <= 1 ? 2 : hop <= 3 ? 1 : 0;
    }

    int amountPoints(ChainId chain, Asset asset, BigInteger tainted) {
        BigInteger large = config.largeAmount().get(chain.name() + ":" + asset);
        if (large == null) {
            large = config.largeAmount().get(asset.toString());
        }
        return large != null && tainted.compareTo(large) >= 0 ? 1 : 0;
    }

    /** Tainted funds arrived at another service (exchange, mixer, bridge): scored, capped at high. */
    public Scored arrival(Category sourceCategory, Category recipientCategory, long sharePpm, int hop,
                          ChainId chain, Asset asset, BigInteger tainted) {
        List<String> r = new ArrayList<>();
        int s = sourcePoints(sourceCategory);
        r.add("source category " + label(sourceCategory) + ": +" + s);
        int rc = recipientPoints(recipientCategory);
        r.add("recipient category " + label(recipientCategory) + ": +" + rc);
        int sh = sharePoints(sharePpm);
        r.add("tainted share " + AlertJson.share(sharePpm) + ": +" + sh);
        int h = hopPoints(hop);
        r.add("hop " + hop + " from the source: +" + h);
        int a = amountPoints(chain, asset, tainted);
        r.add(a > 0 ? "tainted amount at or above the large-amount threshold: +1" : "tainted amount below the large-amount threshold (or none set): +0");
        int score = s + rc + sh + h + a;
        Severity sev = score >= config.highAt() ? Severity.HIGH : score >= config.mediumAt() ? Severity.MEDIUM : Severity.LOW;
        r.add("score " + score + " (medium from " + config.mediumAt() + ", high from " + config.highAt()
            + "; arrivals at other services are at most high): " + sev.label());
        return new Scored(sev, r, sev == Severity.HIGH && sourcePoints(sourceCategory) == 3 ? ACTION_BLOCK_COUNTERPARTY : "");
    }

    /** Tainted funds arrived at one of our own deposit addresses: always severe, hold the credit. */
    public Scored ownDeposit(Category sourceCategory, long sharePpm, int hop) {
        return new Scored(Severity.SEVERE, List.of(
            "tainted funds arrived at our own deposit address: severe regardless of amount",
            "source category " + label(sourceCategory) + ", tainted share " + AlertJson.share(sharePpm) + ", hop " + hop),
            ACTION_HOLD_CREDIT);
    }

    /** A leg to or from a sanctioned address: high, severe when the other side is one of our own addresses. */
    public Scored direct(boolean outgoingFromSanctioned, boolean counterpartyIsOwn) {
        String dir = outgoingFromSanctioned ? "a sanctioned address paid the counterparty" : "the counterparty paid a sanctioned address";
        if (counterpartyIsOwn) {
            return new Scored(Severity.SEVERE, List.of("direct exposure: " + dir,
                "the counterparty is one of our own addresses: severe (no de-minimis)"), ACTION_FREEZE_REPORT);
        }
        return new Scored(Severity.HIGH, List.of("direct exposure: " + dir, "any amount counts (no de-minimis): high"),
            ACTION_BLOCK_COUNTERPARTY);
    }

    /**
     * Our hot wallet paid an exposed address: a sanctioned address is severe; a mixer high; a tracked (tainted) or
     * watchlist address high when its source is sanctioned, else medium.
     */
    public Scored outgoing(String exposure, Category exposureCategory) {
        Severity sev = switch (exposure) {
            case "sanctioned" -> Severity.SEVERE;
            case "mixer" -> Severity.HIGH;
            default -> sourcePoints(exposureCategory) == 3 ? Severity.HIGH : Severity.MEDIUM;
        };
        return new Scored(sev, List.of("withdrawal from our hot wallet to a " + exposure + " address"
            + (exposureCategory == null ? "" : " (category " + exposureCategory.label() + ")") + ": " + sev.label()),
            ACTION_REVIEW_WITHDRAWAL);
    }

    /** A watchlist address moved funds: high for sanctions, medium for theft and ransomware, low otherwise; a large amount adds a level. */
    public Scored movement(Category sourceCategory, ChainId chain, Asset asset, BigInteger amount) {
        int s = sourcePoints(sourceCategory);
        Severity sev = s == 3 ? Severity.HIGH : s == 2 ? Severity.MEDIUM : Severity.LOW;
        List<String> r = new ArrayList<>();
        r.add("watchlist address of category " + label(sourceCategory) + " moved funds: " + sev.label());
        if (amountPoints(chain, asset, amount) > 0 && sev.compareTo(Severity.HIGH) < 0) {
            sev = Severity.values()[sev.ordinal() + 1];
            r.add("amount at or above the large-amount threshold: raised to " + sev.label());
        }
        return new Scored(sev, r, "");
    }

    /**
     * A poisoning transfer flagged a lookalike: medium when the poisoned holder is ours (a customer may pay the lookalike),
     * low otherwise (intelligence; for a watchlist address, a decoy that taint does not follow).
     */
    public Scored poisoning(boolean ownHolder, boolean watchlistHolder, List<String> evidence) {
        List<String> r = new ArrayList<>(evidence);
        Severity sev = ownHolder ? Severity.MEDIUM : Severity.LOW;
        r.add(ownHolder ? "the poisoned address is ours: medium" : watchlistHolder ? "the poisoned address is on the watchlist: low (a decoy)"
            : "the poisoned address is not ours: low");
        return new Scored(sev, r, ownHolder ? ACTION_WARN_POISONED : watchlistHolder ? ACTION_IGNORE_DECOY : "");
    }

    /** Our hot wallet paid a lookalike of an address it paid before: high, as wallets warn before such a payment. */
    public Scored withdrawalToLookalike(List<String> evidence) {
        List<String> r = new ArrayList<>(evidence);
        r.add("a withdrawal to a lookalike of an earlier payee: high");
        return new Scored(Severity.HIGH, r, ACTION_STOP_WITHDRAWAL);
    }

    private static String label(Category c) {
        return c == null ? "unknown" : c.label();
    }
}
