package io.taintwatch.alerts.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.Scenario;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.Alert;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook delivery against a receiver that is really down (nothing listens on its port), then up, on a real broker:
 * retries on a time budget instead of a count, dead-lettering past the budget, holding later versions behind a dead
 * letter, and redelivery in order. Backoffs are milliseconds so the test is quick; the behaviour is the production one.
 */
class WebhookOutageIT {
    private static final String SECRET = "whsec_outage_0123456789abcdef";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** A receiver on a fixed port that verifies signatures and records, in arrival order, what it accepted. */
    static final class Receiver implements AutoCloseable {
        final int port;
        final List<String> accepted = Collections.synchronizedList(new ArrayList<>()); // id#version
        final List<Integer> attemptHeaders = Collections.synchronizedList(new ArrayList<>());
        private HttpServer server;

        Receiver() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port + "/hook");
        }

        void up() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                if (!WebhookSigner.verify(SECRET, ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_TIMESTAMP),
                    ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_SIGNATURE), body, System.currentTimeMillis() / 1000, 300)) {
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                Alert a = AlertJson.parse(body);
                accepted.add(a.id() + "#" + a.version());
                attemptHeaders.add(Integer.parseInt(ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_ATTEMPT)));
                ex.sendResponseHeaders(204, -1);
            }
        }

        @Override
        public void close() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    private static WebhookEndpoint endpoint(URI url, Duration budget) {
        return new WebhookEndpoint("soc", url, SECRET, Set.of(), Set.of(), Set.of(), budget, Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofSeconds(5));
    }

    private static void produce(String topic, List<Alert> alerts) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            alerts.forEach(a -> producer.send(new ProducerRecord<>(topic, a.id(), AlertJson.toBytes(a))));
        }
    }

    private static double count(SimpleMeterRegistry registry, String outcome) {
        var c = registry.find(AlertMetrics.WEBHOOK_DELIVERIES).tag("endpoint", "soc").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    /** Every version of every alert, and per alert the versions in the order received: 1, 2, ... without a gap. */
    private static void assertEveryVersionInOrder(List<String> received, List<Alert> all) {
        Map<String, List<Long>> byAlert = new LinkedHashMap<>();
        for (String s : List.copyOf(received)) {
            byAlert.computeIfAbsent(s.substring(0, s.indexOf('#')), k -> new ArrayList<>()).add(Long.parseLong(s.substring(s.indexOf('#') + 1)));
        }
        Map<String, Long> latest = new HashMap<>();
        all.forEach(a -> latest.merge(a.id(), a.version(), Math::max));
        assertThat(byAlert.keySet()).containsExactlyInAnyOrderElementsOf(latest.keySet());
        byAlert.forEach((id, versions) -> {
            List<Long> expected = new ArrayList<>();
            for (long v = 1; v <= latest.get(id); v++) {
                expected.add(v);
            }
            assertThat(versions).as("versions of %s as received", id).isEqualTo(expected);
        });
    }

    @Test
    void aReceiverDownForLongerThanTheOldAttemptLimitGetsEveryAlertOnceItIsBack() throws Exception {
        String topic = "alerts-outage";
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(topic + ".dlq", 1, Map.of());
        List<Alert> versions = new Scenario().alertVersions();
        produce(topic, versions);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Receiver rx = new Receiver();
             WebhookDispatcher d = new WebhookDispatcher(KafkaClients.plain(kafka.bootstrapServers()), topic, topic + ".dlq",
                 new WebhooksConfig(List.of(endpoint(rx.url(), Duration.ofHours(1))), "outage-"), new AlertMetrics(registry), Clock.systemUTC())) {
            d.start();
            // nothing listens on the port: wait for several times the eight attempts after which delivery used to give up
            await().atMost(Duration.ofSeconds(120)).until(() -> count(registry, "retry") >= 40);
            assertThat(rx.accepted).isEmpty();
            rx.up();
            await().atMost(Duration.ofSeconds(120)).until(() ->
                rx.accepted.size() + count(registry, "dead_letter") + count(registry, "held") >= versions.size());
            assertThat(count(registry, "dead_letter") + count(registry, "held")).as("dead-lettered").isZero();
            assertEveryVersionInOrder(rx.accepted, versions);
            assertThat(rx.attemptHeaders.get(0)).as("attempt of the first delivery").isGreaterThan(40);
            assertThat(count(registry, "delivered")).isEqualTo(versions.size());
        }
    }

    @Test
    void pastTheBudgetAlertsAreDeadLetteredLaterVersionsHeldAndRedeliveryDeliversThemInOrder() throws Exception {
        String topic = "alerts-budget";
        String dlq = topic + ".dlq";
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(dlq, 1, Map.of());
        List<Alert> versions = new Scenario().alertVersions();
        int third = versions.size() / 3;
        List<Alert> whileDown = versions.subList(0, third);
        List<Alert> beforeRedelivery = versions.subList(third, 2 * third);
        List<Alert> afterRedelivery = versions.subList(2 * third, versions.size());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Receiver rx = new Receiver()) {
            WebhooksConfig hooks = new WebhooksConfig(List.of(endpoint(rx.url(), Duration.ofMillis(300))), "budget-");
            try (WebhookDispatcher d = new WebhookDispatcher(KafkaClients.plain(kafka.bootstrapServers()), topic, dlq, hooks, new AlertMetrics(registry), Clock.systemUTC())) {
                d.start();
                produce(topic, whileDown);
                await().atMost(Duration.ofSeconds(120)).until(() -> count(registry, "dead_letter") + count(registry, "held") == whileDown.size());
                assertThat(count(registry, "dead_letter")).as("first versions dead-lettered past the budget").isPositive();

                rx.up();
                produce(topic, beforeRedelivery);
                await().atMost(Duration.ofSeconds(120)).until(() ->
                    count(registry, "dead_letter") + count(registry, "held") + count(registry, "delivered") == 2 * third);
                Set<String> deadIds = new java.util.HashSet<>();
                whileDown.forEach(a -> deadIds.add(a.id()));
                for (String s : List.copyOf(rx.accepted)) {
                    assertThat(deadIds).as("delivered live although an earlier version is dead-lettered: %s", s)
                        .doesNotContain(s.substring(0, s.indexOf('#')));
                }

                try (WebhookRedelivery redelivery = new WebhookRedelivery(KafkaClients.plain(kafka.bootstrapServers()), dlq, hooks, Clock.systemUTC(),
                    Duration.ofSeconds(30))) {
                    List<WebhookRedelivery.Line> dry = redelivery.run(new WebhookRedelivery.Selection(Set.of(), null, null, true), l -> { });
                    assertThat(dry).isNotEmpty().allSatisfy(l -> assertThat(l.result()).isEqualTo(WebhookRedelivery.Result.WOULD_DELIVER));
                    int live = rx.accepted.size();
                    List<WebhookRedelivery.Line> done = redelivery.run(new WebhookRedelivery.Selection(Set.of("soc"), null, null, false), l -> { });
                    assertThat(done).hasSameSizeAs(dry).allSatisfy(l -> assertThat(l.result()).isEqualTo(WebhookRedelivery.Result.DELIVERED));
                    assertThat(rx.accepted).hasSize(live + done.size());
                    assertThat(redelivery.run(new WebhookRedelivery.Selection(Set.of(), null, null, false), l -> { }))
                        .as("a second run finds nothing open").isEmpty();
                }

                double deadLettered = count(registry, "dead_letter") + count(registry, "held");
                produce(topic, afterRedelivery);
                await().atMost(Duration.ofSeconds(120)).until(() -> rx.accepted.size() >= versions.size());
                assertThat(count(registry, "dead_letter") + count(registry, "held")).as("released by the redelivery").isEqualTo(deadLettered);
                assertEveryVersionInOrder(rx.accepted, versions);
            }
        }
    }
}
