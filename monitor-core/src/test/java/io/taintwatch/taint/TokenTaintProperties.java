package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.Chain;
import io.taintwatch.tokens.Token;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Counterfeit, unverified and unbacked legs over random chains of token transfers: never followed, always counted. */
class TokenTaintProperties {
    static final Asset VERIFIED = Chain.token("usdt");
    static final Asset UNVERIFIED = Chain.token("meme");
    static final Asset COUNTERFEIT = Chain.token("fake-usdt");
    static final Asset[] ASSETS = {Asset.NATIVE, VERIFIED, UNVERIFIED, COUNTERFEIT};

    /** Token Transfer legs (and some native and fee legs) over a small pool, end-of-block balances in some blocks. */
    static List<Block> randomTokenChain(long seed, int blocks) {
        Random r = new Random(seed);
        Chain c = new Chain(1);
        for (int b = 0; b < blocks; b++) {
            Chain.BlockBuilder bb = c.block();
            int txs = 1 + r.nextInt(6);
            for (int t = 0; t < txs; t++) {
                bb.tx();
                if (r.nextInt(3) == 0) {
                    bb.leg(LegKind.FEE, "a" + r.nextInt(12), "miner", Asset.NATIVE, 1 + r.nextInt(1000));
                }
                int legs = 1 + r.nextInt(3);
                for (int l = 0; l < legs; l++) {
                    Asset x = ASSETS[r.nextInt(ASSETS.length)];
                    LegKind kind = x.isNative() ? LegKind.NATIVE : LegKind.ERC20;
                    String to = r.nextInt(10) == 0 ? "exchange" : "a" + r.nextInt(12);
                    long amount = r.nextInt(20) == 0 ? 0 : 1 + (long) Math.pow(10, r.nextInt(7)) * (1 + r.nextInt(9));
                    bb.leg(kind, "a" + r.nextInt(12), to, x, amount);
                }
            }
            if (r.nextBoolean()) {
                for (int i = 0; i < 12; i++) {
                    for (Asset x : ASSETS) {
                        if (r.nextBoolean()) {
                            bb.balance("a" + i, x, r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000_000));
                        }
                    }
                }
            }
            bb.build();
        }
        return c.blocks();
    }

    static TaintEngine engine(PolicyKind p, AssetScope scope, long dust) {
        TaintEngine e = TaintInvariantsProperties.engine(p, 6, dust, 0);
        TaintConfig cfg = e.config().withAssets(scope);
        TaintEngine withScope = new TaintEngine(e.chain(), cfg);
        e.seeds().values().forEach(a -> withScope.putSeed(a.seed()));
        withScope.putLabel(new io.taintwatch.model.Entity(Chain.addr("exchange"), "Exchange", io.taintwatch.model.Category.EXCHANGE_DEPOSIT,
            "test", 100));
        withScope.tokens().declare(new Token(Chain.CHAIN, VERIFIED.contract(), "USDT", "Tether USD", 6, TokenStatus.VERIFIED, "", "list"));
        withScope.tokens().observe(Token.observed(Chain.CHAIN, UNVERIFIED.contract(), "MEME", "Meme", 18, "ingest"));
        withScope.tokens().observe(Token.observed(Chain.CHAIN, COUNTERFEIT.contract(), "USDТ", "", 6, "ingest"));
        return withScope;
    }

    @Property(tries = 150)
    void counterfeitLegsNeverCarryTaintAndAreCounted(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks,
                                                     @ForAll @IntRange(min = 0, max = 2) int policy, @ForAll boolean onlyVerified) {
        TaintEngine e = engine(PolicyKind.values()[policy], onlyVerified ? AssetScope.VERIFIED : AssetScope.ALL, 0);
        for (Block b : randomTokenChain(seed, blocks)) {
            for (TaintFlow f : e.process(b).flows()) {
                if (f.asset().equals(COUNTERFEIT) || onlyVerified && f.asset().equals(UNVERIFIED)) {
                    assertThat(f.kind()).as("flow %s", f).isEqualTo(FlowKind.SKIPPED);
                }
                assertThat(f.assetStatus()).isNotNull();
            }
            for (Account a : e.accounts()) {
                Holding h = a.holdings.get(COUNTERFEIT);
                assertThat(h == null || h.isClean()).as("counterfeit taint held by %s", a.address()).isTrue();
                if (onlyVerified) {
                    Holding u = a.holdings.get(UNVERIFIED);
                    assertThat(u == null || u.isClean()).as("unverified taint held by %s", a.address()).isTrue();
                }
            }
        }
        e.ledgers().forEach((source, byAsset) -> {
            SourceLedger l = byAsset.get(COUNTERFEIT);
            if (l != null) {
                assertThat(l.counterfeit()).isEqualTo(l.left());
            }
        });
    }

    @Property(tries = 150)
    void theLedgerClosesWithTheSkippedTerms(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks, @ForAll boolean fifo,
                                            @ForAll boolean onlyVerified, @ForAll @LongRange(min = 0, max = 1000) long dust) {
        TaintEngine e = engine(fifo ? PolicyKind.FIFO : PolicyKind.HAIRCUT, onlyVerified ? AssetScope.VERIFIED : AssetScope.ALL, dust);
        for (Block b : randomTokenChain(seed, blocks)) {
            e.process(b);
        }
        e.ledgers().forEach((source, byAsset) -> byAsset.forEach((asset, l) -> {
            BigInteger accounted = e.held(source, asset).add(l.delivered()).add(l.dust()).add(l.hopCut()).add(l.fees()).add(l.toSource())
                .add(l.dexIn()).subtract(l.dexOut()).add(l.counterfeit()).add(l.unverified()).add(l.unbacked());
            assertThat(accounted).as("source %s asset %s: %s", source, asset, l).isEqualTo(l.left());
        }));
    }

    @Property(tries = 60)
    void everySkippedTermRoundTripsThroughTheLedgerRecord(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int blocks) {
        TaintEngine e = engine(PolicyKind.HAIRCUT, AssetScope.VERIFIED, 0);
        randomTokenChain(seed, blocks).forEach(e::process);
        TaintEngine restored = new TaintEngine(e.chain(), e.config());
        for (Map.Entry<String, java.util.TreeMap<Asset, SourceLedger>> s : e.ledgers().entrySet()) {
            StateCodec.restoreLedgers(StateCodec.encodeLedgers(s.getKey(), s.getValue()), restored);
        }
        e.ledgers().forEach((s, byAsset) -> byAsset.forEach((x, l) ->
            assertThat(restored.ledgers().get(s).get(x).toString()).isEqualTo(l.toString())));
    }
}
