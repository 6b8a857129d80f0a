package io.taintwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.Scenario;
import io.taintwatch.alerts.delivery.WebhookSigner;
import io.taintwatch.app.replay.Cli;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.model.Alert;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taintwatch webhooks redeliver --config FILE} against a real broker and a real receiver. */
class WebhooksCommandIT {
    private static final String SECRET = "whsec_cli_0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static EmbeddedKafka kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** A dead letter as the dispatcher writes it (docs/alert-schema.md, "Webhooks"). */
    private static byte[] deadLetter(Alert a, int offset) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("kind", "dead-letter").put("endpoint", "soc").put("alertId", a.id()).put("alertVersion", a.version()).put("attempts", 3)
            .put("reason", "HTTP 503").put("failedAt", "2026-03-01T00:00:00Z").put("topic", "alerts").put("partition", 0)
            .put("offset", offset).put("value", AlertJson.toJson(a));
        return n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void redeliverSendsOpenDeadLettersSignedAndInOrderOnce() throws Exception {
        kafka.createTopic("alerts.webhook-dlq", 1, Map.of());
        List<Alert> versions = new Scenario().alertVersions().subList(0, 5);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < versions.size(); i++) {
                producer.send(new ProducerRecord<>("alerts.webhook-dlq", versions.get(i).id(), deadLetter(versions.get(i), i)));
            }
        }
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer rx = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        rx.createContext("/", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                boolean signed = WebhookSigner.verify(SECRET, ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_TIMESTAMP),
                    ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_SIGNATURE), body, System.currentTimeMillis() / 1000, 300);
                Alert a = AlertJson.parse(body);
                received.add(a.id() + "#" + a.version() + (signed ? "" : " unsigned") + " attempt " + ex.getRequestHeaders()
                    .getFirst(WebhookSigner.HEADER_ATTEMPT));
                ex.sendResponseHeaders(204, -1);
            }
        });
        rx.start();
        try {
            Path config = Files.writeString(tmp.resolve("taintwatch.properties"), String.join("\n",
                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "alerts.webhooks=soc",
                "alerts.webhook.soc.url=http://127.0.0.1:" + rx.getAddress().getPort() + "/hooks/T0KEN-IN-PATH",
                "alerts.webhook.soc.secret=" + SECRET, ""));

            Cli dry = Cli.run("webhooks", "redeliver", "--config", config.toString(), "--dry-run");
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("5 dead letters: 0 delivered, 5 would be delivered");
            assertThat(received).isEmpty();

            Cli run = Cli.run("webhooks", "redeliver", "--config", config.toString(), "--endpoint", "soc");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("5 dead letters: 5 delivered").contains("delivered     soc " + versions.get(0).id() + " v1")
                .doesNotContain("T0KEN-IN-PATH");
            assertThat(received).containsExactlyElementsOf(versions.stream().map(a -> a.id() + "#" + a.version() + " attempt 4").toList());

            Cli again = Cli.run("webhooks", "redeliver", "--config", config.toString());
            assertThat(again.exit()).isZero();
            assertThat(again.out()).contains("0 dead letters");
            assertThat(received).hasSize(5);

            Cli unknown = Cli.run("webhooks", "redeliver", "--config", config.toString(), "--endpoint", "pager");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("webhook endpoint 'pager' is not configured");
            Cli badTime = Cli.run("webhooks", "redeliver", "--config", config.toString(), "--from", "yesterday");
            assertThat(badTime.exit()).isEqualTo(2);
            assertThat(badTime.err()).contains("--from: 'yesterday' is not an ISO-8601 instant");
        } finally {
            rx.stop(0);
        }
    }
}
