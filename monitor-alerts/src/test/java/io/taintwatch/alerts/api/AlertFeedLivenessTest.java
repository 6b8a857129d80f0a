package io.taintwatch.alerts.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The API's feed reports itself dead when its thread stops on an error, so that /health can ask for a restart. */
class AlertFeedLivenessTest {
    @Test
    void aFeedThatCannotReachItsBrokerStopsAndSaysSo() {
        AlertIndex index = new AlertIndex(10);
        // a producer-only key among the settings is left out, not an error
        Map<String, String> client = Map.of(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "500", "acks", "all");
        try (AlertFeed feed = new AlertFeed(new io.taintwatch.kafka.KafkaClients("127.0.0.1:1", client), "alerts", index)) {
            assertThat(feed.alive()).as("not started yet").isTrue();
            feed.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !feed.alive());
            assertThat(feed.caughtUp()).isFalse();
        }
    }
}
