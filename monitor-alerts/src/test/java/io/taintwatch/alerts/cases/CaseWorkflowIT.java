package io.taintwatch.alerts.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.Scenario;
import io.taintwatch.alerts.api.AlertIndex;
import io.taintwatch.alerts.api.AlertsHttpServer;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.api.ApiUser;
import io.taintwatch.alerts.api.ConsoleConfig;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.model.Alert;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The case workflow over HTTP on a real broker: roles, conflicts, idempotent retries, reopening on a new version, the
 * state read back by a fresh log (a restart), the admin's audit log and the exports.
 */
class CaseWorkflowIT {
    private static final String VIEWER = "viewer-token-0123456789";
    private static final String ALICE = "alice-token-0123456789";
    private static final String ADMIN = "admin-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void analystsDecideViewersReadAndTheTrailSurvivesARestart() throws Exception {
        Map<String, List<Alert>> byId = new Scenario().alertVersions().stream().collect(Collectors.groupingBy(Alert::id));
        List<Alert> versions = byId.values().stream().filter(v -> v.size() >= 2 && v.get(0).path() != null).findFirst().orElseThrow();
        versions.sort(Comparator.comparingLong(Alert::version));
        Alert v1 = versions.get(0);
        String id = v1.id();
        ApiConfig api = new ApiConfig("127.0.0.1", 0, List.of(VIEWER), 100, null, List.of(new ApiUser("alice", ALICE, Role.ANALYST),
            new ApiUser("root", ADMIN, Role.ADMIN)), new ConsoleConfig(true, Map.of(v1.chain().name(),
            new ConsoleConfig.Explorer("https://explorer.example/tx/{tx}", ""))));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaClients clients = KafkaClients.plain(kafka.bootstrapServers());
            PipelineTopics topics = PipelineTopics.defaults();
            TopicAdmin.ensure(clients, 1, topics.specs(PipelineTopics.Topic.ALERT_CASES, topics.alertCases()));
            AlertIndex index = new AlertIndex(100);
            index.put(v1, AlertJson.toJson(v1));
            String base;
            try (Running r = new Running(clients, topics.alertCases(), index, api)) {
                base = "http://127.0.0.1:" + r.http.port();
                String path = "/alerts/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
                assertThat(post(base + path + "/actions", VIEWER, "{\"action\":\"acknowledge\"}").statusCode()).isEqualTo(403);
                assertThat(post(base + path + "/actions", ALICE, "{\"action\":\"close\",\"disposition\":\"false-positive\"}").statusCode())
                    .as("closing without a reason").isEqualTo(400);
                String close = "{\"action\":\"close\",\"disposition\":\"false-positive\",\"comment\":\"bystander\",\"requestId\":\"req-close-0001\","
                    + "\"caseSeq\":0,\"alertVersion\":" + v1.version() + "}";
                HttpResponse<String> closed = post(base + path + "/actions", ALICE, close);
                assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
                assertThat(post(base + path + "/actions", ALICE, close).statusCode()).as("the same request again").isEqualTo(200);
                assertThat(post(base + path + "/actions", ALICE, "{\"action\":\"note\",\"comment\":\"late\",\"caseSeq\":0}").statusCode())
                    .as("decided on a stale step").isEqualTo(409);
                JsonNode c = get(base + path + "/case", VIEWER);
                assertThat(c.path("events")).hasSize(1);
                assertThat(schema("case.schema.json").validate(c)).as("case JSON against its schema").isEmpty();
                assertThat(schema("case-event.schema.json").validate(c.path("events").get(0))).as("event JSON against its schema").isEmpty();
                assertThat(c.path("status").asText()).isEqualTo("closed");
                assertThat(get(base + path, VIEWER).path("status").asText()).isEqualTo("closed");
                assertThat(get(base + "/alerts?status=closed", VIEWER).path("alerts")).hasSize(1);
                assertThat(get(base + "/alerts?status=open", VIEWER).path("alerts")).isEmpty();
                assertThat(get(base + "/me", ALICE).path("role").asText()).isEqualTo("analyst");
                assertThat(http.send(req(base + "/audit", ALICE).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
                assertThat(get(base + "/audit", ADMIN).path("events").get(0).path("actor").asText()).isEqualTo("alice");
                String page = http.send(req(base + path + "/export.html", VIEWER).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(page).contains("false-positive", "bystander", "alice", "https://explorer.example/tx/" + v1.path().hops().get(0).txHash())
                    .doesNotContain("<script src", "<link");
                assertThat(get(base + path + "/export.json", VIEWER).path("case").path("events")).hasSize(1);

                // a new version of the closed alert reopens it, once
                Alert v2 = versions.get(1);
                index.put(v2, AlertJson.toJson(v2));
                await().atMost(Duration.ofSeconds(30)).until(() -> get(base + path + "/case", VIEWER).path("events").size() == 2);
                JsonNode reopened = get(base + path + "/case", VIEWER);
                assertThat(reopened.path("status").asText()).isEqualTo("open");
                assertThat(reopened.path("events").get(1).path("actor").asText()).isEqualTo(CaseEvent.SYSTEM);
            }
            // a restart: a fresh log and store read the topic back
            try (Running r = new Running(clients, topics.alertCases(), index, api)) {
                String b = "http://127.0.0.1:" + r.http.port();
                await().atMost(Duration.ofSeconds(30)).until(r.log::caughtUp);
                JsonNode c = get(b + "/alerts/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/case", VIEWER);
                assertThat(c.path("events")).extracting(e -> e.path("action").asText()).containsExactly("close", "reopen");
                assertThat(c.path("events").get(0).path("disposition").asText()).isEqualTo("false-positive");
                assertThat(c.path("events").get(0).path("actor").asText()).isEqualTo("alice");
            }
        }
    }

    /** A case log, its service and the HTTP API, as the alerts runtime wires them. */
    private static final class Running implements AutoCloseable {
        final CaseLog log;
        final CaseService service;
        final AlertsHttpServer http;

        Running(KafkaClients clients, String topic, AlertIndex index, ApiConfig api) throws Exception {
            CaseStore store = new CaseStore();
            log = new CaseLog(clients, topic, store);
            service = new CaseService(index, store, log, Set.of("alice", "root"), Clock.systemUTC(), Duration.ofSeconds(20));
            http = new AlertsHttpServer(api, index, service, () -> true, AlertMetrics.noop(), 1000);
            log.start();
            assertThat(log.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            service.startReopening();
            http.start();
        }

        @Override
        public void close() {
            http.close();
            service.close();
            log.close();
        }
    }

    private static com.networknt.schema.Schema schema(String name) throws java.io.IOException {
        try (java.io.InputStream in = CaseWorkflowIT.class.getResourceAsStream("/io/taintwatch/alerts/" + name)) {
            return com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(new ObjectMapper().readTree(in));
        }
    }

    private HttpRequest.Builder req(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        return http.send(req(url, token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> r = http.send(req(url, token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", url, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }
}
