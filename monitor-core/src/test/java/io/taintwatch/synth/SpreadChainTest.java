package io.taintwatch.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadChainTest {
    static final ChainId CHAIN = new ChainId(1, "ethereum");

    @Test
    void theSpreadLeavesExactlyTheAskedNumberTrackedAndTheMainnetChainFollowsIt() {
        for (long n : new long[] {1, 37, 5_000}) {
            MainnetChain mainnet = new MainnetChain(CHAIN, MainnetChain.Params.defaults(7));
            SpreadChain spread = new SpreadChain(CHAIN, mainnet, n, 720, 7);
            TaintEngine e = new TaintEngine(CHAIN, TaintConfig.defaults());
            List<Seed> seeds = new ArrayList<>(spread.seeds());
            seeds.addAll(mainnet.seeds());
            seeds.forEach(e::putSeed);
            mainnet.labels().forEach(e::putLabel);
            long blocks = 0;
            long flows = 0;
            while (spread.hasNext()) {
                Block b = spread.next();
                flows += e.process(b).flows().size();
                blocks++;
            }
            assertThat(blocks).isEqualTo(spread.blocks());
            assertThat(e.trackedCount()).as("tracked after a spread of %d", n).isEqualTo(n);
            assertThat(flows).as("one tracked flow per recipient").isEqualTo(n);
            assertThat(e.lastBlock()).isEqualTo(mainnet.nextNumber() - 1);
            // the mainnet-shaped chain continues it: no reorg, no gap
            for (int i = 0; i < 20; i++) {
                assertThat(e.process(mainnet.next()).skipped()).isFalse();
            }
        }
    }

    @Test
    void theFanOutIsTheSmallestThatReachesTheAddressesWithinSixHops() {
        MainnetChain mainnet = new MainnetChain(CHAIN, MainnetChain.Params.defaults(7));
        assertThat(new SpreadChain(CHAIN, mainnet, 10_000, 720, 7).fanOut()).isEqualTo(4);
        assertThat(new SpreadChain(CHAIN, mainnet, 1_000_000, 720, 7).fanOut()).isEqualTo(8);
        assertThat(new SpreadChain(CHAIN, mainnet, 10_000_000, 720, 7).fanOut()).isEqualTo(12);
    }
}
