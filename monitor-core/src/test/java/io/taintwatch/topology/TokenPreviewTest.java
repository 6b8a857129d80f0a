package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.exposure.ChainState;
import io.taintwatch.exposure.EngineProgress;
import io.taintwatch.exposure.ExposureQueries;
import io.taintwatch.exposure.TransferPreview;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.Chain;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** A preview judges the leg's token as the live engine does, from the engine's token store. */
class TokenPreviewTest {
    static final TaintTopologyConfig CONFIG = TokenTopicsTopologyTest.CONFIG;
    static final Asset USDT = TokenTopicsTopologyTest.USDT;
    static final Asset FAKE = TokenTopicsTopologyTest.FAKE;

    @Test
    void aCounterfeitTokenInAPreviewIsSkippedAsTheLiveEngineSkipsIt() throws Exception {
        EngineProgress.Board progress = new EngineProgress.Board();
        try (TopologyTestDriver d = new TopologyTestDriver(TaintTopology.build(List.of(CONFIG), ReferencePositions.none(),
            new SimpleMeterRegistry(), progress), StreamsSettings.of("ttd-preview", "unused:9092", Files.createTempDirectory("tw-preview-"),
            Map.of("max.task.idle.ms", 0L)))) {
            d.createInputTopic(CONFIG.watchlistTopic(), new StringSerializer(), TaintSerdes.seeds().serializer())
                .pipeInput(addr("hacker").toString(), new Seed(addr("hacker"), "theft", Category.THEFT, 0, ""));
            Token usdt = new Token(Chain.CHAIN, USDT.contract(), "USDT", "Tether USD", 6, TokenStatus.VERIFIED, "", "test list");
            d.createInputTopic(CONFIG.tokensTopic(), new StringSerializer(), new ByteArraySerializer()).pipeInput(usdt.key(), TokenJson.bytes(usdt));
            d.createInputTopic(CONFIG.observedTokensTopic(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("testnet:" + FAKE.contract(), TokenTopicsTopologyTest.observed(FAKE, "USDТ"));
            Chain c = new Chain(1);
            var blocks = d.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
            blocks.pipeInput("31337", c.block().tx().leg(LegKind.ERC20, "hacker", "mule", USDT, 70).build());
            TestOutputTopic<String, TaintFlow> flows = d.createOutputTopic(CONFIG.flowsTopic(), new StringDeserializer(),
                TaintSerdes.flows().deserializer());
            flows.readValuesToList();

            java.util.function.Function<String, io.taintwatch.taint.KeyValues> store = name -> StoreKeyValues.readOnly(
                d.getKeyValueStore(TaintTopology.storeName(CONFIG.chain(), name)));
            ExposureQueries queries = new ExposureQueries(new ChainState(CONFIG.chain(), CONFIG.taint(), CONFIG.nativeAsset(),
                store.apply(TaintTopology.ACCOUNTS_STORE), store.apply(TaintTopology.SEEDS_STORE), store.apply(TaintTopology.LABELS_STORE),
                store.apply(TaintTopology.META_STORE), store.apply(TaintTopology.RECEIVED_STORE), store.apply(TaintTopology.TOKENS_STORE),
                progress.of(CONFIG.chain().name())));

            TransferPreview.Preview p = TransferPreview.of(queries, addr("hacker"), addr("lookalike"), FAKE, BigInteger.valueOf(1_000));
            assertThat(p.flows()).extracting(TaintFlow::kind, TaintFlow::skipped, TaintFlow::assetStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FlowKind.SKIPPED, SkipReason.COUNTERFEIT, TokenStatus.COUNTERFEIT));
            // the same block through the live engine emits the same flow
            blocks.pipeInput("31337", p.block());
            assertThat(flows.readValuesToList()).containsExactlyElementsOf(p.flows());
        }
    }
}
