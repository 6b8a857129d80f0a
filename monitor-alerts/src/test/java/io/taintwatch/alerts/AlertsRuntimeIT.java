package io.taintwatch.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.Json;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Block;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.testing.Chain;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The all-in-one wiring: service, dispatcher, feed and API from one config, on the in-process broker. */
class AlertsRuntimeIT {
    private static final String TOKEN = "tok_runtime_0123456789";

    @TempDir
    Path dir;

    private static <V> KafkaProducer<String, V> producer(EmbeddedKafka kafka, Serializer<V> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), values);
    }

    @Test
    void theRuntimeBecomesReadyAndServesTheAlertsOfTheFlowsItReads() throws Exception {
        Scenario s = new Scenario();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            AlertsConfig cfg = Scenario.config(kafka.bootstrapServers(), dir, false).withApi(new ApiConfig("127.0.0.1", 0, List.of(TOKEN), 100));
            Scenario.ensureTopics(cfg, 1);
            try (KafkaProducer<String, byte[]> raw = producer(kafka, new ByteArraySerializer());
                 KafkaProducer<String, TaintFlow> flows = producer(kafka, TaintSerdes.flows().serializer());
                 AlertsRuntime rt = AlertsRuntime.start(cfg, new SimpleMeterRegistry())) {
                s.seeds.forEach(x -> raw.send(new ProducerRecord<>("watchlist", x.address().toString(), Json.seedBytes(x))));
                s.labels.forEach(x -> raw.send(new ProducerRecord<>("labels", x.address().toString(), Json.entityBytes(x))));
                raw.flush();
                HttpClient http = HttpClient.newHttpClient();
                URI ready = URI.create("http://127.0.0.1:" + rt.apiPort() + "/ready");
                await().atMost(Duration.ofSeconds(90)).until(() -> http.send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                for (Block b : s.blocks) {
                    for (TaintFlow f : s.flows) {
                        if (f.position().block() == b.number()) {
                            flows.send(new ProducerRecord<>(Chain.CHAIN.flowsTopic(), f.to().toString(), f));
                        }
                    }
                }
                flows.flush();
                long expectedIds = s.alertVersions().stream().map(a -> a.id()).distinct().count();
                HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.apiPort() + "/alerts?limit=1000"))
                    .header("Authorization", "Bearer " + TOKEN).build();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                    new ObjectMapper().readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body()).get("alerts").size() == expectedIds);
                assertThat(rt.ready()).isTrue();
            }
        }
    }
}
