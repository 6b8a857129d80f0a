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
import io.taintwatch.tokens.TokenRegistry;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TRC-10 tokens carry taint hop by hop like any token, as their own asset, and are unverified (docs/tokens.md). */
class Trc10TaintTest {
    static final Asset BTT = Asset.trc10(BigInteger.valueOf(1_002_000));
    static final Asset OTHER = Asset.trc10(BigInteger.valueOf(1_000_001));

    static TaintEngine engine(TaintConfig cfg) {
        TaintEngine e = new TaintEngine(Chain.CHAIN, cfg);
        e.putSeed(new Seed(addr("hacker"), "theft", Category.THEFT, 0, ""));
        return e;
    }

    @Test
    void taintFollowsATrc10TokenHopByHopAsItsOwnAsset() {
        TaintEngine e = engine(TaintConfig.defaults());
        Chain c = new Chain(1);
        // the mule holds 300 clean BTT and 50 of another TRC-10 token, then gets 100 BTT from the hacker (its end-of-block
        // balance of 400 opens its holding at 300)
        c.block().tx().leg(LegKind.TRC10, "exchange", "mule", BTT, 300).leg(LegKind.TRC10, "exchange", "mule", OTHER, 50)
            .tx().leg(LegKind.TRC10, "hacker", "mule", BTT, 100).balance("mule", BTT, 400).build();
        // the mule passes on 200 BTT (haircut: a quarter of its 400 is tainted) and the other token (clean)
        c.block().tx().leg(LegKind.INTERNAL, "mule", "next", BTT, 200).leg(LegKind.TRC10, "mule", "other", OTHER, 50).build();
        List<TaintFlow> flows = TokenTaintTest.run(e, c);

        assertThat(flows).hasSize(2);
        TaintFlow first = flows.get(0);
        assertThat(first.asset()).isEqualTo(BTT);
        assertThat(first.kind()).isEqualTo(FlowKind.TRACKED);
        assertThat(first.taintedTotal()).isEqualTo(BigInteger.valueOf(100));
        assertThat(first.assetStatus()).isEqualTo(TokenStatus.UNVERIFIED);
        assertThat(first.assetReason()).isEqualTo(TokenRegistry.TRC10_REASON);
        TaintFlow second = flows.get(1);
        assertThat(second.to()).isEqualTo(addr("next"));
        assertThat(second.asset()).isEqualTo(BTT);
        assertThat(second.taintedTotal()).isEqualTo(BigInteger.valueOf(50));
        assertThat(second.shares().get(0).hop()).isEqualTo(2);
        assertThat(e.account(addr("next")).holdings().get(BTT).taintOf("theft")).isEqualTo(BigInteger.valueOf(50));
        assertThat(e.account(addr("mule")).holdings()).containsOnlyKeys(BTT);
        assertThat(e.account(addr("other"))).isNull();
        assertThat(e.ledgers().get("theft").get(BTT).left()).isEqualTo(BigInteger.valueOf(100));
    }

    @Test
    void withOnlyVerifiedAssetsCarryingTaintATrc10TransferIsSkippedAndCounted() {
        TaintEngine e = engine(TaintConfig.defaults().withAssets(AssetScope.VERIFIED));
        Chain c = new Chain(1);
        c.block().tx().leg(LegKind.TRC10, "hacker", "mule", BTT, 100).build();
        List<TaintFlow> flows = TokenTaintTest.run(e, c);

        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FlowKind.SKIPPED);
            assertThat(f.skipped()).isEqualTo(SkipReason.UNVERIFIED);
        });
        assertThat(e.account(addr("mule"))).isNull();
        assertThat(e.ledgers().get("theft").get(BTT).unverified()).isEqualTo(BigInteger.valueOf(100));
    }

    @Test
    void anEngineRestoredFromItsStateRecordsHoldsTheTrc10TaintAndContinuesIdentically() {
        Chain c = new Chain(1);
        c.block().tx().leg(LegKind.TRC10, "exchange", "mule", BTT, 300).tx().leg(LegKind.TRC10, "hacker", "mule", BTT, 100)
            .balance("mule", BTT, 400).build();
        c.block().tx().leg(LegKind.INTERNAL, "mule", "next", BTT, 200).build();
        List<Block> blocks = c.blocks();
        TaintEngine original = engine(TaintConfig.defaults());
        original.process(blocks.get(0));

        TaintEngine restored = StateCodecTest.restoredFromRecords(original);

        assertThat(restored.account(addr("mule")).holdings().get(BTT).taintOf("theft")).isEqualTo(BigInteger.valueOf(100));
        List<TaintFlow> flows = restored.process(blocks.get(1)).flows();
        assertThat(flows).isEqualTo(original.process(blocks.get(1)).flows());
        assertThat(flows).singleElement().satisfies(f -> assertThat(f.taintedTotal()).isEqualTo(BigInteger.valueOf(50)));
        assertThat(StateCodec.encodeLedgers("theft", restored.ledgers().get("theft")))
            .isEqualTo(StateCodec.encodeLedgers("theft", original.ledgers().get("theft")));
    }
}
