package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.alerts.LookalikeAddresses;
import io.taintwatch.alerts.MapLookups;
import io.taintwatch.alerts.TokenInfo;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.Severity;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.Chain;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

class LookalikeRulesTest {
    static final BigInteger ETH = BigInteger.TEN.pow(18);
    static final Asset USDT = Chain.token("usdt");
    static final Asset FAKE = Chain.token("fake-eth");

    private final MapLookups lookups = new MapLookups()
        .seed(new Seed(addr("hacker"), "hack", Category.THEFT, 0, "demo hack"))
        .label(new Entity(addr("our-hot"), "WeEx", Category.EXCHANGE_HOT_WALLET, "test", 100));
    private RulesConfig config = RulesConfig.defaults().withOwn(new OwnAddresses(Set.of("weex"), Set.of(), Set.of()));
    private final Chain chain = new Chain(100);

    LookalikeRulesTest() {
        lookups.tokens.put(USDT, new TokenInfo("USDT", 6, "Tether USD"));
        lookups.statuses.put(USDT, TokenStatus.VERIFIED);
        lookups.tokens.put(FAKE, new TokenInfo("ЕТН", 18, "Еther"));
        lookups.statuses.put(FAKE, TokenStatus.COUNTERFEIT);
    }

    static Address lookalike(Address a, int prefix, int suffix, String salt) {
        return LookalikeAddresses.of(a, prefix, suffix, salt);
    }

    private List<Alert> run(CounterpartyMemory memory) {
        RuleEngine engine = new RuleEngine(config, lookups, memory);
        List<Alert> out = new ArrayList<>();
        for (Block b : chain.blocks()) {
            for (Candidate c : engine.onBlock(b)) {
                if (!c.alert().note()) {
                    AlertSchema.assertValid(c.alert());
                }
                out.add(c.alert());
            }
        }
        return out;
    }

    private List<Alert> run() {
        return run(new CounterpartyMemory(SortedBytes.inMemory(), config.lookalike()));
    }

    private static List<Alert> ofRule(List<Alert> alerts, AlertRule rule) {
        return alerts.stream().filter(a -> a.rule() == rule && !a.note()).toList();
    }

    @Test
    void aCounterfeitTransferFromTheHackerToALookalikeOfHisMuleFlagsTheLookalikeWithTheRealPaymentAsEvidence() {
        Address mule = addr("mule");
        Address fake = lookalike(mule, 3, 4, "decoy");
        chain.block().tx().leg(LegKind.NATIVE, addr("hacker"), mule, Asset.NATIVE, ETH.multiply(BigInteger.valueOf(50))).build();
        chain.block().tx().leg(LegKind.ERC20, addr("hacker"), fake, FAKE, ETH.multiply(BigInteger.valueOf(554_883))).build();

        List<Alert> alerts = run();

        List<Alert> poisoning = ofRule(alerts, AlertRule.ADDRESS_POISONING);
        assertThat(poisoning).hasSize(1);
        Alert a = poisoning.get(0);
        assertThat(a.subject()).isEqualTo(fake);
        assertThat(a.severity()).isEqualTo(Severity.LOW);
        assertThat(a.recommendedAction()).isEqualTo(SeverityScorer.ACTION_IGNORE_DECOY);
        assertThat(a.lookalike().lookalikeOf()).isEqualTo(mule);
        assertThat(a.lookalike().holder()).isEqualTo(addr("hacker"));
        assertThat(a.lookalike().kind()).isEqualTo("counterfeit");
        assertThat(a.lookalike().real().to()).isEqualTo(mule);
        assertThat(a.lookalike().real().amount().formatted()).isEqualTo("50");
        assertThat(a.reasons()).anyMatch(r -> r.contains("shares its first 3 and last 4 hex digits with " + mule));
        // the block rules leave the hacker's movement alert to the flows: a note from them would race the flows' candidates
        assertThat(alerts).noneMatch(Alert::note);
    }

    @Test
    void zeroValueTokenTransfersAndDustAreFlaggedRealPaymentsAreNot() {
        Address mule = addr("mule");
        chain.block().tx().leg(LegKind.NATIVE, addr("hacker"), mule, Asset.NATIVE, ETH).build();
        chain.block()
            .tx().leg(LegKind.ERC20, addr("hacker"), lookalike(mule, 3, 4, "zero"), USDT, BigInteger.ZERO)
            .tx().leg(LegKind.NATIVE, addr("hacker"), lookalike(mule, 3, 4, "dust"), Asset.NATIVE, BigInteger.TEN.pow(12))
            .tx().leg(LegKind.ERC20, addr("hacker"), lookalike(mule, 3, 4, "tiny"), USDT, BigInteger.valueOf(10_000_000))
            .tx().leg(LegKind.ERC20, addr("hacker"), lookalike(mule, 3, 4, "payment"), USDT, BigInteger.valueOf(10_000_001))
            .build();

        assertThat(ofRule(run(), AlertRule.ADDRESS_POISONING)).extracting(a -> a.lookalike().kind())
            .containsExactly("zero-value", "dust", "dust");
    }

    @Test
    void dustSentFromTheLookalikeToTheHolderFlagsTheSender() {
        Address friend = addr("friend");
        Address fake = lookalike(friend, 4, 5, "fake-friend");
        chain.block().tx().leg(LegKind.ERC20, friend, addr("hacker"), USDT, BigInteger.valueOf(5_000_000_000L)).build();
        chain.block().tx().leg(LegKind.ERC20, fake, addr("hacker"), USDT, BigInteger.valueOf(1_000)).build();

        List<Alert> poisoning = ofRule(run(), AlertRule.ADDRESS_POISONING);
        assertThat(poisoning).singleElement().satisfies(a -> {
            assertThat(a.subject()).isEqualTo(fake);
            assertThat(a.lookalike().holder()).isEqualTo(addr("hacker"));
            assertThat(a.lookalike().lookalikeOf()).isEqualTo(friend);
            assertThat(a.lookalike().real().from()).isEqualTo(friend);
        });
    }

    @Test
    void theDigitCountsDecideWhatLooksAlike() {
        Address mule = addr("mule");
        chain.block().tx().leg(LegKind.NATIVE, addr("hacker"), mule, Asset.NATIVE, ETH).build();
        chain.block().tx().leg(LegKind.ERC20, addr("hacker"), lookalike(mule, 2, 4, "short-prefix"), USDT, BigInteger.ZERO)
            .tx().leg(LegKind.ERC20, addr("hacker"), lookalike(mule, 3, 3, "short-suffix"), USDT, BigInteger.ZERO).build();

        assertThat(ofRule(run(), AlertRule.ADDRESS_POISONING)).isEmpty();
        config = config.withLookalike(config.lookalike().withDigits(2, 3));
        assertThat(ofRule(run(), AlertRule.ADDRESS_POISONING)).hasSize(2);
    }

    @Test
    void aCounterpartyOlderThanTheWindowIsForgotten() {
        Address mule = addr("mule");
        config = config.withLookalike(config.lookalike().withWindowSeconds(120));
        chain.block().tx().leg(LegKind.NATIVE, addr("hacker"), mule, Asset.NATIVE, ETH).build();
        for (int i = 0; i < 10; i++) {
            chain.block().build(); // 12 s per block
        }
        chain.block().tx().leg(LegKind.ERC20, addr("hacker"), lookalike(mule, 3, 4, "late"), USDT, BigInteger.ZERO).build();
        CounterpartyMemory memory = new CounterpartyMemory(SortedBytes.inMemory(), config.lookalike());

        assertThat(ofRule(run(memory), AlertRule.ADDRESS_POISONING)).isEmpty();
        assertThat(memory.size(Chain.CHAIN)).as("expired records are deleted").isZero();
    }

    @Test
    void theMemoryKeepsOnlyTheNewestRecordsBeyondItsBoundButKeepsOurHotWalletsPayees() {
        config = config.withLookalike(config.lookalike().withMaxEntries(4));
        chain.block().tx().leg(LegKind.NATIVE, addr("our-hot"), addr("customer"), Asset.NATIVE, ETH).build();
        for (int i = 0; i < 5; i++) {
            chain.block().tx().leg(LegKind.NATIVE, addr("a" + i), addr("b" + i), Asset.NATIVE, ETH).build();
        }
        chain.block().tx().leg(LegKind.NATIVE, addr("our-hot"), lookalike(addr("customer"), 3, 4, "x"), Asset.NATIVE, ETH).build();
        CounterpartyMemory memory = new CounterpartyMemory(SortedBytes.inMemory(), config.lookalike());

        List<Alert> alerts = run(memory);

        // what our hot wallet paid (tier 0: the customer, then the lookalike) is not evicted; of the others, the 4 newest remain
        assertThat(memory.size(Chain.CHAIN)).isEqualTo(2 + 4);
        assertThat(ofRule(alerts, AlertRule.WITHDRAWAL_TO_LOOKALIKE)).hasSize(1);
    }

    @Test
    void ourHotWalletPayingALookalikeOfAnEarlierPayeeRaisesAHighAlertNamingThePoisoning() {
        Address customer = addr("customer-wallet");
        Address fake = lookalike(customer, 3, 4, "poison");
        chain.block().tx().leg(LegKind.ERC20, addr("our-hot"), customer, USDT, BigInteger.valueOf(25_000_000_000L)).build();
        chain.block().tx().leg(LegKind.ERC20, addr("our-hot"), fake, USDT, BigInteger.ZERO).build();
        chain.block().tx().leg(LegKind.ERC20, addr("our-hot"), fake, USDT, BigInteger.valueOf(30_000_000_000L)).build();

        List<Alert> alerts = run();

        assertThat(ofRule(alerts, AlertRule.ADDRESS_POISONING)).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(a.recommendedAction()).isEqualTo(SeverityScorer.ACTION_WARN_POISONED);
        });
        assertThat(ofRule(alerts, AlertRule.WITHDRAWAL_TO_LOOKALIKE)).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.subject()).isEqualTo(fake);
            assertThat(a.amount().formatted()).isEqualTo("30000");
            assertThat(a.amount().symbol()).isEqualTo("USDT");
            assertThat(a.lookalike().lookalikeOf()).isEqualTo(customer);
            assertThat(a.lookalike().kind()).isEqualTo("payment");
            assertThat(a.lookalike().real().amount().formatted()).isEqualTo("25000");
            assertThat(a.lookalike().poisoning().amount().raw()).isZero();
        });
    }

    @Test
    void withoutAWatchedHolderPoisoningIsFlaggedOnlyWithScopeAll() {
        Address bob = addr("bob");
        chain.block().tx().leg(LegKind.NATIVE, addr("alice"), bob, Asset.NATIVE, ETH).build();
        chain.block().tx().leg(LegKind.ERC20, addr("alice"), lookalike(bob, 3, 4, "bob-fake"), USDT, BigInteger.ZERO).build();

        assertThat(ofRule(run(), AlertRule.ADDRESS_POISONING)).isEmpty();
        config = config.withLookalike(config.lookalike().withScope(LookalikeConfig.Scope.ALL));
        assertThat(ofRule(run(), AlertRule.ADDRESS_POISONING)).hasSize(1);
    }

    @Test
    void theSameBlocksGiveTheSameAlerts() {
        Address mule = addr("mule");
        chain.block().tx().leg(LegKind.NATIVE, addr("hacker"), mule, Asset.NATIVE, ETH).build();
        for (int i = 0; i < 20; i++) {
            chain.block().tx().leg(LegKind.ERC20, addr("hacker"), lookalike(mule, 3, 4, "f" + i), FAKE, ETH)
                .tx().leg(LegKind.NATIVE, addr("u" + i), addr("v" + i), Asset.NATIVE, ETH).build();
        }
        assertThat(run()).isEqualTo(run());
    }
}
