package io.taintwatch.alerts;

import io.taintwatch.encoding.Json;
import io.taintwatch.encoding.TaintSerdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.api.AlertFeed;
import io.taintwatch.alerts.api.AlertIndex;
import io.taintwatch.alerts.api.AlertsHttpServer;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.delivery.WebhookDispatcher;
import io.taintwatch.alerts.delivery.WebhookEndpoint;
import io.taintwatch.alerts.delivery.WebhookSigner;
import io.taintwatch.alerts.delivery.WebhooksConfig;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Block;
import io.taintwatch.model.Severity;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.testing.Chain;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alert service on a real (in-process) broker, with webhook receivers on a real HTTP server that is down,
 * then times out, then recovers, while the alert service and the dispatcher are restarted in the middle.
 */
class AlertsDeliveryIT {
    private static final String SECRET = "whsec_it_0123456789abcdef";
    private static final String TOKEN = "tok_it_0123456789abcdef";
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** A receiver that verifies signatures and records what it accepted; its behaviour is switched by the test. */
    static final class Receiver implements AutoCloseable {
        enum Mode { DOWN, RECOVERING }

        final HttpServer server;
        final AtomicReference<Mode> mode = new AtomicReference<>(Mode.DOWN);
        final AtomicInteger timeoutsLeft = new AtomicInteger(2);
        final AtomicInteger served500 = new AtomicInteger();
        final AtomicInteger servedSlow = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        final Map<String, List<String>> accepted = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<String, List<String>> attempts = new java.util.concurrent.ConcurrentHashMap<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        }

        List<String> accepted(String path) {
            return accepted.getOrDefault(path, List.of());
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String path = ex.getRequestURI().getPath();
                boolean signed = WebhookSigner.verify(SECRET, ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_TIMESTAMP),
                    ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_SIGNATURE), body, System.currentTimeMillis() / 1000, 300);
                if (!signed) {
                    badSignatures.incrementAndGet();
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                switch (path) {
                    case "/refuses" -> {
                        ex.sendResponseHeaders(400, -1);
                        return;
                    }
                    case "/always-503" -> {
                        ex.sendResponseHeaders(503, -1);
                        return;
                    }
                    default -> { }
                }
                if (mode.get() == Mode.DOWN) {
                    served500.incrementAndGet();
                    ex.sendResponseHeaders(500, -1);
                    return;
                }
                if (timeoutsLeft.getAndDecrement() > 0) {
                    servedSlow.incrementAndGet();
                    try {
                        Thread.sleep(3_000); // longer than the endpoint's timeout: the sender gives up, nothing is accepted
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                String id = ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_ALERT_ID);
                String version = ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_ALERT_VERSION);
                Alert a = AlertJson.parse(body);
                if (!a.id().equals(id) || a.version() != Long.parseLong(version)) {
                    ex.sendResponseHeaders(400, -1);
                    return;
                }
                // a real receiver deduplicates by id and version: a sender that timed out re-sends what may have arrived
                String attempt = ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_ATTEMPT);
                accepted.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>())).add(id + "#" + version);
                attempts.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>())).add(id + "#" + version + "@" + attempt);
                ex.sendResponseHeaders(204, -1);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static WebhookEndpoint endpoint(String name, URI url, Set<Severity> severities, Duration retryBudget) {
        return new WebhookEndpoint(name, url, SECRET, severities, Set.of(), Set.of(), retryBudget, Duration.ofMillis(20),
            Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    /** What the topology emits for the scenario, by TopologyTestDriver: alert id#version -> alert. */
    private static Map<String, Alert> expected(AlertsConfig cfg, Scenario s, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "expected");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver d = new TopologyTestDriver(AlertsTopology.build(cfg, TaintSerdes.flows(), TaintSerdes.blocks(),
            AlertMetrics.noop()), p)) {
            TestInputTopic<String, byte[]> w = d.createInputTopic("watchlist", new StringSerializer(), new ByteArraySerializer());
            s.seeds.forEach(x -> w.pipeInput(x.address().toString(), Json.seedBytes(x)));
            TestInputTopic<String, byte[]> l = d.createInputTopic("labels", new StringSerializer(), new ByteArraySerializer());
            s.labels.forEach(x -> l.pipeInput(x.address().toString(), Json.entityBytes(x)));
            TestInputTopic<String, Block> b = d.createInputTopic(Chain.CHAIN.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
            TestInputTopic<String, TaintFlow> f = d.createInputTopic(Chain.CHAIN.flowsTopic(), new StringSerializer(), TaintSerdes.flows().serializer());
            for (Block block : s.blocks) {
                b.pipeInput("31337", block);
                s.flows.stream().filter(x -> x.position().block() == block.number()).forEach(x -> f.pipeInput(x.to().toString(), x));
            }
            return d.createOutputTopic("alerts", new StringDeserializer(), AlertSerdes.alert().deserializer()).readValuesToList().stream()
                .collect(Collectors.toMap(a -> a.id() + "#" + a.version(), a -> a));
        }
    }

    private void produce(KafkaProducer<String, byte[]> raw, KafkaProducer<String, Block> blocks, KafkaProducer<String, TaintFlow> flows,
                         Scenario s, int fromBlock, int toBlock) {
        for (Block b : s.blocks.subList(fromBlock, toBlock)) {
            blocks.send(new ProducerRecord<>(Chain.CHAIN.blocksTopic(), "31337", b));
            for (TaintFlow f : s.flows) {
                if (f.position().block() == b.number()) {
                    flows.send(new ProducerRecord<>(Chain.CHAIN.flowsTopic(), f.to().toString(), f));
                }
            }
        }
        blocks.flush();
        flows.flush();
        raw.flush();
    }

    private static <V> KafkaProducer<String, V> producer(Serializer<V> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), values);
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    @Test
    void everyAlertIsDeliveredOncePerEndpointThroughOutagesTimeoutsAndARestart() throws Exception {
        Scenario s = new Scenario();
        for (String t : List.of("watchlist", "labels", "tokens")) {
            kafka.createTopic(t, 1, Map.of("cleanup.policy", "compact"));
        }
        kafka.createTopic(Chain.CHAIN.flowsTopic(), 1, Map.of());
        kafka.createTopic(Chain.CHAIN.blocksTopic(), 1, Map.of());

        try (Receiver rx = new Receiver()) {
            WebhooksConfig hooks = new WebhooksConfig(List.of(
                endpoint("soc", rx.uri("/soc"), Set.of(), Duration.ofHours(1)),
                endpoint("pager", rx.uri("/pager"), Set.of(Severity.SEVERE), Duration.ofHours(1)),
                endpoint("refuses", rx.uri("/refuses"), Set.of(Severity.SEVERE), Duration.ofHours(1)),
                endpoint("always-503", rx.uri("/always-503"), Set.of(Severity.SEVERE), Duration.ofMillis(300))), "it-webhook-");
            AlertsConfig cfg = Scenario.config(kafka.bootstrapServers(), dir.resolve("state"), true).withWebhooks(hooks)
                .withApi(new ApiConfig("127.0.0.1", 0, List.of(TOKEN), 1000));
            Map<String, Alert> expected = expected(cfg, s, dir.resolve("expected"));
            assertThat(expected).isNotEmpty();
            Scenario.ensureTopics(cfg, 2);

            try (KafkaProducer<String, byte[]> raw = producer(new ByteArraySerializer());
                 KafkaProducer<String, Block> blocks = producer(TaintSerdes.blocks().serializer());
                 KafkaProducer<String, TaintFlow> flows = producer(TaintSerdes.flows().serializer())) {
                s.seeds.forEach(x -> raw.send(new ProducerRecord<>("watchlist", x.address().toChecksumHex(), Json.seedBytes(x))));
                s.labels.forEach(x -> raw.send(new ProducerRecord<>("labels", x.address().toString(), Json.entityBytes(x))));
                raw.flush();

                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                AlertMetrics metrics = new AlertMetrics(registry);
                AlertsService service = new AlertsService(cfg, TaintSerdes.flows(), TaintSerdes.blocks(), metrics);
                WebhookDispatcher dispatcher = new WebhookDispatcher(cfg.kafka(), cfg.topics().alerts(), cfg.topics().webhookDlq(),
                    hooks, metrics, Clock.systemUTC());
                service.start();
                dispatcher.start();
                int half = s.blocks.size() / 2;
                produce(raw, blocks, flows, s, 0, half);
                // the receiver is down: wait until deliveries are failing, then restart both in the middle
                await().atMost(Duration.ofSeconds(120)).until(() -> rx.served500.get() >= 3);
                dispatcher.close();
                service.close();
                assertThat(rx.accepted("/soc")).isEmpty();

                rx.mode.set(Receiver.Mode.RECOVERING);
                service = new AlertsService(cfg, TaintSerdes.flows(), TaintSerdes.blocks(), metrics);
                dispatcher = new WebhookDispatcher(cfg.kafka(), cfg.topics().alerts(), cfg.topics().webhookDlq(), hooks, metrics,
                    Clock.systemUTC());
                service.start();
                dispatcher.start();
                produce(raw, blocks, flows, s, half, s.blocks.size());

                AlertIndex index = new AlertIndex(1000);
                try (AlertFeed feed = new AlertFeed(cfg.kafka(), cfg.topics().alerts(), index);
                     AlertsHttpServer api = new AlertsHttpServer(cfg.api(), index, feed::caughtUp, metrics)) {
                    feed.start();
                    api.start();
                    Set<String> severe = expected.entrySet().stream().filter(e -> e.getValue().severity() == Severity.SEVERE)
                        .map(Map.Entry::getKey).collect(Collectors.toSet());
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        assertThat(Set.copyOf(rx.accepted("/soc"))).isEqualTo(expected.keySet());
                        assertThat(Set.copyOf(rx.accepted("/pager"))).isEqualTo(severe);
                        assertThat(readAll(cfg.topics().webhookDlq())).hasSize(2 * severe.size());
                    });
                    // exactly once per endpoint by id and version; a repeat may only be the retry of an attempt whose
                    // response the sender did not see in time (never caused by the restart: nothing was accepted before it)
                    for (String path : List.of("/soc", "/pager")) {
                        List<String> seen = new ArrayList<>();
                        for (String a : rx.attempts.getOrDefault(path, List.of())) {
                            String key = a.substring(0, a.indexOf('@'));
                            if (seen.contains(key)) {
                                assertThat(Integer.parseInt(a.substring(a.indexOf('@') + 1))).as("repeat of %s", key).isGreaterThan(1);
                            }
                            seen.add(key);
                        }
                    }
                    assertThat(rx.badSignatures.get()).isZero();
                    assertThat(rx.served500.get()).isPositive();
                    assertThat(rx.servedSlow.get()).isEqualTo(2);

                    // the alerts topic holds each version once despite the restart (read_committed), equal to the expected
                    List<ConsumerRecord<String, byte[]>> topic = readAll(cfg.topics().alerts());
                    List<String> versions = topic.stream().map(r -> {
                        Alert a = AlertJson.parse(r.value());
                        assertThat(r.key()).isEqualTo(a.id());
                        assertThat(a).isEqualTo(expected.get(a.id() + "#" + a.version()));
                        return a.id() + "#" + a.version();
                    }).toList();
                    assertThat(versions).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected.keySet());

                    // dead letters say why: refused at once, retried until the budget ran out, or held behind an earlier version
                    for (ConsumerRecord<String, byte[]> r : readAll(cfg.topics().webhookDlq())) {
                        JsonNode n = mapper.readTree(r.value());
                        String reason = n.get("reason").asText();
                        if (reason.startsWith("held: ")) {
                            assertThat(n.get("attempts").asInt()).isZero();
                        } else if (n.get("endpoint").asText().equals("refuses")) {
                            assertThat(reason).startsWith("HTTP 400");
                            assertThat(n.get("attempts").asInt()).isEqualTo(1); // permanent: not retried
                        } else {
                            assertThat(n.get("endpoint").asText()).isEqualTo("always-503");
                            assertThat(reason).startsWith("HTTP 503; the receiver has been failing since").endsWith("retry budget of PT0.3S");
                            assertThat(n.get("attempts").asInt()).isPositive();
                        }
                        assertThat(severe).contains(n.get("alertId").asText() + "#" + n.get("alertVersion").asText());
                    }
                    assertThat(registry.get(AlertMetrics.OUTBOX_DEPTH).tag("endpoint", "soc").gauge().value()).isZero();
                    assertThat(registry.get(AlertMetrics.WEBHOOK_DELIVERIES).tag("endpoint", "soc").tag("outcome", "delivered").counter().count())
                        .isEqualTo(expected.size());
                    assertThat(registry.get(AlertMetrics.WEBHOOK_DELIVERIES).tag("endpoint", "soc").tag("outcome", "retry").counter().count())
                        .isPositive();

                    // the API over the same topic
                    await().atMost(Duration.ofSeconds(60)).until(feed::caughtUp);
                    await().atMost(Duration.ofSeconds(60)).until(() -> index.size() == expected.values().stream().map(Alert::id).distinct().count());
                    HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.port() + "/alerts?rule=" + AlertRule.TAINTED_TO_EXCHANGE.label()))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(list.statusCode()).isEqualTo(200);
                    assertThat(mapper.readTree(list.body()).get("alerts")).singleElement()
                        .satisfies(a -> assertThat(a.get("count").asInt()).isEqualTo(Scenario.REPEATED_DEPOSITS));
                } finally {
                    dispatcher.close();
                    service.close();
                }
            }
        }
    }
}
