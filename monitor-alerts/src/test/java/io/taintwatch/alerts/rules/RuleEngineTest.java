package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.alerts.Flows;
import io.taintwatch.alerts.MapLookups;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSkipped;
import io.taintwatch.model.AlertSource;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.Severity;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.Chain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.util.List;
import java.util.Set;

import static io.taintwatch.alerts.Flows.ETH;
import static io.taintwatch.alerts.Flows.addr;
import static io.taintwatch.alerts.Flows.flow;
import static org.assertj.core.api.Assertions.assertThat;

class RuleEngineTest {
    private final MapLookups lookups = new MapLookups()
        .seed(new Seed(addr("seed:hack"), "hack", Category.THEFT, 0, "Bybit 2025-02-21"))
        .seed(new Seed(addr("seed:ofac"), "ofac-1", Category.SANCTIONS, 0, "OFAC SDN 12345 DPRK3"))
        .label(new Entity(addr("dep"), "OtherEx", Category.EXCHANGE_DEPOSIT, "test", 90))
        .label(new Entity(addr("our-dep"), "WeEx", Category.EXCHANGE_DEPOSIT, "test", 100))
        .label(new Entity(addr("our-hot"), "WeEx", Category.EXCHANGE_HOT_WALLET, "test", 100))
        .label(new Entity(addr("mixer"), "Tornado", Category.MIXER, "test", 100))
        .label(new Entity(addr("bridge"), "Wormhole", Category.BRIDGE, "test", 100))
        .label(new Entity(addr("hot"), "OtherEx", Category.EXCHANGE_HOT_WALLET, "test", 100));
    private final RulesConfig config = RulesConfig.defaults().withOwn(new OwnAddresses(Set.of("weex"), Set.of(), Set.of()));

    private List<Alert> alerts(TaintFlow f) {
        List<Alert> out = new RuleEngine(config, lookups).onFlow(f).stream().map(Candidate::alert).toList();
        out.stream().filter(a -> !a.note()).forEach(AlertSchema::assertValid);
        return out;
    }

    @ParameterizedTest(name = "tainted funds reaching {0} raise {1}")
    @CsvSource({"dep, tainted-to-exchange", "hot, tainted-to-exchange", "mixer, tainted-to-mixer", "bridge, tainted-to-bridge",
        "our-dep, own-deposit-tainted"})
    void arrivalRuleFollowsTheRecipient(String to, String rule) {
        List<Alert> a = alerts(flow(10, 0, "mule", to, ETH, "hack", ETH.divide(BigInteger.TWO), 2, FlowKind.TERMINAL, lookups.labels.get(addr(to))));
        assertThat(a).extracting(x -> x.rule().label()).containsExactly(rule);
        Alert alert = a.get(0);
        assertThat(alert.subject()).isEqualTo(addr(to));
        assertThat(alert.tainted().formatted()).isEqualTo("0.5");
        assertThat(alert.tainted().symbol()).isEqualTo("ETH");
        assertThat(alert.sharePpm()).isEqualTo(500_000);
        assertThat(alert.sources()).singleElement().satisfies(s -> {
            assertThat(s.reference()).isEqualTo("Bybit 2025-02-21");
            assertThat(s.role()).isEqualTo(AlertSource.ORIGIN);
            assertThat(s.hop()).isEqualTo(2);
        });
        assertThat(alert.path().hops()).hasSize(2);
        assertThat(alert.policy().balanceBasis()).isNotNull();
    }

    @Test
    void ownDepositIsSevereWithHoldTheCredit() {
        Alert a = alerts(flow(10, 0, "mule", "our-dep", ETH, "hack", BigInteger.ONE, 6, FlowKind.TERMINAL, lookups.labels.get(addr("our-dep")))).get(0);
        assertThat(a.severity()).isEqualTo(Severity.SEVERE);
        assertThat(a.recommendedAction()).startsWith("hold the credit");
    }

    @Test
    void ownDepositByConfiguredAddressAlertsEvenWhenTheEngineKeepsTracking() {
        RulesConfig byAddress = RulesConfig.defaults().withOwn(new OwnAddresses(Set.of(), Set.of(addr("unlabelled-dep")), Set.of()));
        List<Candidate> c = new RuleEngine(byAddress, lookups).onFlow(flow(10, 0, "mule", "unlabelled-dep", ETH, "hack", ETH, 3, FlowKind.TRACKED, null));
        assertThat(c).extracting(x -> x.alert().rule()).containsExactly(AlertRule.OWN_DEPOSIT_TAINTED);
    }

    @Test
    void thresholdsFilterByShareHopsAndAmountPerAsset() {
        Entity dep = lookups.labels.get(addr("dep"));
        // default: share >= 0.1% and hop <= 6
        assertThat(alerts(flow(10, 0, "m", "dep", ETH, "hack", ETH.divide(BigInteger.valueOf(1001)), 2, FlowKind.TERMINAL, dep))).isEmpty();
        assertThat(alerts(flow(10, 0, "m", "dep", ETH, "hack", ETH.divide(BigInteger.valueOf(1000)), 2, FlowKind.TERMINAL, dep))).hasSize(1);
        assertThat(alerts(flow(10, 0, "m", "dep", ETH, "hack", ETH, 7, FlowKind.TERMINAL, dep))).isEmpty();
        RulesConfig minAmount = config.withThreshold(AlertRule.TAINTED_TO_EXCHANGE,
            RuleThresholds.any().withMinAmount("testnet:native", ETH));
        RuleEngine e = new RuleEngine(minAmount, lookups);
        assertThat(e.onFlow(flow(10, 0, "m", "dep", ETH, "hack", ETH.subtract(BigInteger.ONE), 2, FlowKind.TERMINAL, dep))).isEmpty();
        assertThat(e.onFlow(flow(10, 0, "m", "dep", ETH, "hack", ETH, 2, FlowKind.TERMINAL, dep))).hasSize(1);
        RulesConfig off = config.withThreshold(AlertRule.TAINTED_TO_EXCHANGE, RuleThresholds.any().disabled());
        assertThat(new RuleEngine(off, lookups).onFlow(flow(10, 0, "m", "dep", ETH, "hack", ETH, 2, FlowKind.TERMINAL, dep))).isEmpty();
    }

    @Test
    void trackedFlowsBetweenUnlabelledAddressesRaiseNothing() {
        assertThat(alerts(flow(10, 0, "m1", "m2", ETH, "hack", ETH, 2, FlowKind.TRACKED, null))).isEmpty();
    }

    @Test
    void aSanctionedSourcePayingAnyoneIsDirectExposureAndAWatchlistMovement() {
        List<Alert> a = alerts(flow(10, 0, "seed:ofac", "our-dep", BigInteger.ONE, "ofac-1", BigInteger.ONE, 1, FlowKind.TERMINAL,
            lookups.labels.get(addr("our-dep"))));
        assertThat(a).extracting(Alert::rule).containsExactlyInAnyOrder(AlertRule.OWN_DEPOSIT_TAINTED, AlertRule.SANCTIONED_DIRECT,
            AlertRule.WATCHLIST_MOVEMENT);
        Alert direct = a.stream().filter(x -> x.rule() == AlertRule.SANCTIONED_DIRECT).findFirst().orElseThrow();
        assertThat(direct.severity()).isEqualTo(Severity.SEVERE); // the counterparty is our deposit address
        assertThat(direct.sources().get(0).role()).isEqualTo(AlertSource.COUNTERPARTY);
        assertThat(direct.sources().get(0).reference()).isEqualTo("OFAC SDN 12345 DPRK3");
        assertThat(direct.subject()).isEqualTo(addr("seed:ofac"));
    }

    @Test
    void aSkippedFlowFromASanctionedSourceToOurDepositOpensNoAlert() {
        TaintFlow f = flow(10, 0, "seed:ofac", "our-dep", BigInteger.ONE, "ofac-1", BigInteger.ONE, 1, FlowKind.TERMINAL,
            lookups.labels.get(addr("our-dep")));
        TaintFlow skipped = new TaintFlow(f.chain(), f.position(), f.blockTimestamp(), LegKind.ERC20, f.txHash(), f.from(), f.to(), f.asset(),
            f.amount(), f.shares(), f.policy(), FlowKind.SKIPPED, f.recipientEntity(), f.senderBasis(), List.of(), TokenStatus.COUNTERFEIT,
            "symbol \"ЕТН\" (U+0415 U+0422 U+041D) looks like ETH, the native asset", SkipReason.COUNTERFEIT);
        List<Alert> notes = alerts(skipped);
        // only a note for the sender's movement alert, which the aggregator never publishes on its own
        assertThat(notes).hasSize(1).allMatch(Alert::note);
        assertThat(notes.get(0).skipped().assets()).extracting(AlertSkipped.SkippedAsset::assetReason)
            .containsExactly("symbol \"ЕТН\" (U+0415 U+0422 U+041D) looks like ETH, the native asset");
        AlertAggregator agg = new AlertAggregator(RulesConfig.DEFAULT_QUIET_BLOCKS);
        assertThat(AlertAggregator.published(null, agg.merge(null, notes.get(0)))).isFalse();
    }

    @Test
    void aSeedBeforeItsValidFromBlockIsNotYetWatched() {
        lookups.seed(new Seed(addr("seed:late"), "late", Category.SANCTIONS, 100, "later"));
        assertThat(alerts(flow(99, 0, "seed:late", "x", ETH, "late", ETH, 1, FlowKind.TRACKED, null))).isEmpty();
        assertThat(alerts(flow(100, 0, "seed:late", "x", ETH, "late", ETH, 1, FlowKind.TRACKED, null)))
            .extracting(Alert::rule).containsExactlyInAnyOrder(AlertRule.SANCTIONED_DIRECT, AlertRule.WATCHLIST_MOVEMENT);
    }

    @Test
    void blocksShowPaymentsIntoSanctionedAddressesAndOurHotWalletsOutgoingExposure() {
        lookups.tracked.put(addr("tainted-eoa"), Set.of("hack"));
        Chain chain = new Chain(50);
        Block b = chain.block()
            .send("alice", "seed:ofac", 5)          // direct exposure into a sanctioned address
            .send("our-hot", "mixer", 7)            // our hot wallet pays a mixer
            .send("our-hot", "tainted-eoa", 9)      // ... an address the engine tracks
            .send("our-hot", "bob", 11)             // ... a clean address: nothing
            .send("alice", "bob", 13)               // nothing
            .build();
        List<Alert> a = new RuleEngine(config, lookups).onBlock(b).stream().map(Candidate::alert).toList();
        a.forEach(AlertSchema::assertValid);
        assertThat(a).extracting(x -> x.rule().label() + ">" + x.to())
            .containsExactly("sanctioned-direct-exposure>" + addr("seed:ofac"), "own-outgoing-exposure>" + addr("mixer"),
                "own-outgoing-exposure>" + addr("tainted-eoa"));
        assertThat(a.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(a.get(1).severity()).isEqualTo(Severity.HIGH);
        assertThat(a.get(2).severity()).isEqualTo(Severity.MEDIUM); // tracked with a theft source
        assertThat(a.get(2).sources()).extracting(AlertSource::sourceId).containsExactly("hack");
    }

    @Test
    void twoSourcesInOneLegGiveOneAlertPerSourceWithBothSharesListed() {
        TaintFlow one = flow(10, 0, "m", "dep", ETH, "hack", ETH.divide(BigInteger.TEN), 2, FlowKind.TERMINAL, lookups.labels.get(addr("dep")));
        TaintFlow two = new TaintFlow(one.chain(), one.position(), one.blockTimestamp(), one.legKind(), one.txHash(), one.from(), one.to(),
            one.asset(), one.amount(), List.of(one.shares().get(0), new io.taintwatch.model.SourceShare("ofac-1", ETH.divide(BigInteger.TWO), 3, 1)),
            one.policy(), one.kind(), one.recipientEntity(), one.senderBasis(), one.paths());
        List<Alert> a = alerts(two);
        assertThat(a).hasSize(2).allSatisfy(x -> assertThat(x.sources()).hasSize(2));
        assertThat(a).extracting(Alert::id).doesNotHaveDuplicates();
        assertThat(a).extracting(x -> x.tainted().raw()).containsExactlyInAnyOrder(ETH.divide(BigInteger.TEN), ETH.divide(BigInteger.TWO));
    }

    @Test
    void amountsAreExactDecimalStrings() {
        assertThat(new io.taintwatch.model.TokenAmount(BigInteger.valueOf(1_234_500), 6, "USDT", true).formatted()).isEqualTo("1.2345");
        assertThat(new io.taintwatch.model.TokenAmount(BigInteger.valueOf(1_234_500), 0, "", false).formatted()).isEqualTo("1234500");
        assertThat(new io.taintwatch.model.TokenAmount(BigInteger.ONE, 18, "ETH", true).formatted()).isEqualTo("0.000000000000000001");
        assertThat(new io.taintwatch.model.TokenAmount(new BigInteger("115792089237316195423570985008687907853269984665640564039457584007913129639935"), 18, "X", true)
            .formatted()).isEqualTo("115792089237316195423570985008687907853269984665640564039457.584007913129639935");
    }
}
