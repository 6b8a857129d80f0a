package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.alerts.MapLookups;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSkipped;
import io.taintwatch.model.Asset;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TokenStatus;
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
            if (!next.note()) {
                AlertSchema.assertValid(next);
            }
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

    /** A movement of the hacker in {@code asset} with the engine's verdict on it, or a skipped one. */
    private static TaintFlow token(long block, Asset asset, BigInteger amount, TokenStatus status, SkipReason skip) {
        TaintFlow f = flow(block, 0, "seed:hack", "to-" + block, amount, "hack", amount, 1, FlowKind.TRACKED, null);
        return new TaintFlow(f.chain(), f.position(), f.blockTimestamp(), asset.isNative() ? LegKind.NATIVE : LegKind.ERC20, f.txHash(), f.from(),
            f.to(), asset, amount, f.shares(), f.policy(), skip == null ? FlowKind.TRACKED : FlowKind.SKIPPED, null, f.senderBasis(), List.of(),
            status, status == TokenStatus.VERIFIED ? "" : status == TokenStatus.COUNTERFEIT ? "symbol \"ЕТН\" looks like ETH" : "no metadata",
            skip);
    }

    private Alert feedAll(TaintFlow f) {
        Alert last = null;
        for (Candidate c : engine.onFlow(f)) {
            if (c.alert().rule() == AlertRule.WATCHLIST_MOVEMENT) {
                Alert previous = state.get(c.groupKey());
                last = feed(c);
                if (!AlertAggregator.published(previous, last)) {
                    last = null;
                }
            }
        }
        return last;
    }

    @Test
    void theHeadlineIsTheLargestVerifiedMovementNotTheLatestNorAnUnverifiedOne() {
        Asset scam = Asset.token(addr("BybitExploiter"));
        lookups.tokens.put(scam, new io.taintwatch.alerts.TokenInfo("BybitExploiter", 18, "BybitExploiter"));
        feedAll(token(1000, Asset.NATIVE, ETH.multiply(BigInteger.valueOf(10_000)), TokenStatus.VERIFIED, null));
        feedAll(token(1001, scam, ETH.multiply(BigInteger.valueOf(900_000_000)), TokenStatus.UNVERIFIED, null));
        Alert last = feedAll(token(1002, Asset.NATIVE, ETH.multiply(BigInteger.valueOf(40)), TokenStatus.VERIFIED, null));

        assertThat(last.version()).isEqualTo(3);
        assertThat(last.asset()).as("this version's leg").isEqualTo(Asset.NATIVE);
        assertThat(last.headline().amount().formatted()).isEqualTo("10000");
        assertThat(last.headline().legId()).contains(":1000:0:0");
        Alert unverified = state.values().stream().filter(a -> a.count() == 3).findFirst().orElseThrow();
        assertThat(unverified.totals()).extracting(t -> t.amount().status()).contains(TokenStatus.UNVERIFIED);
    }

    @Test
    void skippedLegsNeverOpenAnAlertButTheAlertThatOpensLaterNamesThem() {
        Asset fake = Asset.token(addr("fake-eth"));
        assertThat(feedAll(token(1000, fake, ETH, TokenStatus.COUNTERFEIT, SkipReason.COUNTERFEIT))).isNull();
        assertThat(feedAll(token(1001, fake, ETH, TokenStatus.COUNTERFEIT, SkipReason.COUNTERFEIT))).isNull();
        Alert opened = feedAll(token(1002, Asset.NATIVE, ETH, TokenStatus.VERIFIED, null));

        assertThat(opened.version()).isEqualTo(1);
        assertThat(opened.count()).isEqualTo(1);
        assertThat(opened.skipped().legs()).isEqualTo(2);
        assertThat(opened.skipped().byReason()).containsEntry(SkipReason.COUNTERFEIT, 2L);
        assertThat(opened.skipped().assets()).singleElement().satisfies(x -> {
            assertThat(x.asset()).isEqualTo(fake);
            assertThat(x.assetReason()).contains("looks like ETH");
            assertThat(x.legs()).isEqualTo(2);
        });
    }

    @Test
    void skippedLegsAfterTheAlertMakeANewVersionWhenTheyNameSomethingNewOrTheirCountDoubles() {
        Asset fake = Asset.token(addr("fake-eth"));
        Asset fake2 = Asset.token(addr("fake-steth"));
        feedAll(token(1000, Asset.NATIVE, ETH, TokenStatus.VERIFIED, null));
        List<Long> versions = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            Alert a = feedAll(token(1000 + i, fake, ETH, TokenStatus.COUNTERFEIT, SkipReason.COUNTERFEIT));
            versions.add(a == null ? null : a.version());
        }
        Alert other = feedAll(token(1009, fake2, ETH, TokenStatus.COUNTERFEIT, SkipReason.COUNTERFEIT));

        // the first skipped leg names the token; then 2, 4 and 8 legs; the others are counted without a new version
        assertThat(versions).containsExactly(2L, 3L, null, 4L, null, null, null, 5L);
        assertThat(other.version()).isEqualTo(6);
        assertThat(other.count()).as("a skipped leg is not a leg of the alert").isEqualTo(1);
        assertThat(other.skipped().legs()).isEqualTo(9);
        assertThat(other.skipped().assets()).extracting(AlertSkipped.SkippedAsset::legs).containsExactlyInAnyOrder(8L, 1L);
    }

    private Alert movement(long block) {
        List<Candidate> c = engine.onFlow(flow(block, 0, "seed:hack", "somebody", ETH, "hack", ETH, 1, FlowKind.TRACKED, null));
        assertThat(c).extracting(x -> x.alert().rule()).containsExactly(AlertRule.WATCHLIST_MOVEMENT);
        return feed(c.get(0));
    }
}
