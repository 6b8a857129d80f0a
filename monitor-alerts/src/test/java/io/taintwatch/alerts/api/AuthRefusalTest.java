package io.taintwatch.alerts.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.Scenario;
import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.model.Alert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert API refuses every request that does not carry a configured token in the Bearer scheme of the
 * Authorization header: no header, a wrong token, a token in another scheme, header or the query string. A refusal
 * is a 401 that says nothing about the alerts.
 */
class AuthRefusalTest {
    private static final String TOKEN = "tok_analyst_0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Alert> versions = new Scenario().alertVersions();
    private AlertsHttpServer server;
    private Alert any;

    @BeforeEach
    void start() throws Exception {
        AlertIndex index = new AlertIndex(1000);
        versions.forEach(a -> index.put(a, AlertJson.toJson(a)));
        any = versions.get(0);
        server = new AlertsHttpServer(new ApiConfig("127.0.0.1", 0, List.of(TOKEN), 1000), index, () -> true,
            new AlertMetrics(new SimpleMeterRegistry()), 200);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(10));
        if (header != null) {
            b.header(header, value);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensInTheWrongSchemeHeaderOrPlaceAreRefused() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("analyst:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        String basicTokenOnly = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        List<String[]> refused = new ArrayList<>();
        refused.add(new String[] {"Authorization", TOKEN});
        refused.add(new String[] {"Authorization", "Basic " + basic});
        refused.add(new String[] {"Authorization", "Basic " + basicTokenOnly});
        refused.add(new String[] {"Authorization", "Token " + TOKEN});
        refused.add(new String[] {"Authorization", "Bearer" + TOKEN});
        refused.add(new String[] {"Authorization", "Bearer"});
        refused.add(new String[] {"Authorization", "Bearer "});
        refused.add(new String[] {"Authorization", "Bearer " + TOKEN + "," + TOKEN});
        refused.add(new String[] {"Authorization", "Bearer " + TOKEN.toUpperCase()});
        refused.add(new String[] {"Authorization", "Bearer " + Base64.getEncoder().encodeToString(TOKEN.getBytes())});
        refused.add(new String[] {"Authorization", "Digest username=\"a\", response=\"" + TOKEN + "\""});
        refused.add(new String[] {"X-Api-Key", TOKEN});
        refused.add(new String[] {"Cookie", "token=" + TOKEN});
        refused.add(new String[] {"Proxy-Authorization", "Bearer " + TOKEN});
        for (String path : List.of("/alerts", "/alerts/" + any.id(), "/alerts/stream")) {
            for (String[] h : refused) {
                HttpResponse<String> r = get(path, h[0], h[1]);
                assertRefused(r, path + " with " + h[0] + ": " + h[1]);
            }
            for (String q : List.of("?access_token=", "?token=", "?api_key=")) {
                assertRefused(get(path + q + TOKEN, null, null), path + q);
            }
        }
    }

    @Test
    void theRightTokenInTheBearerSchemeIsAccepted() throws Exception {
        // the scheme name is case-insensitive (RFC 9110); the token is not
        for (String v : List.of("Bearer " + TOKEN, "bearer " + TOKEN, "BEARER " + TOKEN, "Bearer   " + TOKEN + "  ")) {
            assertThat(get("/alerts/" + any.id(), "Authorization", v).statusCode()).as(v).isEqualTo(200);
        }
    }

    @Test
    void otherMethodsNeverReturnData() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/alerts"))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isIn(401, 405);
            assertThat(r.body()).as(method).doesNotContain(any.id());
        }
    }

    @Test
    void withoutConfiguredTokensEverythingIsRefused() throws Exception {
        server.close();
        AlertIndex index = new AlertIndex(10);
        versions.forEach(a -> index.put(a, AlertJson.toJson(a)));
        server = new AlertsHttpServer(new ApiConfig("127.0.0.1", 0, List.of(), 10), index, () -> true,
            new AlertMetrics(new SimpleMeterRegistry()), 200);
        server.start();
        for (String v : List.of("Bearer " + TOKEN, "Bearer ", "Bearer null", "Bearer undefined")) {
            assertRefused(get("/alerts", "Authorization", v), v);
        }
    }

    @Test
    void bearerAuthComparesDigestsOfEveryToken() {
        BearerAuth auth = new BearerAuth(List.of(TOKEN, "tok_second_0123456789"));
        assertThat(auth.allows("Bearer " + TOKEN)).isTrue();
        assertThat(auth.allows("Bearer tok_second_0123456789")).isTrue();
        // prefixes, extensions and one-character changes: the digest comparison does not depend on where they differ
        assertThat(auth.allows("Bearer " + TOKEN.substring(0, TOKEN.length() - 1))).isFalse();
        assertThat(auth.allows("Bearer " + TOKEN + "0")).isFalse();
        assertThat(auth.allows("Bearer x" + TOKEN.substring(1))).isFalse();
        assertThat(auth.allows("Bearer " + TOKEN.substring(0, 5))).isFalse();
        assertThat(auth.allows(null)).isFalse();
        assertThat(auth.allows("")).isFalse();
        assertThat(new BearerAuth(List.of()).allows("Bearer ")).isFalse();
    }

    private void assertRefused(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what).isEqualTo(401);
        assertThat(r.body()).as(what).isEqualTo("{\"error\":\"unauthorized\"}");
        assertThat(r.headers().firstValue("WWW-Authenticate")).as(what).contains("Bearer realm=\"taintwatch\"");
    }
}
