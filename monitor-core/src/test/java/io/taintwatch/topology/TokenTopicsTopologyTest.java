package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.DecodeException;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.testing.Chain;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.kafka.PipelineTopics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** Token statuses reach the engine through its topics (declared tokens, ingest's metadata) or as initial tokens, and survive a restart. */
class TokenTopicsTopologyTest {
    static final TaintTopologyConfig CONFIG = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults())
        .withTokenTopics(PipelineTopics.Topic.TOKEN_REGISTRY.defaultName(), PipelineTopics.Topic.TOKENS.defaultName());
    static final Asset USDT = Chain.token("usdt");
    static final Asset FAKE = Chain.token("fake-usdt");

    static TopologyTestDriver driver(Path state) {
        Properties p = StreamsSettings.of("ttd-tokens", "unused:9092", state, Map.of("max.task.idle.ms", 0L));
        return new TopologyTestDriver(TaintTopology.build(CONFIG, new SimpleMeterRegistry()), p);
    }

    static byte[] observed(Asset token, String symbol) {
        return ("{\"chain\":\"testnet\",\"chainId\":31337,\"token\":\"" + token.contract() + "\",\"symbol\":\"" + symbol
            + "\",\"name\":\"\",\"decimals\":6}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void declaredAndObservedTokensOnTheirTopicsDecideWhatIsFollowed() throws Exception {
        Path state = Files.createTempDirectory("tw-tokens-");
        Chain c = new Chain(1);
        Block first = c.block().tx().leg(LegKind.ERC20, "hacker", "lookalike", FAKE, 1_000).tx().leg(LegKind.ERC20, "hacker", "mule", USDT, 70)
            .build();
        try (TopologyTestDriver d = driver(state)) {
            d.createInputTopic(CONFIG.watchlistTopic(), new StringSerializer(), TaintSerdes.seeds().serializer())
                .pipeInput(addr("hacker").toString(), new Seed(addr("hacker"), "theft", Category.THEFT, 0, ""));
            TestInputTopic<String, byte[]> declared = d.createInputTopic(CONFIG.tokensTopic(), new StringSerializer(), new ByteArraySerializer());
            Token usdt = new Token(Chain.CHAIN, USDT.contract(), "USDT", "Tether USD", 6, TokenStatus.VERIFIED, "", "test list");
            declared.pipeInput(usdt.key(), TokenJson.bytes(usdt));
            d.createInputTopic(CONFIG.observedTokensTopic(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("testnet:" + FAKE.contract(), observed(FAKE, "USDТ"));
            d.createInputTopic(CONFIG.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer()).pipeInput("31337", first);
            TestOutputTopic<String, TaintFlow> flows = d.createOutputTopic(CONFIG.flowsTopic(), new StringDeserializer(),
                TaintSerdes.flows().deserializer());

            List<TaintFlow> out = flows.readValuesToList();
            assertThat(out).extracting(TaintFlow::kind, TaintFlow::skipped, TaintFlow::assetStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FlowKind.SKIPPED, SkipReason.COUNTERFEIT, TokenStatus.COUNTERFEIT),
                org.assertj.core.groups.Tuple.tuple(FlowKind.TRACKED, null, TokenStatus.VERIFIED));
            assertThat(out.get(0).assetReason()).isEqualTo("symbol \"USDТ\" (U+0422) mixes scripts Cyrillic and Latin; symbol \"USDТ\" (U+0422)"
                + " looks like USDT of verified " + USDT.contract());
        }
    }

    @Test
    void initialTokensApplyToANewStateAndTheRegistryComesBackFromItsStoreOnRestart() throws Exception {
        Path dir = Files.createTempDirectory("tw-tokens-state-");
        MockProcessorContext<String, TaintFlow> context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), dir.toFile());
        List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
        for (String name : new String[] {TaintTopology.ACCOUNTS_STORE, TaintTopology.SEEDS_STORE, TaintTopology.LABELS_STORE,
            TaintTopology.META_STORE, TaintTopology.TOKENS_STORE, TaintTopology.RECEIVED_STORE}) {
            KeyValueStore<Bytes, byte[]> st = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TaintTopology.storeName(Chain.CHAIN, name)), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
            st.init(context.getStateStoreContext(), st);
            context.addStateStore(st);
            stores.add(st);
        }
        Token usdt = new Token(Chain.CHAIN, USDT.contract(), "USDT", "Tether USD", 6, TokenStatus.VERIFIED, "", "test list");
        TaintTopologyConfig replay = TaintTopologyConfig.live(Chain.CHAIN, TaintConfig.defaults())
            .withInitial(List.of(new Seed(addr("hacker"), "theft", Category.THEFT, 0, "")), List.of())
            .withInitialTokens(List.of(usdt), List.of(Token.observed(Chain.CHAIN, FAKE.contract(), "USDТ", "", 6, "tokens.csv")));
        Chain c = new Chain(1);
        List<Block> blocks = List.of(c.block().tx().leg(LegKind.ERC20, "hacker", "lookalike", FAKE, 1_000).build(),
            c.block().tx().leg(LegKind.ERC20, "hacker", "lookalike2", FAKE, 2_000).build());
        try {
            for (int i = 0; i < 2; i++) {
                // initial tokens apply to a new state only: on the second start the registry comes from taint-tokens
                TaintTopologyConfig cfg = replay;
                TaintProcessor p = new TaintProcessor(cfg, new SimpleMeterRegistry(), new SectionTimes(false));
                p.init(context);
                context.setRecordMetadata(cfg.blocksTopic(), 0, i);
                p.process(new Record<>("31337", BlockCodec.scan(BlockCodec.encode(blocks.get(i))), 0L));
                p.close();
            }
            assertThat(context.forwarded()).extracting(f -> f.record().value().skipped())
                .containsExactly(SkipReason.COUNTERFEIT, SkipReason.COUNTERFEIT);
        } finally {
            stores.forEach(KeyValueStore::close);
        }
    }

    @Test
    void aBadTokenRecordFailsToDecodeNamingTheTopicSoItIsDeadLettered() {
        assertThatThrownBy(() -> TaintTopology.declaredTokens().deserialize("token-registry",
            "{\"chain\":\"testnet\",\"chain_id\":31337,\"address\":\"0x12\",\"status\":\"verified\"}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(DecodeException.class).hasMessageStartingWith("bad token in topic token-registry: token: invalid address '0x12'");
        assertThatThrownBy(() -> TaintTopology.declaredTokens().deserialize("token-registry",
            "{\"chain\":\"testnet\",\"chain_id\":31337,\"address\":\"0x0000000000000000000000000000000000000001\",\"status\":\"fake\"}"
            .getBytes(StandardCharsets.UTF_8)))
            .hasMessageContaining("unknown token status 'fake'");
        assertThatThrownBy(() -> TaintTopology.observedTokens().deserialize("tokens", "{\"token\":\"native\",\"symbol\":\"ETH\"}".getBytes()))
            .isInstanceOf(DecodeException.class).hasMessage("bad token metadata in topic tokens: token metadata native: chain (name) and chain id"
                + " (number) are required");
    }
}
