package io.taintwatch.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.exposure.ExposureApi;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two taint instances of one application share two chains: an exposure query for either chain, asked at either instance,
 * is answered from the state of the instance that runs the chain (forwarded there when asked elsewhere), with the same
 * answer.
 */
class ExposureRoutingIT {
    private static final String TOKEN = "exposure-routing-token-0123456789";
    private static final ChainId ONE = new ChainId(1, "ethereum");
    private static final ChainId TWO = new ChainId(137, "polygon");
    private static final Address HACKER = Address.parse("0x" + "a1".repeat(20));
    private static final Address MULE = Address.parse("0x" + "b2".repeat(20));
    @TempDir
    Path dir;

    private PipelineConfig config(String bootstrap, String instance) {
        return new PipelineConfig(TaintwatchConfig.of(Map.ofEntries(Map.entry("kafka.bootstrap-servers", bootstrap),
            Map.entry("state.dir", dir.resolve(instance).toString()), Map.entry("chains", "ethereum,polygon"), Map.entry("chain.ethereum.id", "1"),
            Map.entry("chain.polygon.id", "137"), Map.entry("http.port", "0"), Map.entry("metrics.port", "0"), Map.entry("retro.mode", "off"),
            Map.entry("alerts.api.tokens", TOKEN), Map.entry("http.advertised-host", "127.0.0.1"))));
    }

    private static Block block(ChainId chain, long n, Leg... legs) {
        Hash32 h = Hash32.parse(String.format("%016x", n) + String.format("%048x", chain.id()));
        Hash32 p = n == 0 ? Hash32.ZERO : Hash32.parse(String.format("%016x", n - 1) + String.format("%048x", chain.id()));
        return new Block(chain, n, h, p, 1_780_000_000L + 12 * n, List.of(legs), null);
    }

    @Test
    void eachChainIsAnsweredByTheInstanceThatRunsItWhicheverInstanceIsAsked() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, Map.of())) {
            String bootstrap = kafka.bootstrapServers();
            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
                 Pipeline a = Pipeline.start(config(bootstrap, "a"), EnumSet.of(Pipeline.Part.TAINT),
                     new Pipeline.Extras(new SimpleMeterRegistry(), List.of(), List.of()));
                 Pipeline b = Pipeline.start(config(bootstrap, "b"), EnumSet.of(Pipeline.Part.TAINT),
                     new Pipeline.Extras(new SimpleMeterRegistry(), List.of(), List.of()))) {
                Seed seed = new Seed(HACKER, "case:1", Category.THEFT, 0, "FBI case 1");
                producer.send(new ProducerRecord<>("watchlist", seed.key(), Json.seedBytes(seed))).get();
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> a.ready() && b.ready());
                for (ChainId chain : List.of(ONE, TWO)) {
                    producer.send(new ProducerRecord<>(chain.blocksTopic(), Long.toString(chain.id()), BlockCodec.encode(block(chain, 0)))).get();
                }
                HttpClient http = HttpClient.newHttpClient();
                // the seed reaches each chain's engine through the reference task and takes effect from the next block: wait
                // until each engine has read block 0 and the seed
                for (ChainId chain : List.of(ONE, TWO)) {
                    Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                        String body = get(http, a.apiPort(), chain, HACKER).body();
                        return body.contains("\"asOfBlock\":0") && body.contains("\"directExposure\":true");
                    });
                }
                for (ChainId chain : List.of(ONE, TWO)) {
                    Leg leg = new Leg(new Position(1, 0, 0), LegKind.NATIVE, Hash32.parse(String.format("%064x", chain.id())), HACKER, MULE,
                        Asset.NATIVE, BigInteger.valueOf(chain.id() * 1_000_000_000_000L));
                    producer.send(new ProducerRecord<>(chain.blocksTopic(), Long.toString(chain.id()), BlockCodec.encode(block(chain, 1, leg)))).get();
                }
                Set<String> servers = new HashSet<>();
                for (ChainId chain : List.of(ONE, TWO)) {
                    Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> get(http, b.apiPort(), chain, MULE).body().contains("\"asOfBlock\":1"));
                    HttpResponse<String> atA = get(http, a.apiPort(), chain, MULE);
                    HttpResponse<String> atB = get(http, b.apiPort(), chain, MULE);
                    assertThat(atA.statusCode()).as(atA.body()).isEqualTo(200);
                    assertThat(atB.statusCode()).as(atB.body()).isEqualTo(200);
                    assertThat(atA.body()).isEqualTo(atB.body()).contains("\"raw\":\"" + chain.id() * 1_000_000_000_000L + "\"");
                    String servedA = atA.headers().firstValue(ExposureApi.SERVED_BY).orElseThrow();
                    assertThat(atB.headers().firstValue(ExposureApi.SERVED_BY)).contains(servedA);
                    servers.add(servedA);
                }
                // both instances were asked about both chains and each chain was answered by one of them: at least one
                // answer was forwarded; which instance runs which chain is the assignor's choice
                assertThat(servers).isSubsetOf(Set.of("127.0.0.1:" + a.apiPort(), "127.0.0.1:" + b.apiPort()));
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, ChainId chain, Address address) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/exposure/" + chain.name() + "/" + address))
            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
