package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.testing.Chain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The invariants of docs/architecture.md over random chains: conservation per source and asset, T <= B, determinism. */
class TaintInvariantsProperties {
    static final Asset[] ASSETS = {Asset.NATIVE, Chain.token("usdt")};

    /** A random chain over a small address pool, so that taint meets, mixes and returns. */
    static List<Block> randomChain(long seed, int blocks, boolean balances) {
        Random r = new Random(seed);
        Chain c = new Chain(1);
        for (int b = 0; b < blocks; b++) {
            Chain.BlockBuilder bb = c.block();
            int txs = 1 + r.nextInt(6);
            for (int t = 0; t < txs; t++) {
                bb.tx();
                int legs = 1 + r.nextInt(3);
                for (int l = 0; l < legs; l++) {
                    String from = "a" + r.nextInt(12);
                    String to = r.nextInt(10) == 0 ? "exchange" : "a" + r.nextInt(12);
                    LegKind kind = r.nextInt(8) == 0 ? LegKind.FEE : LegKind.NATIVE;
                    long amount = r.nextInt(20) == 0 ? 0 : 1 + (long) Math.pow(10, r.nextInt(7)) * (1 + r.nextInt(9));
                    bb.leg(kind, from, kind == LegKind.FEE ? "miner" : to, ASSETS[r.nextInt(ASSETS.length)], amount);
                }
            }
            if (balances && r.nextBoolean()) {
                for (int i = 0; i < 12; i++) {
                    for (Asset x : ASSETS) {
                        bb.balance("a" + i, x, r.nextInt(1_000_000_000));
                    }
                }
            }
            bb.build();
        }
        return c.blocks();
    }

    static TaintEngine engine(PolicyKind p, int maxHops, long dust, long sharePpm) {
        TaintConfig cfg = TaintConfig.defaults().withPolicy(p).withMaxHops(maxHops)
            .withDust(Map.of(), BigInteger.valueOf(dust), sharePpm);
        TaintEngine e = new TaintEngine(Chain.CHAIN, cfg);
        e.putSeed(new Seed(Chain.addr("a0"), "case:0", Category.THEFT, 0, ""));
        e.putSeed(new Seed(Chain.addr("a1"), "case:1", Category.SANCTIONS, 0, ""));
        e.putLabel(new Entity(Chain.addr("exchange"), "Exchange", Category.EXCHANGE_DEPOSIT, "test", 100));
        return e;
    }

    @Property(tries = 150)
    void taintHeldPlusDeliveredPlusDroppedEqualsWhatLeftEachSource(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks,
                                                                     @ForAll boolean fifo, @ForAll boolean balances,
                                                                     @ForAll @IntRange(min = 1, max = 8) int maxHops,
                                                                     @ForAll @LongRange(min = 0, max = 1000) long dust,
                                                                     @ForAll @LongRange(min = 0, max = 50_000) long sharePpm) {
        TaintEngine e = engine(fifo ? PolicyKind.FIFO : PolicyKind.HAIRCUT, maxHops, dust, sharePpm);
        for (Block b : randomChain(seed, blocks, balances)) {
            e.process(b);
        }
        e.ledgers().forEach((source, byAsset) -> byAsset.forEach((asset, l) -> {
            BigInteger accounted = e.held(source, asset).add(l.delivered()).add(l.dust()).add(l.hopCut()).add(l.fees()).add(l.toSource());
            assertThat(accounted).as("source %s asset %s: %s", source, asset, l).isEqualTo(l.left());
        }));
    }

    @Property(tries = 150)
    void taintNeverExceedsBalance(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks, @ForAll boolean balances,
                                  @ForAll @IntRange(min = 0, max = 2) int policy) {
        PolicyKind p = PolicyKind.values()[policy];
        TaintEngine e = engine(p, 6, 0, 0);
        for (Block b : randomChain(seed, blocks, balances)) {
            e.process(b);
            for (Account a : e.accounts()) {
                for (Holding h : a.holdings.values()) {
                    BigInteger sum = BigInteger.ZERO;
                    for (BigInteger t : h.taint.values()) {
                        assertThat(t.signum()).isPositive();
                        assertThat(t).isLessThanOrEqualTo(h.balance);
                        sum = sum.add(t);
                    }
                    if (p != PolicyKind.POISON) {
                        // poison attributes the whole balance to every source that reached it
                        assertThat(sum).as("sum of T <= B at %s", a.address()).isLessThanOrEqualTo(h.balance);
                    }
                }
            }
        }
    }

    @Property(tries = 60)
    void theSameInputTwiceGivesIdenticalFlows(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int blocks,
                                              @ForAll @IntRange(min = 0, max = 2) int policy) {
        List<Block> chain = randomChain(seed, blocks, true);
        assertThat(flowsOf(chain, PolicyKind.values()[policy])).isEqualTo(flowsOf(chain, PolicyKind.values()[policy]));
    }

    @Property(tries = 60)
    void orderDecides(@ForAll @LongRange(min = 1, max = 1_000_000) long amount) {
        // the same two legs in the two possible orders
        Chain spendFirst = new Chain(1);
        spendFirst.block().send("mid", "end", amount).send("a0", "mid", amount).build();
        Chain receiveFirst = new Chain(1);
        receiveFirst.block().send("a0", "mid", amount).send("mid", "end", amount).build();
        TaintEngine e1 = engine(PolicyKind.HAIRCUT, 6, 0, 0);
        spendFirst.blocks().forEach(e1::process);
        TaintEngine e2 = engine(PolicyKind.HAIRCUT, 6, 0, 0);
        receiveFirst.blocks().forEach(e2::process);
        Address end = Chain.addr("end");
        assertThat(e1.account(end)).isNull();
        assertThat(e2.account(end).holdings().get(Asset.NATIVE).taintOf("case:0")).isEqualTo(BigInteger.valueOf(amount));
    }

    static List<String> flowsOf(List<Block> chain, PolicyKind p) {
        TaintEngine e = engine(p, 6, 10, 100);
        List<String> out = new ArrayList<>();
        for (Block b : chain) {
            for (TaintFlow f : e.process(b).flows()) {
                out.add(f.toString());
            }
        }
        return out;
    }
}
