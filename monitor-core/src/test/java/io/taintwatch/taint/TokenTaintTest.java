package io.taintwatch.taint;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.Chain;
import io.taintwatch.tokens.Token;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counterfeit, unverified and unbacked legs: what carries taint and what is counted instead (docs/tokens.md). */
class TokenTaintTest {
    static final Asset USDT = Chain.token("usdt");
    static final Asset FAKE = Chain.token("fake-eth");
    static final Asset MEME = Chain.token("meme");

    static TaintEngine engine(TaintConfig cfg) {
        TaintEngine e = new TaintEngine(Chain.CHAIN, cfg);
        e.putSeed(new Seed(addr("hacker"), "theft", Category.THEFT, 0, ""));
        e.tokens().declare(new Token(Chain.CHAIN, USDT.contract(), "USDT", "Tether USD", 6, TokenStatus.VERIFIED, "", "test list"));
        e.tokens().observe(Token.observed(Chain.CHAIN, FAKE.contract(), "ЕТН", "", 18, "ingest"));
        e.tokens().observe(Token.observed(Chain.CHAIN, MEME.contract(), "MEME", "Meme", 18, "ingest"));
        return e;
    }

    static List<TaintFlow> run(TaintEngine e, Chain c) {
        List<TaintFlow> out = new ArrayList<>();
        for (Block b : c.blocks()) {
            out.addAll(e.process(b).flows());
        }
        return out;
    }

    @Test
    void aCounterfeitTransferFromTheSeedIsSkippedCountedAndLeavesTheLookalikeUntracked() {
        TaintEngine e = engine(TaintConfig.defaults());
        Chain c = new Chain(1);
        c.block().tx().leg(LegKind.ERC20, "hacker", "lookalike", FAKE, 554_883).send("hacker", "mule", 1_000_000_000_000_000L).build();
        List<TaintFlow> flows = run(e, c);

        TaintFlow skipped = flows.get(0);
        assertThat(skipped.kind()).isEqualTo(FlowKind.SKIPPED);
        assertThat(skipped.skipped()).isEqualTo(SkipReason.COUNTERFEIT);
        assertThat(skipped.assetStatus()).isEqualTo(TokenStatus.COUNTERFEIT);
        assertThat(skipped.assetReason()).isEqualTo("symbol \"ЕТН\" (U+0415 U+0422 U+041D) looks like ETH, the native asset");
        assertThat(skipped.taintedTotal()).isEqualTo(BigInteger.valueOf(554_883));
        assertThat(e.account(addr("lookalike"))).isNull();
        SourceLedger l = e.ledgers().get("theft").get(FAKE);
        assertThat(l.left()).isEqualTo(BigInteger.valueOf(554_883));
        assertThat(l.counterfeit()).isEqualTo(BigInteger.valueOf(554_883));

        assertThat(flows.get(1).kind()).isEqualTo(FlowKind.TRACKED);
        assertThat(flows.get(1).assetStatus()).isEqualTo(TokenStatus.VERIFIED);
        assertThat(e.account(addr("mule"))).isNotNull();
    }

    @Test
    void unverifiedTokensCarryTaintUnlessOnlyVerifiedAssetsDoAndTheFlowSaysSo() {
        Chain c = new Chain(1);
        c.block().tx().leg(LegKind.ERC20, "hacker", "mule", MEME, 500).tx().leg(LegKind.ERC20, "hacker", "mule", USDT, 70).build();

        List<TaintFlow> all = run(engine(TaintConfig.defaults()), c);
        assertThat(all).extracting(TaintFlow::kind).containsExactly(FlowKind.TRACKED, FlowKind.TRACKED);
        assertThat(all).extracting(TaintFlow::assetStatus).containsExactly(TokenStatus.UNVERIFIED, TokenStatus.VERIFIED);

        TaintEngine verified = engine(TaintConfig.defaults().withAssets(AssetScope.VERIFIED));
        List<TaintFlow> flows = run(verified, c);
        assertThat(flows).extracting(TaintFlow::kind).containsExactly(FlowKind.SKIPPED, FlowKind.TRACKED);
        assertThat(flows.get(0).skipped()).isEqualTo(SkipReason.UNVERIFIED);
        assertThat(verified.ledgers().get("theft").get(MEME).unverified()).isEqualTo(BigInteger.valueOf(500));
        // the mule was not tracked when the MEME leg passed: it holds only what it got after
        assertThat(verified.account(addr("mule")).holdings()).doesNotContainKey(MEME);
        assertThat(verified.account(addr("mule")).holdings().get(USDT).taintOf("theft")).isEqualTo(BigInteger.valueOf(70));
    }

    @Test
    void aForgedTransferFromTheSeedInATokenItNeverHeldCarriesNoTaint() {
        TaintEngine e = engine(TaintConfig.defaults());
        Chain c = new Chain(1);
        // someone else's transaction emits Transfer(hacker -> lookalike); the block's balances show the hacker holds none
        c.block().tx().leg(LegKind.FEE, "poisoner", "miner", Asset.NATIVE, 21).leg(LegKind.ERC20, "hacker", "lookalike", MEME, 10_000)
            .balance("hacker", MEME, 0).build();
        List<TaintFlow> flows = run(e, c);

        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FlowKind.SKIPPED);
            assertThat(f.skipped()).isEqualTo(SkipReason.UNBACKED);
        });
        assertThat(e.account(addr("lookalike"))).isNull();
        assertThat(e.ledgers().get("theft").get(MEME).unbacked()).isEqualTo(BigInteger.valueOf(10_000));
    }

    @Test
    void everyForgedTransferOfOneTransactionIsUnbackedNotOnlyTheFirst() {
        // the hacker has an account (it held taint before it was listed), so its outflows open holdings
        TaintEngine e = new TaintEngine(Chain.CHAIN, TaintConfig.defaults());
        e.tokens().observe(Token.observed(Chain.CHAIN, MEME.contract(), "MEME", "Meme", 18, "ingest"));
        e.putSeed(new Seed(addr("boss"), "boss", Category.THEFT, 0, ""));
        Chain c = new Chain(1);
        c.block().send("boss", "hacker", 1_000_000_000_000_000L).build();
        run(e, c);
        assertThat(e.account(addr("hacker"))).isNotNull();
        e.putSeed(new Seed(addr("hacker"), "theft", Category.THEFT, 0, ""));
        c.blocks().clear();
        // one poisoning transaction forges transfers to several lookalikes: the holding the first leg opens (from the end
        // balance and the block's later legs) is no evidence that the hacker held the token
        c.block().tx().leg(LegKind.FEE, "poisoner", "miner", Asset.NATIVE, 21).leg(LegKind.ERC20, "hacker", "lookalike1", MEME, 10_000)
            .leg(LegKind.ERC20, "hacker", "lookalike2", MEME, 20_000).leg(LegKind.ERC20, "hacker", "lookalike3", MEME, 30_000)
            .balance("hacker", MEME, 0).build();

        assertThat(run(e, c)).extracting(TaintFlow::skipped).containsExactly(SkipReason.UNBACKED, SkipReason.UNBACKED, SkipReason.UNBACKED);
        assertThat(e.account(addr("lookalike2"))).isNull();
        assertThat(e.ledgers().get("theft").get(MEME).unbacked()).isEqualTo(BigInteger.valueOf(60_000));
    }

    @Test
    void aTransferTheSeedSentItselfOrOfATokenItReceivedInTheBlockOrWithoutBalancesIsBacked() {
        Chain c = new Chain(1);
        // the hacker pays the fee: it sent the transaction, so the transfer is its own, whatever its end balance
        c.block().tx().leg(LegKind.FEE, "hacker", "miner", Asset.NATIVE, 21).leg(LegKind.ERC20, "hacker", "mule1", MEME, 100)
            .balance("hacker", MEME, 0).build();
        // received earlier in the block, passed on in someone else's transaction (a contract sweeping what it got)
        c.block().tx().leg(LegKind.ERC20, "victim", "hacker", MEME, 300).tx().leg(LegKind.ERC20, "hacker", "mule2", MEME, 300)
            .balance("hacker", MEME, 0).build();
        // no balances in the block: nothing shows the hacker does not hold it
        c.block().tx().leg(LegKind.ERC20, "hacker", "mule3", MEME, 5).build();
        TaintEngine e = engine(TaintConfig.defaults());
        assertThat(run(e, c)).extracting(TaintFlow::kind).containsExactly(FlowKind.TRACKED, FlowKind.TRACKED, FlowKind.TRACKED);
        assertThat(e.ledgers().get("theft").get(MEME).unbacked()).isZero();
    }

    @Test
    void aCounterfeitTokenATrackedAddressHeldTaintInCarriesItNoFurther() {
        TaintEngine e = engine(TaintConfig.defaults());
        Asset later = Chain.token("later-fake");
        Chain c = new Chain(1);
        c.block().tx().leg(LegKind.ERC20, "hacker", "mule", later, 1_000).build();
        c.block().tx().leg(LegKind.ERC20, "mule", "next", later, 400).build();
        e.process(c.blocks().get(0));
        assertThat(e.account(addr("mule")).holdings().get(later).taintOf("theft")).isEqualTo(BigInteger.valueOf(1_000));
        // the token is recognised as a counterfeit only now (its metadata arrived late)
        e.tokens().observe(Token.observed(Chain.CHAIN, later.contract(), "USDT", "", 6, "ingest"));
        List<TaintFlow> flows = e.process(c.blocks().get(1)).flows();

        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.skipped()).isEqualTo(SkipReason.COUNTERFEIT);
            assertThat(f.shares().get(0).hop()).isEqualTo(2);
        });
        assertThat(e.account(addr("next"))).isNull();
        SourceLedger l = e.ledgers().get("theft").get(later);
        assertThat(e.held("theft", later).add(l.counterfeit())).isEqualTo(l.left());
        assertThat(l.counterfeit()).isEqualTo(BigInteger.valueOf(400));
    }
}
