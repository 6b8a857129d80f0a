package io.taintwatch.alerts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.Scenario;
import io.taintwatch.alerts.api.AlertIndex;
import io.taintwatch.alerts.cases.CaseAction;
import io.taintwatch.alerts.cases.CaseEvent;
import io.taintwatch.alerts.cases.CaseStore;
import io.taintwatch.alerts.cases.Disposition;
import io.taintwatch.alerts.cases.Role;
import io.taintwatch.model.Alert;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AlertIndex index = new AlertIndex(1000);
    private final CaseStore cases = new CaseStore();
    private final List<Alert> alerts = new Scenario().alertVersions();

    private Timer firstAction(Alert a) {
        return registry.find(CaseMetrics.FIRST_ACTION).tag("rule", a.rule().label()).tag("severity", a.severity().label()).timer();
    }

    private double closed(Alert a) {
        var g = registry.find(CaseMetrics.CLOSED).tag("rule", a.rule().label()).tag("disposition", "false-positive").gauge();
        return g == null ? 0 : g.value();
    }

    @Test
    void anOpenAlertsFirstActionTimerExistsAtZeroSoTheFirstActionCountsInARate() {
        Alert a = alerts.get(alerts.size() - 1);
        Instant now = Instant.ofEpochSecond(a.firstSeen().blockTimestamp() + 600);
        CaseMetrics metrics = new CaseMetrics(registry, index, cases, Clock.fixed(now, ZoneOffset.UTC));
        assertThat(firstAction(a)).as("no alert, no timer").isNull();

        index.put(a, AlertJson.toJson(a));
        metrics.refresh();
        assertThat(firstAction(a)).as("registered for the open alert's rule and severity").isNotNull();
        assertThat(firstAction(a).count()).isZero();
        assertThat(closed(a)).isZero();

        cases.accept(new CaseEvent("event-close-1", a.id(), 1, CaseAction.CLOSE, "alice", Role.ANALYST, now, a.version(), null,
            Disposition.FALSE_POSITIVE, "a bystander"), true);
        metrics.refresh();
        assertThat(firstAction(a).count()).isEqualTo(1);
        assertThat(firstAction(a).totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(600.0);
        assertThat(closed(a)).isEqualTo(1.0);
    }
}
