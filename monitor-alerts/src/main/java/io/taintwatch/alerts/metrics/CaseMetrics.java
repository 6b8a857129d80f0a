package io.taintwatch.alerts.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.taintwatch.alerts.api.AlertIndex;
import io.taintwatch.alerts.cases.AlertCase;
import io.taintwatch.alerts.cases.CaseEvent;
import io.taintwatch.alerts.cases.CaseStore;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertStatus;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The analysts' work as metrics. Dispositions and open alerts are counted from the cases as they stand (so a restart,
 * which reads the log again, neither loses nor doubles them); the time to first action and the actions are recorded
 * as they happen. Prometheus names: {@code taintwatch_cases_closed}, {@code taintwatch_cases_open},
 * {@code taintwatch_cases_open_oldest_age_seconds}, {@code taintwatch_cases_time_to_first_action_seconds},
 * {@code taintwatch_cases_actions_total}.
 */
public final class CaseMetrics {
    public static final String CLOSED = "taintwatch.cases.closed";
    public static final String CLOSED_DESC = "Alerts closed, by rule, severity and disposition (the false-positive share per rule says which rule to tune)";
    public static final String OPEN = "taintwatch.cases.open";
    public static final String OPEN_DESC = "Alerts not closed, by status, severity and age since their first tainted leg (age: lt_1h, 1h_1d, 1d_7d, ge_7d)";
    public static final String OLDEST = "taintwatch.cases.open.oldest.age";
    public static final String OLDEST_DESC = "Age of the oldest alert not closed, since its first tainted leg";
    public static final String FIRST_ACTION = "taintwatch.cases.time.to.first.action";
    public static final String FIRST_ACTION_DESC = "From an alert's first tainted leg (block time) to the first analyst action on it, by rule and severity";
    public static final String ACTIONS = "taintwatch.cases.actions";
    public static final String ACTIONS_DESC = "Case actions applied, by action (reopen includes the service's own on a new alert version)";

    private final MeterRegistry registry;
    private final AlertIndex alerts;
    private final CaseStore cases;
    private final Clock clock;
    private final MultiGauge closed;
    private final MultiGauge open;
    private final AtomicLong oldestSeconds = new AtomicLong();

    public CaseMetrics(MeterRegistry registry, AlertIndex alerts, CaseStore cases, Clock clock) {
        this.registry = registry;
        this.alerts = alerts;
        this.cases = cases;
        this.clock = clock;
        this.closed = MultiGauge.builder(CLOSED).description(CLOSED_DESC).register(registry);
        this.open = MultiGauge.builder(OPEN).description(OPEN_DESC).register(registry);
        Gauge.builder(OLDEST, oldestSeconds, AtomicLong::get).description(OLDEST_DESC).baseUnit("seconds").strongReference(true).register(registry);
        cases.onFirstAction(this::firstAction);
        cases.subscribe(c -> {
            CaseEvent last = c.events().get(c.events().size() - 1);
            Counter.builder(ACTIONS).description(ACTIONS_DESC).tag("action", last.action().label()).register(registry).increment();
        });
        refresh();
    }

    private void firstAction(CaseEvent e) {
        alerts.get(e.alertId()).ifPresent(entry -> {
            Alert a = entry.alert();
            long since = Math.max(0, e.at().toEpochMilli() - a.firstSeen().blockTimestamp() * 1000);
            firstActionTimer(a).record(Duration.ofMillis(since));
        });
    }

    /**
     * The time-to-first-action timer of an alert's rule and severity. {@link #refresh()} registers it for every open
     * alert, so the series exists at zero before the first action and {@code rate()} counts that action.
     */
    private Timer firstActionTimer(Alert a) {
        return Timer.builder(FIRST_ACTION).description(FIRST_ACTION_DESC).tag("rule", a.rule().label()).tag("severity", a.severity().label())
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(30))
            .register(registry);
    }

    /** Recounts the gauges from the alerts and cases as they stand; the runtime calls it periodically and after each case change. */
    public void refresh() {
        Map<Tags, Long> closedCounts = new HashMap<>();
        Map<Tags, Long> openCounts = new HashMap<>();
        long now = clock.instant().getEpochSecond();
        long oldest = 0;
        for (AlertIndex.Entry e : alerts.all()) {
            Alert a = e.alert();
            AlertCase c = cases.get(a.id());
            AlertStatus st = c.statusFor(a.version());
            if (st == AlertStatus.CLOSED) {
                closedCounts.merge(Tags.of("rule", a.rule().label(), "severity", a.severity().label(), "disposition", c.disposition().label()), 1L,
                    Long::sum);
            } else {
                firstActionTimer(a);
                long age = Math.max(0, now - a.firstSeen().blockTimestamp());
                oldest = Math.max(oldest, age);
                openCounts.merge(Tags.of("status", st.label(), "severity", a.severity().label(), "age", ageBucket(age)), 1L, Long::sum);
            }
        }
        closed.register(rows(closedCounts), true);
        open.register(rows(openCounts), true);
        oldestSeconds.set(oldest);
    }

    static String ageBucket(long seconds) {
        return seconds < 3600 ? "lt_1h" : seconds < 86_400 ? "1h_1d" : seconds < 7 * 86_400 ? "1d_7d" : "ge_7d";
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Long> counts) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((t, n) -> rows.add(MultiGauge.Row.of(t, n)));
        return rows;
    }
}
