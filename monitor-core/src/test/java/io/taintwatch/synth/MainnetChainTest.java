package io.taintwatch.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The mainnet-shaped generator: deterministic, sized as asked, labelled, and laundering from its seeded sources. */
class MainnetChainTest {
    static final ChainId CHAIN = new ChainId(1, "ethereum");

    static List<MainnetChain.GeneratedBlock> blocks(MainnetChain.Params p, int n) {
        MainnetChain c = new MainnetChain(CHAIN, p);
        List<MainnetChain.GeneratedBlock> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c.nextDetailed());
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameChainByteForByteAndAnotherSeedAnotherChain() {
        List<MainnetChain.GeneratedBlock> a = blocks(MainnetChain.Params.defaults(3), 40);
        List<MainnetChain.GeneratedBlock> b = blocks(MainnetChain.Params.defaults(3), 40);
        List<MainnetChain.GeneratedBlock> c = blocks(MainnetChain.Params.defaults(4), 40);
        for (int i = 0; i < a.size(); i++) {
            assertThat(BlockCodec.encode(b.get(i).block())).isEqualTo(BlockCodec.encode(a.get(i).block()));
            assertThat(b.get(i).txs()).isEqualTo(a.get(i).txs());
        }
        assertThat(BlockCodec.encode(c.get(0).block())).isNotEqualTo(BlockCodec.encode(a.get(0).block()));
        assertThat(new MainnetChain(CHAIN, MainnetChain.Params.defaults(3)).labels()).isEqualTo(new MainnetChain(CHAIN, MainnetChain.Params.defaults(3)).labels());
    }

    @Test
    void blocksChainUpAreTwelveSecondsApartAndAverageTheRequestedSize() {
        List<MainnetChain.GeneratedBlock> bs = blocks(MainnetChain.Params.defaults(5).withLegsPerBlock(720), 300);
        long legs = 0;
        for (int i = 0; i < bs.size(); i++) {
            Block b = bs.get(i).block();
            legs += b.legs().size();
            assertThat(b.number()).isEqualTo(18_000_000L + i);
            if (i > 0) {
                Block prev = bs.get(i - 1).block();
                assertThat(b.parentHash()).isEqualTo(prev.hash());
                assertThat(b.timestamp() - prev.timestamp()).isEqualTo(12);
            }
        }
        double mean = (double) legs / bs.size();
        assertThat(mean).as("mean legs per block").isBetween(720 * 0.9, 720 * 1.15);
        // sizes vary like mainnet's: some nearly empty blocks, most near the target
        int small = (int) bs.stream().filter(g -> g.block().legs().size() < 360).count();
        assertThat(small).isBetween(30, 100);
    }

    @Test
    void legsFollowTheIngestRulesValueThenTransfersThenBurntFeeThenTip() {
        for (MainnetChain.GeneratedBlock g : blocks(MainnetChain.Params.defaults(9), 20)) {
            Map<Integer, List<Leg>> byTx = g.block().legs().stream().collect(Collectors.groupingBy(l -> l.position().txIndex()));
            assertThat(byTx.keySet()).hasSize(g.txs().size());
            for (MainnetChain.Tx t : g.txs()) {
                List<Leg> legs = byTx.get(t.index());
                int i = 0;
                if (t.success() && t.value().signum() > 0) {
                    assertThat(legs.get(i).kind()).isEqualTo(LegKind.NATIVE);
                    assertThat(legs.get(i++).amount()).isEqualTo(t.value());
                }
                if (!t.success()) {
                    assertThat(t.transfers()).isEmpty();
                }
                for (MainnetChain.TokenTransfer tt : t.transfers()) {
                    assertThat(legs.get(i).kind()).isEqualTo(LegKind.ERC20);
                    assertThat(legs.get(i++).to()).isEqualTo(tt.to());
                }
                BigInteger fee = BigInteger.ZERO;
                for (; i < legs.size(); i++) {
                    assertThat(legs.get(i).kind()).isEqualTo(LegKind.FEE);
                    assertThat(legs.get(i).from()).isEqualTo(t.from());
                    fee = fee.add(legs.get(i).amount());
                }
                assertThat(fee).isEqualTo(BigInteger.valueOf(t.gasUsed()).multiply(t.gasPrice()));
                assertThat(legs.get(legs.size() - 1).kind()).isEqualTo(LegKind.FEE);
                // the burnt part goes to the zero address, the tip to the block's builder
                assertThat(legs.stream().filter(l -> l.kind() == LegKind.FEE).map(Leg::to)).allMatch(a -> a.isZero() || a.equals(g.miner()));
            }
        }
    }

    @Test
    void labelsCoverExchangesDexesAMixerAndABridgeAndSeedsCoverThefTsAndSanctions() {
        MainnetChain c = new MainnetChain(CHAIN, MainnetChain.Params.defaults(1));
        Map<Category, Long> byCategory = new EnumMap<>(Category.class);
        for (Entity e : c.labels()) {
            byCategory.merge(e.category(), 1L, Long::sum);
        }
        assertThat(byCategory).containsEntry(Category.EXCHANGE_DEPOSIT, 12L * 2_000).containsEntry(Category.EXCHANGE_HOT_WALLET, 12L)
            .containsEntry(Category.EXCHANGE, 12L).containsEntry(Category.DEX, 403L).containsEntry(Category.MIXER, 4L).containsEntry(Category.BRIDGE, 1L);
        assertThat(c.labels().stream().map(Entity::address).distinct().count()).isEqualTo(c.labels().size());
        assertThat(c.seeds()).extracting(Seed::category).containsOnly(Category.THEFT, Category.SANCTIONS);
        assertThat(c.seeds().stream().filter(s -> s.category() == Category.THEFT)).hasSize(4);
    }

    @Test
    void swapsGoInAndOutOfADexLabelledAddressInOneTransaction() {
        MainnetChain c = new MainnetChain(CHAIN, MainnetChain.Params.defaults(2));
        Set<Address> dex = c.labels().stream().filter(e -> e.category() == Category.DEX).map(Entity::address).collect(Collectors.toSet());
        int swaps = 0;
        for (int i = 0; i < 20; i++) {
            for (MainnetChain.Tx t : c.nextDetailed().txs()) {
                for (MainnetChain.TokenTransfer in : t.transfers()) {
                    if (dex.contains(in.to()) && t.transfers().stream().anyMatch(out -> out.from().equals(in.to()) && out.to().equals(in.from()))) {
                        swaps++;
                    }
                }
            }
        }
        assertThat(swaps).as("user -> pool -> user swaps in 20 blocks").isGreaterThan(100);
    }

    @Test
    void seededSourcesLaunderIntoExchangesAMixerAndABridgeAndTheEngineFollowsThem() {
        MainnetChain c = new MainnetChain(CHAIN, MainnetChain.Params.defaults(4).withLaundering(20_000));
        TaintEngine engine = new TaintEngine(CHAIN, TaintConfig.defaults());
        c.seeds().forEach(engine::putSeed);
        c.labels().forEach(engine::putLabel);
        Map<Address, Entity> labels = c.labels().stream().collect(Collectors.toMap(Entity::address, Function.identity()));
        Map<FlowKind, Integer> kinds = new EnumMap<>(FlowKind.class);
        Map<Category, Integer> terminals = new HashMap<>();
        Set<String> sources = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (TaintFlow f : engine.process(c.next()).flows()) {
                kinds.merge(f.kind(), 1, Integer::sum);
                f.shares().forEach(s -> sources.add(s.sourceId()));
                if (f.kind() == FlowKind.TERMINAL) {
                    terminals.merge(labels.get(f.to()).category(), 1, Integer::sum);
                }
            }
        }
        assertThat(kinds.keySet()).contains(FlowKind.TERMINAL, FlowKind.DEX_IN, FlowKind.DEX_OUT, FlowKind.TRACKED);
        assertThat(terminals.keySet()).contains(Category.EXCHANGE_DEPOSIT, Category.MIXER, Category.BRIDGE);
        assertThat(sources).contains("synthetic:theft-0", "synthetic:theft-1", "synthetic:theft-2", "synthetic:theft-3", "synthetic:sanctioned-0");
    }

    @Test
    void parametersAreChecked() {
        assertThatThrownBy(() -> MainnetChain.Params.defaults(1).withLegsPerBlock(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MainnetChain.Params.defaults(1).withLaundering(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zipfRanksAreInRangeAndHeavyTailed() {
        Zipf z = new Zipf(1_000, 1.0);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        int[] counts = new int[1_001];
        for (int i = 0; i < 200_000; i++) {
            long k = z.sample(r);
            assertThat(k).isBetween(1L, 1_000L);
            counts[(int) k]++;
        }
        // P(1)/P(2) = 2 and P(1)/P(10) = 10 for s = 1
        assertThat((double) counts[1] / counts[2]).isBetween(1.85, 2.15);
        assertThat((double) counts[1] / counts[10]).isBetween(8.5, 11.5);
    }
}
