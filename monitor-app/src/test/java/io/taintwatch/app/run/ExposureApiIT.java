package io.taintwatch.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.alerts.exposure.ExposureJson;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * The exposure API of {@code taintwatch run} on a real (embedded) broker, answered from the taint engine's stores: a
 * tainted address, an address untracked after it passed its taint on, a seed and a clean address; a screening of a
 * transfer against the alert the same transfer raises once it happens; and the bearer-token refusal.
 */
class ExposureApiIT {
    private static final ObjectMapper M = new ObjectMapper();
    private static final ChainId ETH = ChainId.ETHEREUM;
    private static final String TOKEN = "exposure-it-token-0123456789";
    private static final Address HACKER = Address.parse("0x" + "a1".repeat(20));
    private static final Address MULE = Address.parse("0x" + "b2".repeat(20));
    private static final Address SPENDER = Address.parse("0x" + "c3".repeat(20));
    private static final Address OTHER = Address.parse("0x" + "d4".repeat(20));
    private static final Address DEPOSIT = Address.parse("0x" + "e5".repeat(20));
    private static final Address CLEAN = Address.parse("0x" + "f6".repeat(20));
    private static final BigInteger ETHER = BigInteger.TEN.pow(18);
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
            Map.entry("state.dir", tmp.resolve("state").toString()), Map.entry("chains", "ethereum"), Map.entry("chain.ethereum.id", "1"),
            Map.entry("http.port", "0"), Map.entry("metrics.port", "0"), Map.entry("retro.mode", "off"),
            Map.entry("alerts.api.tokens", TOKEN))));
    }

    private static Leg leg(long block, Address from, Address to, BigInteger amount) {
        return new Leg(new Position(block, 0, 0), LegKind.NATIVE, Hash32.parse(String.format("%064x", block * 100 + 1)), from, to, Asset.NATIVE,
            amount);
    }

    private static Block block(long n, Leg... legs) {
        Hash32 h = Hash32.parse(String.format("%016x", n) + "0".repeat(47) + "1");
        Hash32 p = n == 0 ? Hash32.ZERO : Hash32.parse(String.format("%016x", n - 1) + "0".repeat(47) + "1");
        return new Block(ETH, n, h, p, 1_780_000_000L + 12 * n, List.of(legs), null);
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

    private static List<String> alerts() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition("alerts", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, int port, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode exposure(HttpClient http, int port, Address a) throws Exception {
        HttpResponse<String> r = get(http, port, "/v1/exposure/ethereum/" + a, TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(AlertSchema.errorsAgainst(ExposureJson.EXPOSURE_SCHEMA, r.body())).as(r.body()).isEmpty();
        return M.readTree(r.body());
    }

    @Test
    void exposuresAndAScreeningAreAnsweredFromTheEngineStateAndTheScreeningAgreesWithTheAlert() throws Exception {
        PipelineConfig c = config();
        kafka.createTopic("tokens", 1, Map.of("cleanup.policy", "compact"));
        HttpClient http = HttpClient.newHttpClient();
        try (Pipeline p = Pipeline.start(c, EnumSet.of(Pipeline.Part.TAINT, Pipeline.Part.ALERTS))) {
            int port = p.apiPort();
            Seed seed = new Seed(HACKER, "case:1", Category.THEFT, 0, "FBI case 1");
            send("watchlist", seed.key(), Json.seedBytes(seed));
            Entity deposit = new Entity(DEPOSIT, "Example Exchange", Category.EXCHANGE_DEPOSIT, "test", 100);
            send("labels", deposit.key(), Json.entityBytes(deposit));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(p::ready);
            // seeds and labels take effect from the next block
            sendBlock(block(0));
            // the seed reaches the chain's engine through the reference task: wait until the engine has it and block 0
            Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                JsonNode h = exposure(http, port, HACKER);
                return h.get("asOfBlock").asLong() == 0 && h.get("directExposure").asBoolean();
            });
            sendBlock(block(1, leg(1, HACKER, MULE, ETHER.multiply(BigInteger.valueOf(50)))));
            sendBlock(block(2, leg(2, HACKER, SPENDER, ETHER.multiply(BigInteger.TEN))));
            sendBlock(block(3, leg(3, SPENDER, OTHER, ETHER.multiply(BigInteger.TEN))));
            Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> exposure(http, port, MULE).get("asOfBlock").asLong() == 3);

            JsonNode mule = exposure(http, port, MULE);
            assertThat(mule.get("tracked").asBoolean()).isTrue();
            assertThat(mule.get("directExposure").asBoolean()).isFalse();
            JsonNode held = mule.get("holdings").get(0);
            assertThat(held.get("amount").get("raw").asText()).isEqualTo(ETHER.multiply(BigInteger.valueOf(50)).toString());
            assertThat(held.get("share").asText()).isEqualTo("1");
            assertThat(held.get("minHop").asInt()).isEqualTo(1);
            assertThat(held.get("source").get("id").asText()).isEqualTo("case:1");
            assertThat(held.get("source").get("category").asText()).isEqualTo("theft");
            assertThat(held.get("source").get("reference").asText()).isEqualTo("FBI case 1");
            assertThat(held.get("evidence").get(0).get("path").get(0).get("txHash").asText()).isEqualTo(leg(1, HACKER, MULE, ETHER).txHash().toString());

            JsonNode spender = exposure(http, port, SPENDER);
            assertThat(spender.get("tracked").asBoolean()).isFalse();
            assertThat(spender.get("holdings")).isEmpty();
            assertThat(spender.get("received")).hasSize(1);
            assertThat(spender.get("received").get(0).get("amount").get("formatted").asText()).isEqualTo("10");
            assertThat(spender.get("firstExposure").get("block").asLong()).isEqualTo(2);

            JsonNode hacker = exposure(http, port, HACKER);
            assertThat(hacker.get("directExposure").asBoolean()).isTrue();
            assertThat(hacker.get("seed").get("sourceId").asText()).isEqualTo("case:1");

            JsonNode clean = exposure(http, port, CLEAN);
            assertThat(clean.get("seed").isNull()).isTrue();
            assertThat(clean.get("holdings")).isEmpty();
            assertThat(clean.get("received")).isEmpty();
            assertThat(clean.get("labels")).isEmpty();
            assertThat(clean.get("firstExposure").isNull()).isTrue();

            assertThat(exposure(http, port, DEPOSIT).get("labels").get(0).get("category").asText()).isEqualTo("exchange-deposit");

            // the screening of a transfer, then the same transfer on chain: the alert says what the screening said
            BigInteger twenty = ETHER.multiply(BigInteger.valueOf(20));
            String transfer = M.createObjectNode().put("chain", "ethereum").put("from", MULE.toString()).put("to", DEPOSIT.toString())
                .put("asset", "native").put("amount", twenty.toString()).toString();
            HttpResponse<String> screened = post(http, port, "/v1/screen", transfer, TOKEN);
            assertThat(screened.statusCode()).as(screened.body()).isEqualTo(200);
            assertThat(AlertSchema.errorsAgainst(ExposureJson.SCREENING_SCHEMA, screened.body())).as(screened.body()).isEmpty();
            JsonNode screening = M.readTree(screened.body());
            assertThat(screening.get("alert").asBoolean()).isTrue();
            JsonNode finding = screening.get("findings").get(0);
            assertThat(finding.get("rule").asText()).isEqualTo("tainted-to-exchange");
            assertThat(alerts()).noneMatch(a -> a.contains("tainted-to-exchange"));

            sendBlock(block(4, leg(4, MULE, DEPOSIT, twenty)));
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> alerts().stream().anyMatch(a -> a.contains("tainted-to-exchange")));
            JsonNode alert = M.readTree(alerts().stream().filter(a -> a.contains("tainted-to-exchange")).findFirst().orElseThrow());
            assertThat(screening.get("severity").asText()).isEqualTo(alert.get("severity").asText());
            assertThat(finding.get("severity")).isEqualTo(alert.get("severity"));
            assertThat(finding.get("reasons")).isEqualTo(alert.get("reasons"));
            assertThat(finding.get("recommendedAction")).isEqualTo(alert.get("recommendedAction"));
            assertThat(finding.get("tainted")).isEqualTo(alert.get("tainted"));

            // a clean sender's transfer to the same deposit raises nothing
            String cleanTransfer = M.createObjectNode().put("chain", "ethereum").put("from", CLEAN.toString()).put("to", DEPOSIT.toString())
                .put("amount", "1000").toString();
            JsonNode none = M.readTree(post(http, port, "/v1/screen", cleanTransfer, TOKEN).body());
            assertThat(none.get("severity").isNull()).isTrue();
            assertThat(none.get("findings")).isEmpty();

            // no token, a wrong token: refused with no data; bad input: 400 and 404 naming what is wrong
            assertThat(get(http, port, "/v1/exposure/ethereum/" + MULE, null).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = get(http, port, "/v1/exposure/ethereum/" + MULE, "not-the-token-0123456789");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("holdings");
            assertThat(post(http, port, "/v1/screen", transfer, null).statusCode()).isEqualTo(401);
            assertThat(get(http, port, "/v1/exposure/ethereum/0x1234", TOKEN).statusCode()).isEqualTo(400);
            assertThat(get(http, port, "/v1/exposure/polygon/" + MULE, TOKEN).body()).contains("no chain 'polygon'");
        }
    }
}
