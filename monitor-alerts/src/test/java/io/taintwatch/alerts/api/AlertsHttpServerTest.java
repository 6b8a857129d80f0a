package io.taintwatch.alerts.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.Scenario;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.testing.Chain;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class AlertsHttpServerTest {
    private static final String TOKEN = "tok_analyst_0123456789";
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final List<Alert> versions = new Scenario().alertVersions();
    private AlertIndex index;
    private AlertsHttpServer server;

    @BeforeEach
    void start() throws Exception {
        index = new AlertIndex(1000);
        versions.forEach(a -> index.put(a, AlertJson.toJson(a)));
        server = new AlertsHttpServer(new ApiConfig("127.0.0.1", 0, List.of(TOKEN, "tok_other_0123456789ab"), 1000), index, ready::get,
            new AlertMetrics(registry), 200);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAValidTokenTheAnswerIs401AndLeaksNothing() throws Exception {
        Alert any = versions.get(0);
        for (String path : List.of("/alerts", "/alerts/" + any.id(), "/alerts/stream", "/alerts?severity=severe")) {
            for (String token : new String[] {null, "", "wrong-token-0123456789", TOKEN + "x", TOKEN.substring(1)}) {
                HttpResponse<String> r = get(path, token);
                assertThat(r.statusCode()).as("%s with %s", path, token).isEqualTo(401);
                assertThat(r.body()).isEqualTo("{\"error\":\"unauthorized\"}");
                assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"taintwatch\"");
            }
        }
        // the handler counts a request after its answer has gone out: the last count may land after the client has it
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(registry.get(AlertMetrics.API_REQUESTS).tag("status", "401").counter().count()).isEqualTo(20.0));
    }

    @Test
    void healthAndReadinessNeedNoTokenAndCarryNoData() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/ready", null).statusCode()).isEqualTo(503);
        ready.set(true);
        HttpResponse<String> r = get("/ready", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ready\":true}");
    }

    @Test
    void listFiltersAndPages() throws Exception {
        JsonNode all = mapper.readTree(get("/alerts?limit=1000", TOKEN).body());
        Set<String> ids = new HashSet<>();
        versions.forEach(a -> ids.add(a.id()));
        assertThat(all.get("alerts")).hasSize(ids.size());
        assertThat(all.get("next").isNull()).isTrue();

        JsonNode severe = mapper.readTree(get("/alerts?severity=severe", TOKEN).body()).get("alerts");
        assertThat(severe).isNotEmpty().allSatisfy(a -> assertThat(a.get("severity").asText()).isEqualTo("severe"));

        JsonNode mixer = mapper.readTree(get("/alerts?rule=tainted-to-mixer,own-deposit-tainted&chain=testnet", TOKEN).body()).get("alerts");
        assertThat(mixer).extracting(a -> a.get("rule").asText()).containsExactlyInAnyOrder("tainted-to-mixer", "own-deposit-tainted");

        String mule2 = Chain.addr("mule2").toString();
        JsonNode byAddress = mapper.readTree(get("/alerts?address=" + mule2, TOKEN).body()).get("alerts");
        assertThat(byAddress).isNotEmpty();
        assertThat(mapper.readTree(get("/alerts?chain=ethereum", TOKEN).body()).get("alerts")).isEmpty();

        long t = versions.stream().mapToLong(a -> a.lastSeen().blockTimestamp()).max().orElseThrow();
        JsonNode recent = mapper.readTree(get("/alerts?from=" + t + "&to=" + (t + 1), TOKEN).body()).get("alerts");
        assertThat(recent).isNotEmpty().allSatisfy(a -> assertThat(a.at("/lastSeen/blockTimestamp").asLong()).isEqualTo(t));

        // paging: pages of 2 cover everything once, newest first
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = mapper.readTree(get("/alerts?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), TOKEN).body());
            page.get("alerts").forEach(a -> paged.add(a.get("id").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);

        assertThat(get("/alerts?severity=extreme", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/alerts?limit=0", TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void getByIdReturnsTheLatestVersionWithItsPath() throws Exception {
        Alert repeated = versions.stream().filter(a -> a.rule() == AlertRule.TAINTED_TO_EXCHANGE)
            .reduce((x, y) -> y).orElseThrow();
        HttpResponse<String> r = get("/alerts/" + repeated.id(), TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        Alert got = AlertJson.parse(r.body());
        assertThat(got).isEqualTo(repeated);
        assertThat(got.version()).isEqualTo(Scenario.REPEATED_DEPOSITS);
        assertThat(got.path().hops()).hasSize(3);
        assertThat(get("/alerts/testnet:tainted-to-exchange:" + "0".repeat(32), TOKEN).statusCode()).isEqualTo(404);
    }

    private Alert nextVersion() {
        Alert last = versions.get(versions.size() - 1);
        return new Alert(last.id(), last.schemaVersion(), last.version() + 1, last.dedupKey(), last.rule(), last.severity(),
            last.reasons(), last.recommendedAction(), last.status(), last.chain(), last.legId() + "b", last.position(), last.blockTimestamp(),
            last.txHash(), last.subject(), last.from(), last.to(), last.fromEntity(), last.toEntity(), last.asset(), last.amount(),
            last.tainted(), last.sharePpm(), last.sources(), last.path(), last.policy(), last.count() + 1, last.totals(), last.firstSeen(),
            last.lastSeen());
    }

    private HttpResponse<InputStream> openStream(AlertsHttpServer on) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + "/alerts/stream"))
            .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The next event of the stream as the SSE rules read it: field lines up to a blank line, data lines joined by newlines. */
    private static Map<String, String> nextEvent(BufferedReader in) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (!fields.isEmpty()) {
                    return fields;
                }
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                fields.merge(name, value, (a, b) -> a + "\n" + b);
            }
        }
        return fields;
    }

    @Test
    void aPrettyPrintedAlertRecordArrivesAsOneEvent() throws Exception {
        Alert next = nextVersion();
        // line breaks, and a blank line that would end an event, between the tokens of a valid record
        String pretty = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(AlertJson.toJson(next)))
            .replaceFirst("\\{\n", "{\n\n");
        assertThat(pretty).contains("\n\n");
        HttpResponse<InputStream> r = openStream(server);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).startsWith(":");
            index.put(next, pretty);
            Map<String, String> event = nextEvent(in);
            assertThat(event.get("event")).isEqualTo("alert");
            assertThat(event.get("data")).doesNotContain("\n");
            assertThat(AlertJson.parse(event.get("data"))).isEqualTo(next);
        }
        assertThat(get("/alerts/" + next.id(), TOKEN).body()).doesNotContain("\n");
    }

    @Test
    void streamsBeyondTheCapAre503WhileHealthAndTheApiAnswer() throws Exception {
        try (AlertsHttpServer small = new AlertsHttpServer(new ApiConfig("127.0.0.1", 0, List.of(TOKEN), 1000)
            .withLimits(new HttpLimits(Duration.ofSeconds(10), 100, 10, 2)), index, ready::get, new AlertMetrics(registry), 200)) {
            small.start();
            List<InputStream> open = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                HttpResponse<InputStream> s = openStream(small);
                assertThat(s.statusCode()).isEqualTo(200);
                open.add(s.body());
            }
            HttpResponse<InputStream> third = openStream(small);
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(new String(third.body().readAllBytes(), StandardCharsets.UTF_8)).contains("too many alert streams open (at most 2)");
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + "/health")).build();
            assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + "/alerts"))
                .header("Authorization", "Bearer " + TOKEN).build();
            assertThat(http.send(list, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            // a client that leaves frees its place (noticed at the next keep-alive)
            open.get(0).close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> openStream(small).statusCode() == 200);
            for (InputStream in : open) {
                in.close();
            }
        }
    }

    @Test
    void slowClientsDoNotKeepTheApiFromAnsweringOthers() throws Exception {
        try (SlowClients slow = new SlowClients()) {
            slow.trickle(server.port(), 50, 100);
            slow.silent(server.port(), 50);
            for (int i = 0; i < 5; i++) {
                assertThat(get("/health", null).statusCode()).isEqualTo(200);
                assertThat(get("/alerts?limit=1", TOKEN).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void theEventStreamDeliversNewVersionsAndResumesFromLastEventId() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/alerts/stream"))
            .header("Authorization", "Bearer " + TOKEN).build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        Alert next = nextVersion();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).startsWith(":"); // the stream is open before we publish
            index.put(next, AlertJson.toJson(next));
            String id = null;
            String data = null;
            for (String line = in.readLine(); line != null && data == null; line = in.readLine()) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            assertThat(AlertJson.parse(data)).isEqualTo(next);
            long seq = Long.parseLong(id);
            // resume: a client that saw the event before this one gets it again from the index
            HttpRequest resume = HttpRequest.newBuilder(req.uri()).header("Authorization", "Bearer " + TOKEN)
                .header("Last-Event-ID", Long.toString(seq - 1)).build();
            HttpResponse<InputStream> r2 = http.send(resume, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in2 = new BufferedReader(new InputStreamReader(r2.body(), StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = in2.readLine();
                } while (line != null && !line.startsWith("id: "));
                assertThat(line).isEqualTo("id: " + seq);
            }
        }
    }
}
