package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertIds;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSeen;
import io.taintwatch.model.AlertTotal;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a single-leg candidate into the stored alert of its group: a new version of the same id with count,
 * totals and first/last seen updated. For watchlist movements a candidate more than the quiet period after the
 * last movement starts a new alert (its own id). Pure; the topology keeps the state.
 */
public final class AlertAggregator {
    private final long quietBlocks;

    public AlertAggregator(long quietBlocks) {
        this.quietBlocks = quietBlocks;
    }

    /** The next version to store and emit, or null when the candidate's leg is already the stored alert's latest. */
    public Alert merge(Alert previous, Alert candidate) {
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
            previous.count() + candidate.count(), addTotals(previous.totals(), candidate.totals()), first, last, previous.retro());
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
            c.policy(), c.count(), c.totals(), c.firstSeen(), c.lastSeen(), c.retro());
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
