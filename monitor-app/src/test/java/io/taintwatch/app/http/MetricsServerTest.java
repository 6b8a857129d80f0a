package io.taintwatch.app.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taintwatch.alerts.api.HttpLimits;
import io.taintwatch.alerts.api.SlowClients;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsServerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void slowClientsNeverKeepHealthFromAnswering() throws Exception {
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, registry, () -> true, () -> true);
             SlowClients slow = new SlowClients()) {
            slow.trickle(server.port(), 20, 100);
            slow.silent(server.port(), 20);
            for (int i = 0; i < 5; i++) {
                assertThat(SlowClients.statusLine(server.port(), "/health")).isEqualTo("HTTP/1.1 200 OK");
                assertThat(SlowClients.statusLine(server.port(), "/metrics")).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    @Test
    void connectionsThatNeverFinishTheirRequestAreClosedAfterTheRequestTimeout() throws Exception {
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, registry, () -> true, () -> true,
            new HttpLimits(Duration.ofSeconds(1), 100, 10, 0));
             SlowClients slow = new SlowClients()) {
            List<SlowClients.Client> trickling = slow.trickle(server.port(), 10, 100);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(trickling).allSatisfy(c -> assertThat(c.closedByServer()).isTrue()));
            assertThat(SlowClients.statusLine(server.port(), "/health")).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
