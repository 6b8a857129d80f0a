package io.taintwatch.taint;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import io.taintwatch.testing.Chain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaintEngineTest {
    static final Asset ETH = Asset.NATIVE;
    static final Asset USDT = Chain.token("usdt");

    /** No dust cut-offs unless a test sets them: the semantics are easier to read. */
    static TaintConfig plain(PolicyKind p) {
        return TaintConfig.defaults().withPolicy(p).withDust(Map.of(), BigInteger.ZERO, 0);
    }

    static TaintEngine engine(TaintConfig c, String... seeds) {
        TaintEngine e = new TaintEngine(Chain.CHAIN, c);
        for (String s : seeds) {
            e.putSeed(new Seed(addr(s), "case:" + s, Category.THEFT, 0, "test"));
        }
        return e;
    }

    static List<TaintFlow> run(TaintEngine e, Block... blocks) {
        List<TaintFlow> out = new ArrayList<>();
        for (Block b : blocks) {
            out.addAll(e.process(b).flows());
        }
        return out;
    }

    static BigInteger taint(TaintEngine e, String who, Asset x, String source) {
        Account a = e.account(addr(who));
        if (a == null || a.holdings.get(x) == null) {
            return BigInteger.ZERO;
        }
        return a.holdings.get(x).taintOf(source);
    }

    @Test
    void spendingBeforeReceivingLeavesRecipientClean() {
        Chain c = new Chain(100);
        Block b = c.block().send("bob", "carol", 5).send("hacker", "bob", 10).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        List<TaintFlow> flows = run(e, b);
        assertThat(e.account(addr("carol"))).isNull();
        assertThat(taint(e, "bob", ETH, "case:hacker")).isEqualTo(BigInteger.TEN);
        assertThat(flows).extracting(TaintFlow::to).containsExactly(addr("bob"));
    }

    @Test
    void receivingBeforeSpendingTaintsTheRecipient() {
        Chain c = new Chain(100);
        Block b = c.block().send("hacker", "bob", 10).send("bob", "carol", 5).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        run(e, b);
        assertThat(taint(e, "carol", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(5));
        assertThat(e.account(addr("carol")).hop("case:hacker")).isEqualTo(2);
    }

    /** Found by the T <= B property: per-source floors alone let two half-shares of 1 wei stay behind when 1 of 2 wei leaves. */
    @Test
    void flooringSeveralSourcesNeverLeavesMoreTaintThanBalance() {
        Chain c = new Chain(1);
        Block b = c.block().send("h1", "mixed", 1).send("h2", "mixed", 1).send("mixed", "next", 1).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "h1", "h2");
        run(e, b);
        BigInteger held = taint(e, "mixed", ETH, "case:h1").add(taint(e, "mixed", ETH, "case:h2"));
        assertThat(held).as("sum T <= B = 1").isEqualTo(BigInteger.ONE);
        // equal fractions dropped: the first source id gives the unit
        assertThat(taint(e, "next", ETH, "case:h1")).isEqualTo(BigInteger.ONE);
        assertThat(taint(e, "next", ETH, "case:h2")).isZero();
        assertThat(e.ledgers().get("case:h1").get(ETH).left()).isEqualTo(BigInteger.ONE);
    }

    @Test
    void proRataRoundsUpTheLargestDroppedFractionsOnlyAsFarAsNeeded() {
        Map<String, BigInteger> t = Map.of("a", BigInteger.valueOf(5), "b", BigInteger.valueOf(3), "c", BigInteger.valueOf(2));
        // 7 of 10 leave: exact shares 3.5, 2.1, 1.4 -> floors 3, 2, 1 leave 4 behind but only 3 remain: "a" (.5) gives one more
        assertThat(TaintEngine.proRata(t, BigInteger.valueOf(7), BigInteger.TEN, null))
            .containsExactlyInAnyOrderEntriesOf(Map.of("a", BigInteger.valueOf(4), "b", BigInteger.TWO, "c", BigInteger.ONE));
        // when taint is below the balance the floors stand
        Map<String, BigInteger> partial = Map.of("a", BigInteger.valueOf(5), "b", BigInteger.valueOf(3));
        assertThat(TaintEngine.proRata(partial, BigInteger.valueOf(7), BigInteger.TEN, null))
            .containsExactlyInAnyOrderEntriesOf(Map.of("a", BigInteger.valueOf(3), "b", BigInteger.TWO));
        // real-sized amounts: taint far below the balance (the difference does not fit a long) leaves the floors alone
        Map<String, BigInteger> wei = Map.of("case-7", new BigInteger("3126734743938539509"));
        assertThat(TaintEngine.proRata(wei, new BigInteger("7405838879282961142"), new BigInteger("39972009728725483794"), null))
            .containsExactlyInAnyOrderEntriesOf(Map.of("case-7", new BigInteger("579307717800938976")));
        // the skipped source keeps its taint and counts towards what remains
        assertThat(TaintEngine.proRata(t, BigInteger.valueOf(7), BigInteger.TEN, "c"))
            .containsExactlyInAnyOrderEntriesOf(Map.of("a", BigInteger.valueOf(4), "b", BigInteger.valueOf(3)));
    }

    /** Anderson et al.: 3 stolen + 7 clean in one account, then a spend of 3. */
    @Test
    void andersonsExampleUnderEachPolicy() {
        for (PolicyKind p : PolicyKind.values()) {
            Chain c = new Chain(1);
            Block b = c.block().send("hacker", "mixed", 3000).send("clean", "mixed", 7000).send("mixed", "next", 3000).build();
            TaintEngine e = engine(plain(p), "hacker");
            run(e, b);
            BigInteger got = taint(e, "next", ETH, "case:hacker");
            switch (p) {
                case HAIRCUT -> assertThat(got).as("haircut: 30%% of 3000").isEqualTo(BigInteger.valueOf(900));
                case POISON -> assertThat(got).as("poison: all of it").isEqualTo(BigInteger.valueOf(3000));
                // the stolen 3000 arrived first, so the first 3000 out are the stolen ones
                case FIFO -> assertThat(got).as("fifo: first in, first out").isEqualTo(BigInteger.valueOf(3000));
            }
        }
    }

    @Test
    void fifoSpendsTheCleanOpeningBalanceFirst() {
        Chain c = new Chain(1);
        // "mixed" held 7000 before this block: end-of-block balance 7000 + 3000 - 3000
        Block b = c.block().send("hacker", "mixed", 3000).send("mixed", "next", 3000).balance("mixed", ETH, 7000).build();
        TaintEngine e = engine(plain(PolicyKind.FIFO), "hacker");
        run(e, b);
        assertThat(e.account(addr("next"))).isNull();
        assertThat(taint(e, "mixed", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(3000));
        assertThat(e.account(addr("mixed")).holdings.get(ETH).basis()).isEqualTo(BalanceBasis.END_OF_BLOCK);
    }

    @Test
    void openingBalanceComesFromEndOfBlockBalanceMinusLaterNetLegs() {
        Chain c = new Chain(1);
        // bob had 100 before; gets 10 tainted, spends 11 in the same block: end balance 99
        Block b = c.block().send("hacker", "bob", 10).send("bob", "carol", 11).balance("bob", ETH, 99).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        List<TaintFlow> flows = run(e, b);
        // 11 * 10 / 110 = 1
        assertThat(taint(e, "carol", ETH, "case:hacker")).isEqualTo(BigInteger.ONE);
        assertThat(e.account(addr("bob")).holdings.get(ETH).balance()).isEqualTo(BigInteger.valueOf(99));
        assertThat(flows.get(1).senderBasis()).isEqualTo(BalanceBasis.END_OF_BLOCK);
    }

    @Test
    void withoutBalancesTheOpeningIsZeroAndTheBasisSaysSo() {
        Chain c = new Chain(1);
        Block b = c.block().send("hacker", "bob", 10).send("bob", "carol", 11).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        List<TaintFlow> flows = run(e, b);
        // over-estimates: all 10 tainted units leave with the 11 (bob's unknown balance counts as 0)
        assertThat(taint(e, "carol", ETH, "case:hacker")).isEqualTo(BigInteger.TEN);
        assertThat(flows.get(1).senderBasis()).isEqualTo(BalanceBasis.ZERO);
        assertThat(flows.get(0).senderBasis()).isEqualTo(BalanceBasis.SOURCE);
        assertThat(e.account(addr("bob"))).as("bob sent all its taint away: untracked").isNull();
    }

    @Test
    void untaintedInflowDilutes() {
        Chain c = new Chain(1);
        Block b = c.block().send("hacker", "bob", 100).send("alice", "bob", 300).send("bob", "carol", 200).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        run(e, b);
        assertThat(taint(e, "carol", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(50));
        assertThat(taint(e, "bob", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(50));
    }

    @Test
    void sourcesAreNeverDilutedAndTaintPerSourceIsKeptApart() {
        Chain c = new Chain(1);
        Block b = c.block().send("alice", "hacker", 1000).send("hacker", "bob", 10).send("thief", "bob", 30)
            .send("bob", "carol", 20).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker", "thief");
        run(e, b);
        // bob held 10 + 30 tainted of 40 and spent half: each source's share halves
        assertThat(taint(e, "bob", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(5));
        assertThat(taint(e, "carol", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(5));
        assertThat(taint(e, "carol", ETH, "case:thief")).isEqualTo(BigInteger.valueOf(15));
    }

    @Test
    void taintReachingASourceIsAbsorbedThereAndItsOutflowsCarryOnlyItsOwnSource() {
        Chain c = new Chain(1);
        Block b = c.block().send("thief", "hacker", 10).send("hacker", "bob", 5).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker", "thief");
        List<TaintFlow> flows = run(e, b);
        assertThat(flows).hasSize(2);
        assertThat(taint(e, "bob", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(5));
        assertThat(taint(e, "bob", ETH, "case:thief")).isZero();
        SourceLedger thief = e.ledgers().get("case:thief").get(ETH);
        assertThat(thief.toSource()).isEqualTo(BigInteger.TEN);
        assertThat(thief.left()).isEqualTo(thief.toSource());
    }

    @Test
    void hopCutOffIsCountedNotLost() {
        Chain c = new Chain(1);
        Chain.BlockBuilder bb = c.block().send("hacker", "h1", 1000);
        for (int i = 1; i < 6; i++) {
            bb.send("h" + i, "h" + (i + 1), 1000);
        }
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT).withMaxHops(3), "hacker");
        List<TaintFlow> flows = run(e, bb.build());
        assertThat(flows).hasSize(3);
        assertThat(e.account(addr("h4"))).isNull();
        SourceLedger l = e.ledgers().get("case:hacker").get(ETH);
        assertThat(l.hopCut()).isEqualTo(BigInteger.valueOf(1000));
        assertThat(e.hopCuts()).isEqualTo(1);
        assertThat(l.left()).isEqualTo(e.held("case:hacker", ETH).add(l.hopCut()));
    }

    @Test
    void dustIsCountedNotLostAndDoesNotTrackTheRecipient() {
        Chain c = new Chain(1);
        Block b = c.block().send("hacker", "bystander", 5).send("hacker", "mule", 5000)
            .send("alice", "mule", 995_000).send("mule", "shop", 100_000).build();
        TaintConfig cfg = plain(PolicyKind.HAIRCUT).withDust(Map.of(ETH, BigInteger.TEN), BigInteger.ZERO, 10_000);
        TaintEngine e = engine(cfg, "hacker");
        run(e, b);
        assertThat(e.account(addr("bystander"))).as("under the absolute dust threshold").isNull();
        // mule's share is 0.5%, under the 1% minimum share: the 500 carried to shop is dropped
        assertThat(e.account(addr("shop"))).isNull();
        SourceLedger l = e.ledgers().get("case:hacker").get(ETH);
        assertThat(l.dust()).isEqualTo(BigInteger.valueOf(5 + 500));
        assertThat(e.dustCuts()).isEqualTo(2);
        assertThat(e.hopCuts()).isZero();
        assertThat(l.left()).isEqualTo(e.held("case:hacker", ETH).add(l.dust()));
    }

    @Test
    void terminalEntitiesStopPropagationAndCarryThePath() {
        Chain c = new Chain(1);
        Block b1 = c.block().send("hacker", "fresh1", 10_000).build();
        Block b2 = c.block().send("fresh1", "fresh2", 6_000).send("fresh2", "deposit", 6_000).send("deposit", "hot", 6_000).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        e.putLabel(new Entity(addr("deposit"), "Exchange X deposit", Category.EXCHANGE_DEPOSIT, "test", 100));
        List<TaintFlow> flows = run(e, b1, b2);
        TaintFlow terminal = flows.get(flows.size() - 1);
        assertThat(terminal.kind()).isEqualTo(FlowKind.TERMINAL);
        assertThat(terminal.to()).isEqualTo(addr("deposit"));
        assertThat(terminal.recipientEntity().name()).isEqualTo("Exchange X deposit");
        assertThat(e.account(addr("deposit"))).isNull();
        assertThat(e.account(addr("hot"))).isNull();
        TaintPath path = terminal.paths().get(0);
        assertThat(path.complete()).isTrue();
        assertThat(path.source()).isEqualTo(addr("hacker"));
        assertThat(path.hops()).extracting(h -> h.to()).containsExactly(addr("fresh1"), addr("fresh2"), addr("deposit"));
        assertThat(path.hops()).extracting(h -> h.tainted()).containsExactly(
            BigInteger.valueOf(10_000), BigInteger.valueOf(6_000), BigInteger.valueOf(6_000));
        assertThat(terminal.shares().get(0).hop()).isEqualTo(3);
        SourceLedger l = e.ledgers().get("case:hacker").get(ETH);
        assertThat(l.delivered()).isEqualTo(BigInteger.valueOf(6_000));
        assertThat(l.left()).isEqualTo(e.held("case:hacker", ETH).add(l.delivered()));
    }

    @Test
    void dexSwapReturnsTheShareSentInAndThePoolIsNeverTracked() {
        Chain c = new Chain(1);
        Block b1 = c.block().send("hacker", "mule", 100).send("alice", "mule", 100).build();
        // one swap transaction: mule sends 10 ETH and 10 more ETH in two legs, gets 40 USDT back
        Block b2 = c.block().tx()
            .leg(LegKind.NATIVE, "mule", "pool", ETH, 10)
            .leg(LegKind.INTERNAL, "mule", "pool", ETH, 10)
            .leg(LegKind.ERC20, "pool", "mule", USDT, 40_000)
            .build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        e.putLabel(new Entity(addr("pool"), "ETH/USDT pool", Category.DEX, "test", 100));
        List<TaintFlow> flows = run(e, b1, b2);
        assertThat(e.account(addr("pool"))).isNull();
        // first leg carries 10*100/200 = 5 (50%); second 10*95/190 = 5 (50%): largest share 50%
        assertThat(taint(e, "mule", USDT, "case:hacker")).isEqualTo(BigInteger.valueOf(20_000));
        assertThat(flows).extracting(TaintFlow::kind).endsWith(FlowKind.DEX_IN, FlowKind.DEX_IN, FlowKind.DEX_OUT);
        assertThat(e.account(addr("mule")).hop("case:hacker")).isEqualTo(1);
    }

    @Test
    void dexReturnInAnotherTransactionIsNotTainted() {
        Chain c = new Chain(1);
        Block b = c.block().send("hacker", "mule", 100)
            .tx().leg(LegKind.NATIVE, "mule", "pool", ETH, 50)
            .tx().leg(LegKind.ERC20, "pool", "mule", USDT, 40_000).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        e.putLabel(new Entity(addr("pool"), "pool", Category.DEX, "test", 100));
        run(e, b);
        assertThat(taint(e, "mule", USDT, "case:hacker")).isZero();
    }

    @Test
    void aSeedArrivingLiveTakesEffectFromTheNextBlockAndFlowsRecordIt() {
        Chain c = new Chain(10);
        Block b10 = c.block().send("hacker", "early", 100).build();
        Block b11 = c.block().send("hacker", "late", 100).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT));
        run(e, b10);
        e.putSeed(new Seed(addr("hacker"), "case:h", Category.THEFT, 0, "live"));
        List<TaintFlow> flows = run(e, b11);
        assertThat(e.account(addr("early"))).isNull();
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).shares().get(0).effectiveFrom()).isEqualTo(11);
        e.removeSeed(addr("hacker"));
        assertThat(run(e, c.block().send("hacker", "after", 100).build())).isEmpty();
    }

    @Test
    void aSeedIsNotASourceBeforeItsValidFromBlock() {
        Chain c = new Chain(1);
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT));
        e.putSeed(new Seed(addr("hacker"), "case:h", Category.THEFT, 3, "valid from 3"));
        run(e, c.block().send("hacker", "a", 1).build(), c.block().send("hacker", "b", 1).build(), c.block().send("hacker", "c", 1).build());
        assertThat(e.account(addr("a"))).isNull();
        assertThat(e.account(addr("b"))).isNull();
        assertThat(e.account(addr("c"))).isNotNull();
    }

    @Test
    void feesLeaveTheGraphAndAreCounted() {
        Chain c = new Chain(1);
        Block b = c.block().send("hacker", "mule", 1000)
            .tx().leg(LegKind.NATIVE, "mule", "x", ETH, 500).leg(LegKind.FEE, addr("mule"), addr("miner"), ETH, BigInteger.valueOf(100))
            .build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        run(e, b);
        assertThat(e.account(addr("miner"))).isNull();
        SourceLedger l = e.ledgers().get("case:hacker").get(ETH);
        assertThat(l.fees()).isEqualTo(BigInteger.valueOf(100));
        assertThat(l.left()).isEqualTo(e.held("case:hacker", ETH).add(l.fees()));
    }

    @Test
    void duplicateBlocksAreSkippedAndAParentMismatchIsAReorg() {
        Chain c = new Chain(1);
        Block b1 = c.block().send("hacker", "a", 1).build();
        TaintEngine e = engine(plain(PolicyKind.HAIRCUT), "hacker");
        run(e, b1);
        assertThat(e.process(b1).skipped()).isTrue();
        Block forked = new Block(Chain.CHAIN, 2, Chain.hash("x"), Chain.hash("not-block-1"), 0, List.of(), null);
        assertThatThrownBy(() -> e.process(forked)).isInstanceOf(ReorgException.class).hasMessageContaining("block 2 has parent");
    }

    @Test
    void poisonTaintsEveryLaterOutflowWhollyButStopsAtTheHopLimit() {
        Chain c = new Chain(1);
        Block b = c.block().send("hacker", "a", 1).send("rich", "a", 1_000_000).send("a", "b", 500_000)
            .send("b", "c", 100).build();
        TaintEngine e = engine(plain(PolicyKind.POISON).withMaxHops(2), "hacker");
        run(e, b);
        // b got 500000 wholly poisoned (1 unit of a's balance was enough), then spent 100 of it
        assertThat(taint(e, "b", ETH, "case:hacker")).isEqualTo(BigInteger.valueOf(499_900));
        assertThat(e.account(addr("c"))).as("hop 3 is past the limit").isNull();
        assertThat(e.ledgers().get("case:hacker").get(ETH).hopCut()).isEqualTo(BigInteger.valueOf(100));
    }
}
