package io.taintwatch.alerts.delivery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.Scenario;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.Alert;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook URL with tokens in its path and query (as receivers such as chat and incident tools issue them) never
 * appears in a log line or its exception, a dead letter, a redelivery report, a metric or a {@code toString}, while
 * delivery fails against a receiver that is down and the alerts are dead-lettered and redelivered.
 */
class WebhookUrlRedactionIT {
    private static final String SECRET = "whsec_redact_0123456789abcdef";
    private static final String PATH_TOKEN = "PaThT0k3n-5f1e2d";
    private static final String QUERY_TOKEN = "QuErYT0k3n-9a8b7c";

    @Test
    void aWebhookUrlWithTokensIsNeverPrinted() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nothing listens there
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/hooks/" + PATH_TOKEN + "/in?token=" + QUERY_TOKEN);
        WebhookEndpoint endpoint = new WebhookEndpoint("chat", url, SECRET, Set.of(), Set.of(), Set.of(), Duration.ofMillis(200),
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));
        WebhooksConfig hooks = new WebhooksConfig(List.of(endpoint), "redact-");
        List<String> printed = new ArrayList<>(List.of(endpoint.toString(), hooks.toString(), endpoint.safeUrl()));

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.taintwatch");
        Level level = ours.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        ours.setLevel(Level.DEBUG);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("alerts", 1, Map.of("cleanup.policy", "compact"));
            kafka.createTopic("alerts.webhook-dlq", 1, Map.of());
            List<Alert> versions = new Scenario().alertVersions().subList(0, 4);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                versions.forEach(a -> producer.send(new ProducerRecord<>("alerts", a.id(), AlertJson.toBytes(a))));
            }
            try (WebhookDispatcher d = new WebhookDispatcher(KafkaClients.plain(kafka.bootstrapServers()), "alerts", "alerts.webhook-dlq", hooks,
                new AlertMetrics(registry), Clock.systemUTC())) {
                d.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> registry.find(AlertMetrics.WEBHOOK_DELIVERIES).counters().stream()
                    .filter(c -> List.of("dead_letter", "held").contains(c.getId().getTag("outcome"))).mapToDouble(c -> c.count()).sum()
                    == versions.size());
            }
            try (WebhookRedelivery r = new WebhookRedelivery(KafkaClients.plain(kafka.bootstrapServers()), "alerts.webhook-dlq", hooks, Clock.systemUTC(),
                Duration.ofMillis(100))) {
                r.run(new WebhookRedelivery.Selection(Set.of(), null, null, false), l -> printed.add(l.toString()));
            }
            printed.addAll(readAll(kafka, "alerts.webhook-dlq"));
        } finally {
            root.detachAppender(logs);
            ours.setLevel(level);
        }
        assertThat(printed).anySatisfy(s -> assertThat(s).contains("FAILED")); // the redelivery ran into the same down receiver
        for (ILoggingEvent e : logs.list) {
            printed.add(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                printed.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        for (Meter m : registry.getMeters()) {
            printed.add(m.getId().toString());
        }
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("webhook chat: alert").contains("dead-lettered"));
        assertThat(printed).allSatisfy(s -> assertThat(s).doesNotContain(PATH_TOKEN).doesNotContain(QUERY_TOKEN).doesNotContain("/hooks/"));
        assertThat(endpoint.toString()).contains("http://127.0.0.1:" + port + "/***?***");
    }

    private static List<String> readAll(EmbeddedKafka kafka, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}
