package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.exposure.ChainState;
import io.taintwatch.exposure.EngineProgress;
import io.taintwatch.exposure.Exposure;
import io.taintwatch.exposure.ExposureQueries;
import io.taintwatch.exposure.ReceivedTaint;
import io.taintwatch.exposure.TransferPreview;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.testing.Chain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exposures assembled from the stores the taint topology writes: a tracked address, a terminal, an address that was
 * untracked after it passed its taint on, a seed and a clean address; and the preview of a transfer that has not happened.
 */
class ExposureFromStoresTest {
    static final TaintTopologyConfig CONFIG = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults());
    static final long FIVE = 5_000_000_000_000_000L;
    static final long TWO = 2_000_000_000_000_000L;
    static final long ONE = 1_000_000_000_000_000L;

    TopologyTestDriver driver;
    TestInputTopic<String, Block> blocks;
    TestOutputTopic<String, TaintFlow> flows;
    EngineProgress.Board progress = new EngineProgress.Board();
    ExposureQueries queries;
    Chain c = new Chain(1);
    List<Block> chain;

    @BeforeEach
    void start() throws Exception {
        Path state = Files.createTempDirectory("tw-exposure-");
        Properties p = StreamsSettings.of("ttd", "unused:9092", state, java.util.Map.of("max.task.idle.ms", 0L));
        driver = new TopologyTestDriver(TaintTopology.build(List.of(CONFIG), ReferencePositions.none(), new SimpleMeterRegistry(), progress), p);
        blocks = driver.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
        flows = driver.createOutputTopic(CONFIG.flowsTopic(), new StringDeserializer(), TaintSerdes.flows().deserializer());
        driver.createInputTopic(CONFIG.watchlistTopic(), new StringSerializer(), TaintSerdes.seeds().serializer())
            .pipeInput(addr("hacker").toString(), new Seed(addr("hacker"), "case:1", Category.THEFT, 0, "FBI case 1"));
        driver.createInputTopic(CONFIG.labelsTopic(), new StringSerializer(), TaintSerdes.entities().serializer())
            .pipeInput(addr("deposit").toString(), new Entity(addr("deposit"), "Exchange deposit", Category.EXCHANGE_DEPOSIT, "t", 100));
        chain = List.of(
            c.block().send("hacker", "mule", FIVE).build(),
            c.block().send("mule", "deposit", TWO).build(),
            c.block().send("hacker", "spender", ONE).build(),
            c.block().send("spender", "other", ONE).build());
        chain.forEach(b -> blocks.pipeInput("31337", b));
        queries = new ExposureQueries(new ChainState(CONFIG.chain(), CONFIG.taint(), CONFIG.nativeAsset(), store(TaintTopology.ACCOUNTS_STORE),
            store(TaintTopology.SEEDS_STORE), store(TaintTopology.LABELS_STORE), store(TaintTopology.META_STORE),
            store(TaintTopology.RECEIVED_STORE), CONFIG.readsTokens() ? store(TaintTopology.TOKENS_STORE) : null, progress.of(CONFIG.chain().name())));
    }

    private StoreKeyValues store(String name) {
        return StoreKeyValues.readOnly(driver.getKeyValueStore(TaintTopology.storeName(CONFIG.chain(), name)));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aTrackedAddressShowsWhatItHoldsWithItsSourceHopAndTheTransactionThatBroughtIt() {
        Exposure e = queries.exposure(addr("mule"));
        assertThat(e.asOfBlock()).isEqualTo(4);
        assertThat(e.tracked()).isTrue();
        assertThat(e.seed()).isNull();
        assertThat(e.holdings()).singleElement().satisfies(h -> {
            assertThat(h.asset()).isEqualTo(Asset.NATIVE);
            assertThat(h.source()).isEqualTo("case:1");
            assertThat(h.amount()).isEqualTo(BigInteger.valueOf(FIVE - TWO));
            assertThat(h.balance()).isEqualTo(BigInteger.valueOf(FIVE - TWO));
            assertThat(h.sharePpm()).isEqualTo(1_000_000);
            assertThat(h.minHop()).isEqualTo(1);
            assertThat(h.evidence()).singleElement().satisfies(x -> assertThat(x.path().getLast().txHash())
                .isEqualTo(chain.get(0).legs().get(0).txHash()));
        });
        assertThat(e.sources().get("case:1")).isEqualTo(new Exposure.Source("case:1", Category.THEFT, "FBI case 1", List.of(addr("hacker"))));
        assertThat(e.received()).singleElement().satisfies(r -> {
            assertThat(r.amount()).isEqualTo(BigInteger.valueOf(FIVE));
            assertThat(r.flows()).isEqualTo(1);
            assertThat(r.first().block()).isEqualTo(1);
        });
        assertThat(e.first().txHash()).isEqualTo(chain.get(0).legs().get(0).txHash());
    }

    @Test
    void aTerminalHoldsNothingButShowsWhatItReceivedAtWhichHop() {
        Exposure e = queries.exposure(addr("deposit"));
        assertThat(e.tracked()).isFalse();
        assertThat(e.label().category()).isEqualTo(Category.EXCHANGE_DEPOSIT);
        assertThat(e.holdings()).isEmpty();
        assertThat(e.received()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("case:1");
            assertThat(r.amount()).isEqualTo(BigInteger.valueOf(TWO));
            assertThat(r.minHop()).isEqualTo(2);
            assertThat(r.latestTxs()).containsExactly(chain.get(1).legs().get(0).txHash());
        });
    }

    @Test
    void anUntrackedAddressKeepsWhatItOnceReceived() {
        Exposure e = queries.exposure(addr("spender"));
        assertThat(e.tracked()).isFalse();
        assertThat(e.holdings()).isEmpty();
        assertThat(e.received()).extracting(ReceivedTaint::source, ReceivedTaint::amount)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("case:1", BigInteger.valueOf(ONE)));
        assertThat(e.first().position().block()).isEqualTo(3);
        assertThat(e.last().position().block()).isEqualTo(3);
    }

    @Test
    void aSeedIsDirectExposureAndACleanAddressHasNone() {
        Exposure seed = queries.exposure(addr("hacker"));
        assertThat(seed.seed()).extracting(Exposure.SeedStatus::sourceId, Exposure.SeedStatus::category, Exposure.SeedStatus::reference)
            .containsExactly("case:1", Category.THEFT, "FBI case 1");
        assertThat(seed.seed().effectiveFrom()).isLessThanOrEqualTo(1);
        assertThat(seed.holdings()).isEmpty();
        Exposure clean = queries.exposure(addr("bystander"));
        assertThat(clean.seed()).isNull();
        assertThat(clean.label()).isNull();
        assertThat(clean.tracked()).isFalse();
        assertThat(clean.holdings()).isEmpty();
        assertThat(clean.received()).isEmpty();
        assertThat(clean.first()).isNull();
        assertThat(clean.sources()).isEmpty();
    }

    @Test
    void aPreviewGivesTheFlowsTheEngineWouldEmitAndChangesNothing() {
        Exposure before = queries.exposure(addr("mule"));
        TransferPreview.Preview p = TransferPreview.of(queries, addr("mule"), addr("deposit"), Asset.NATIVE, BigInteger.valueOf(ONE));
        assertThat(p.block().number()).isEqualTo(5);
        assertThat(p.flows()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FlowKind.TERMINAL);
            assertThat(f.shares()).singleElement().satisfies(s -> {
                assertThat(s.sourceId()).isEqualTo("case:1");
                assertThat(s.amount()).isEqualTo(BigInteger.valueOf(ONE));
                assertThat(s.hop()).isEqualTo(2);
            });
        });
        assertThat(queries.exposure(addr("mule"))).isEqualTo(before);
        // the same block through the live engine emits the same flow
        blocks.pipeInput("31337", p.block());
        assertThat(flows.readValuesToList()).last().isEqualTo(p.flows().getFirst());
    }

    @Test
    void aPreviewFromACleanAddressCarriesNothing() {
        TransferPreview.Preview p = TransferPreview.of(queries, addr("bystander"), addr("deposit"), Asset.NATIVE, BigInteger.TEN);
        assertThat(p.flows()).isEmpty();
    }
}
