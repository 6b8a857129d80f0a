package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.alerts.MapLookups;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.Severity;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.taintwatch.alerts.Flows.ETH;
import static io.taintwatch.alerts.Flows.addr;
import static io.taintwatch.alerts.Flows.flow;
import static org.assertj.core.api.Assertions.assertThat;

class AlertAggregatorTest {
    private final MapLookups lookups = new MapLookups()
        .seed(new Seed(addr("seed:hack"), "hack", Category.THEFT, 0, "ref"))
        .label(new Entity(addr("dep"), "OtherEx", Category.EXCHANGE_DEPOSIT, "test", 90));
    private final RuleEngine engine = new RuleEngine(RulesConfig.defaults().withQuietBlocks(100), lookups);
    private final AlertAggregator aggregator = new AlertAggregator(100);
    private final Map<String, Alert> state = new HashMap<>();

    private Alert feed(Candidate c) {
        Alert next = aggregator.merge(state.get(c.groupKey()), c.alert());
        if (next != null) {
            state.put(c.groupKey(), next);
            AlertSchema.assertValid(next);
        }
        return next;
    }

    @Test
    void manyLegsAlongOnePathIntoOneTerminalAreVersionsOfOneAlert() {
        Entity dep = lookups.entity(addr("dep"));
        BigInteger total = BigInteger.ZERO;
        Alert last = null;
        for (int i = 0; i < 50; i++) {
            BigInteger tainted = ETH.divide(BigInteger.valueOf(2 + i));
            total = total.add(tainted);
            List<Candidate> c = engine.onFlow(flow(1000 + i, 0, "mule", "dep", ETH, "hack", tainted, 2, FlowKind.TERMINAL, dep));
            assertThat(c).hasSize(1);
            Alert a = feed(c.get(0));
            if (last != null) {
                assertThat(a.id()).isEqualTo(last.id());
            }
            assertThat(a.version()).isEqualTo(i + 1);
            last = a;
        }
        assertThat(last.count()).isEqualTo(50);
        BigInteger expected = total;
        assertThat(last.totals()).singleElement().satisfies(t -> {
            assertThat(t.tainted().raw()).isEqualTo(expected);
            assertThat(t.amount().raw()).isEqualTo(ETH.multiply(BigInteger.valueOf(50)));
        });
        assertThat(last.firstSeen().block()).isEqualTo(1000);
        assertThat(last.lastSeen().block()).isEqualTo(1049);
    }

    @Test
    void aDifferentRouteIntoTheSameTerminalIsAnotherAlert() {
        Entity dep = lookups.entity(addr("dep"));
        Alert a = feed(engine.onFlow(flow(1000, 0, "mule", "dep", ETH, "hack", ETH, 2, FlowKind.TERMINAL, dep)).get(0));
        Alert b = feed(engine.onFlow(flow(1001, 0, "other-mule", "dep", ETH, "hack", ETH, 2, FlowKind.TERMINAL, dep)).get(0));
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(b.version()).isEqualTo(1);
    }

    @Test
    void theSameLegTwiceIsCountedOnce() {
        Entity dep = lookups.entity(addr("dep"));
        Candidate c = engine.onFlow(flow(1000, 0, "mule", "dep", ETH, "hack", ETH, 2, FlowKind.TERMINAL, dep)).get(0);
        assertThat(feed(c)).isNotNull();
        assertThat(feed(c)).isNull();
        assertThat(state.get(c.groupKey()).count()).isEqualTo(1);
    }

    @Test
    void aWatchlistMovementAfterAQuietPeriodIsItsOwnAlertWithRaisedSeverity() {
        Alert first = movement(1000);
        Alert sameEpisode = movement(1100); // 100 blocks later: not more than the quiet period
        Alert reactivated = movement(1201); // 101 blocks after the last movement
        assertThat(sameEpisode.id()).isEqualTo(first.id());
        assertThat(sameEpisode.version()).isEqualTo(2);
        assertThat(reactivated.id()).isNotEqualTo(first.id());
        assertThat(reactivated.version()).isEqualTo(1);
        assertThat(first.severity()).isEqualTo(Severity.MEDIUM); // theft source
        assertThat(reactivated.severity()).isEqualTo(Severity.HIGH);
        assertThat(reactivated.reasons()).anyMatch(r -> r.contains("first movement after 101 blocks"));
        assertThat(first.reasons()).anyMatch(r -> r.contains("first movement of this watchlist address"));
    }

    private Alert movement(long block) {
        List<Candidate> c = engine.onFlow(flow(block, 0, "seed:hack", "somebody", ETH, "hack", ETH, 1, FlowKind.TRACKED, null));
        assertThat(c).extracting(x -> x.alert().rule()).containsExactly(AlertRule.WATCHLIST_MOVEMENT);
        return feed(c.get(0));
    }
}
