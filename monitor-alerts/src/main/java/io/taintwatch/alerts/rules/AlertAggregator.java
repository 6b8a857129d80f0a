package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertIds;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertHeadline;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSeen;
import io.taintwatch.model.AlertSkipped;
import io.taintwatch.model.AlertTotal;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a single-leg candidate into the stored alert of its group: a new version of the same id with count,
 * totals, first/last seen and the headline (its largest verified movement) updated. For watchlist movements a candidate
 * more than the quiet period after the last movement starts a new alert (its own id). A note of skipped legs
 * ({@link Alert#note()}) never opens an alert: before the alert exists it is kept as the group's pending state and
 * carried into the alert when it opens; afterwards it updates the alert's skipped summary, and makes a new version only
 * when the summary lists something new (an asset, a reason) or its count of skipped legs reaches a power of
 * two, so that a flood of forged transfers makes a logarithmic number of versions. Pure; the caller keeps the state and
 * publishes what {@link #published} says.
 */
public final class AlertAggregator {
    private final long quietBlocks;

    public AlertAggregator(long quietBlocks) {
        this.quietBlocks = quietBlocks;
    }

    /** Whether the state {@code next} that {@link #merge} returned after {@code previous} is a new version to publish. */
    public static boolean published(Alert previous, Alert next) {
        return next != null && !next.note() && next.version() > (previous == null ? 0 : previous.version());
    }

    /**
     * The group's next state, or null when the candidate changes nothing (its leg is already the stored alert's latest).
     * Publish it when {@link #published} says so.
     */
    public Alert merge(Alert previous, Alert candidate) {
        if (candidate.note()) {
            return note(previous, candidate);
        }
        AlertSkipped pending = null;
        if (previous != null && previous.note()) {
            pending = previous.skipped();
            previous = null;
        }
        Alert next = fold(previous, candidate);
        if (next == null) {
            return null;
        }
        AlertSkipped skipped = AlertSkipped.merge(pending, next.skipped());
        return skipped == next.skipped() ? next : next.withSkipped(next.version(), skipped);
    }

    private Alert note(Alert previous, Alert note) {
        if (previous == null) {
            return note;
        }
        AlertSkipped merged = AlertSkipped.merge(previous.skipped(), note.skipped());
        if (previous.note()) {
            return previous.withSkipped(0, merged);
        }
        if (previous.rule() == AlertRule.WATCHLIST_MOVEMENT && note.block() - previous.lastSeen().block() > quietBlocks) {
            return note; // after the quiet period: kept for the next episode's alert
        }
        boolean news = previous.skipped() == null || previous.skipped().listsLess(merged) || Long.bitCount(merged.legs()) == 1;
        return previous.withSkipped(news ? previous.version() + 1 : previous.version(), merged);
    }

    private Alert fold(Alert previous, Alert candidate) {
        if (candidate.rule() == AlertRule.WATCHLIST_MOVEMENT) {
            if (previous == null) {
                return startEpisode(candidate, "first movement of this watchlist address seen by the alert service", false);
            }
            long quiet = candidate.block() - previous.lastSeen().block();
            if (quiet > quietBlocks) {
                return startEpisode(candidate, "first movement after " + quiet + " blocks without one (quiet period "
                    + quietBlocks + " blocks)", true);
            }
        }
        if (previous == null) {
            return candidate;
        }
        if (previous.legId().equals(candidate.legId())) {
            return null; // the same leg delivered again: already counted
        }
        boolean higher = candidate.severity().compareTo(previous.severity()) > 0;
        Severity sev = higher ? candidate.severity() : previous.severity();
        AlertSeen first = candidate.firstSeen().position().compareTo(previous.firstSeen().position()) < 0
            ? candidate.firstSeen() : previous.firstSeen();
        AlertSeen last = candidate.lastSeen().position().compareTo(previous.lastSeen().position()) > 0
            ? candidate.lastSeen() : previous.lastSeen();
        return new Alert(previous.id(), Alert.SCHEMA_VERSION, previous.version() + 1, previous.dedupKey(), previous.rule(), sev,
            higher ? candidate.reasons() : previous.reasons(), higher ? candidate.recommendedAction() : previous.recommendedAction(),
            previous.status(), candidate.chain(), candidate.legId(), candidate.position(), candidate.blockTimestamp(),
            candidate.txHash(), candidate.subject(), candidate.from(), candidate.to(), candidate.fromEntity(), candidate.toEntity(),
            candidate.asset(), candidate.amount(), candidate.tainted(), candidate.sharePpm(), candidate.sources(),
            candidate.path() != null ? candidate.path() : previous.path(), candidate.policy(),
            previous.count() + candidate.count(), addTotals(previous.totals(), candidate.totals()), first, last, previous.retro(),
            AlertHeadline.leading(previous.headline(), candidate.headline()), AlertSkipped.merge(previous.skipped(), candidate.skipped()),
            candidate.lookalike() != null ? candidate.lookalike() : previous.lookalike());
    }

    private static Alert startEpisode(Alert c, String reason, boolean reactivation) {
        String dedupKey = c.dedupKey() + "@" + c.position();
        List<String> reasons = new ArrayList<>(c.reasons());
        reasons.add(reason);
        Severity sev = c.severity();
        if (reactivation && sev.compareTo(Severity.HIGH) < 0) {
            sev = Severity.values()[sev.ordinal() + 1];
            reasons.add("reactivation after a quiet period: raised to " + sev.label());
        }
        return new Alert(AlertIds.of(c.chain(), c.rule(), dedupKey), Alert.SCHEMA_VERSION, 1, dedupKey, c.rule(), sev, reasons,
            c.recommendedAction(), c.status(), c.chain(), c.legId(), c.position(), c.blockTimestamp(), c.txHash(), c.subject(),
            c.from(), c.to(), c.fromEntity(), c.toEntity(), c.asset(), c.amount(), c.tainted(), c.sharePpm(), c.sources(), c.path(),
            c.policy(), c.count(), c.totals(), c.firstSeen(), c.lastSeen(), c.retro(), c.headline(), c.skipped(), c.lookalike());
    }

    static List<AlertTotal> addTotals(List<AlertTotal> a, List<AlertTotal> b) {
        Map<Asset, AlertTotal> m = new TreeMap<>();
        for (List<AlertTotal> list : List.of(a, b)) {
            for (AlertTotal t : list) {
                m.merge(t.asset(), t, (x, y) -> new AlertTotal(x.asset(), x.amount().withRaw(x.amount().raw().add(y.amount().raw())),
                    x.tainted().withRaw(x.tainted().raw().add(y.tainted().raw()))));
            }
        }
        return List.copyOf(m.values());
    }
}
