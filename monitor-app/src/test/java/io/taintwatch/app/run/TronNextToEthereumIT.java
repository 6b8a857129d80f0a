package io.taintwatch.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TronAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taintwatch run} with a Tron chain next to Ethereum, on a real (embedded) broker: each chain gets its topics and its
 * own taint task; a Tron seed taints Tron flows and an alert names Tron's {@code T...} addresses, while on Ethereum the same
 * 20 bytes are no source (the seed is keyed {@code T...} and applies to Tron chains only) and an EVM seed works as before.
 */
class TronNextToEthereumIT {
    private static final ObjectMapper M = new ObjectMapper();
    private static final ChainId ETH = ChainId.ETHEREUM;
    private static final ChainId TRON = new ChainId(728126428, "tron", ChainKind.TRON);
    /** A Tron address on OFAC's list. */
    private static final Address S = TronAddress.decode("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM");
    private static final Address A = TronAddress.decode("TCL79Hyxqs2SXAyZk8nmJ3h36DRazm4bTC");
    private static final Address X = TronAddress.decode("TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH");
    private static final Address E = Address.parse("0x" + "e1".repeat(20));
    private static final Address B = Address.parse("0x" + "b0".repeat(20));
    private static EmbeddedKafka kafka;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static PipelineConfig config() {
        return new PipelineConfig(TaintwatchConfig.of(Map.ofEntries(Map.entry("kafka.bootstrap-servers", kafka.bootstrapServers()),
            Map.entry("state.dir", tmp.resolve("state").toString()), Map.entry("chains", "ethereum,tron"), Map.entry("chain.ethereum.id", "1"),
            Map.entry("chain.tron.id", Long.toString(TRON.id())), Map.entry("chain.tron.kind", "tron"), Map.entry("http.port", "0"),
            Map.entry("metrics.port", "0"), Map.entry("retro.mode", "off"), Map.entry("taint.dust.native", "0"))));
    }

    private static Leg leg(long block, int tx, Address from, Address to, long amount) {
        return new Leg(new Position(block, tx, 0), LegKind.NATIVE, Hash32.parse(String.format("%064x", block * 100 + tx + 1)), from, to, Asset.NATIVE,
            BigInteger.valueOf(amount));
    }

    private static Block block(ChainId chain, long n, Leg... legs) {
        Hash32 h = Hash32.parse(String.format("%016x", n) + String.format("%048x", chain.id()));
        Hash32 p = n == 0 ? Hash32.ZERO : Hash32.parse(String.format("%016x", n - 1) + String.format("%048x", chain.id()));
        return new Block(chain, n, h, p, 1_780_000_000L + 3 * n, List.of(legs), null);
    }

    private static void send(String topic, String key, byte[] value) throws Exception {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static void sendBlock(Block b) throws Exception {
        send(b.chain().blocksTopic(), Long.toString(b.chain().id()), BlockCodec.encode(b));
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void aTronChainRunsNextToEthereumWithItsOwnTopicsTaskAndAddresses() throws Exception {
        PipelineConfig c = config();
        kafka.createTopic("tokens", 1, Map.of("cleanup.policy", "compact"));
        try (Pipeline p = Pipeline.start(c, EnumSet.of(Pipeline.Part.TAINT, Pipeline.Part.ALERTS));
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains("blocks.ethereum", "taint-flows.ethereum", "blocks.tron", "taint-flows.tron");

            // the Tron seed is keyed T...; a label of X as an exchange deposit on Tron
            Seed tronSeed = new Seed(S, "ofac:45404", Category.SANCTIONS, 0, "OFAC SDN on Tron", ChainKind.TRON);
            Seed evmSeed = new Seed(E, "theft-1", Category.THEFT, 0, "an Ethereum theft");
            send("watchlist", tronSeed.key(), Json.seedBytes(tronSeed));
            send("watchlist", evmSeed.key(), Json.seedBytes(evmSeed));
            Entity deposit = new Entity(X, "Example Exchange", Category.EXCHANGE_DEPOSIT, "test", 100, ChainKind.TRON);
            send("labels", deposit.key(), Json.entityBytes(deposit));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(p::ready);
            // seeds and labels take effect from the next block: an empty block first on each chain
            sendBlock(block(TRON, 0));
            sendBlock(block(ETH, 0));
            for (ChainId chain : List.of(TRON, ETH)) {
                TopicPartition tp = new TopicPartition(chain.blocksTopic(), 0);
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                    var o = admin.listConsumerGroupOffsets(c.taintApplicationId()).partitionsToOffsetAndMetadata().get().get(tp);
                    return o != null && o.offset() >= 1;
                });
            }
            sendBlock(block(TRON, 1, leg(1, 0, S, A, 50_000_000)));
            sendBlock(block(TRON, 2, leg(2, 0, A, X, 40_000_000)));
            // on Ethereum the same 20 bytes as the Tron seed are no source; the EVM seed is
            sendBlock(block(ETH, 1, leg(1, 0, S, B, 7), leg(1, 1, E, B, 9)));

            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> read("taint-flows.tron").size() >= 2 && !read("taint-flows.ethereum").isEmpty()
                && read("alerts").stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("tainted-to-exchange")));

            List<TaintFlow> tron = read("taint-flows.tron").stream().map(r -> FlowCodec.decode(r.value())).toList();
            assertThat(tron).allSatisfy(f -> assertThat(f.chain()).isEqualTo(TRON));
            assertThat(tron).extracting(f -> TronAddress.encode(f.to())).containsExactly(TronAddress.encode(A), TronAddress.encode(X));
            assertThat(Json.flow(tron.get(1))).contains("\"to\":\"TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH\"")
                .contains("\"source\":\"TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM\"");
            List<TaintFlow> eth = read("taint-flows.ethereum").stream().map(r -> FlowCodec.decode(r.value())).toList();
            assertThat(eth).singleElement().satisfies(f -> {
                assertThat(f.from()).isEqualTo(E);
                assertThat(f.shares()).extracting(s -> s.sourceId()).containsExactly("theft-1");
            });

            JsonNode alert = read("alerts").stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(s -> s.contains("tainted-to-exchange")).map(s -> {
                    assertThat(AlertSchema.errors(s)).isEmpty();
                    try {
                        return M.readTree(s);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).reduce((a, b) -> b).orElseThrow();
            assertThat(alert.get("chain").get("name").asText()).isEqualTo("tron");
            assertThat(alert.get("chain").get("kind").asText()).isEqualTo("tron");
            assertThat(alert.get("to").asText()).isEqualTo("TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH");
            assertThat(alert.get("sources").get(0).get("address").asText()).isEqualTo("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM");
            assertThat(alert.get("tainted").get("symbol").asText()).isEqualTo("TRX");
            assertThat(alert.get("tainted").get("formatted").asText()).isEqualTo("40");

            Set<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).collect(Collectors.toSet());
            // one taint application, in which each chain is a task of its own
            assertThat(groups).contains(c.taintApplicationId()).doesNotContain(c.taintApplicationId() + "-" + ETH.name(),
                c.taintApplicationId() + "-" + TRON.name());
        }
    }
}
