package io.taintwatch.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.model.ChainId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one topic helper every component uses, against a real broker: creates with the contract's configs, verifies, refuses. */
class PipelineTopicsIT {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void everyDeclaredTopicIsCreatedWithItsConfigsAndItsDeadLetterTopic() throws Exception {
        ChainId chain = new ChainId(5, "topicsit");
        PipelineTopics topics = new PipelineTopics(new PipelineTopics.Names(Map.of(PipelineTopics.Topic.WATCHLIST, "wl-topicsit",
            PipelineTopics.Topic.ALERTS, "alerts-topicsit")), 3, -1, -1);
        // settings of other clients (a producer's acks) are not handed to the admin client
        KafkaClients client = new KafkaClients(kafka.bootstrapServers(), Map.of("acks", "all", AdminClientConfig.CLIENT_ID_CONFIG, "topics-it"));
        topics.ensure(client, List.of(chain));
        topics.ensure(client, List.of(chain));
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).contains(chain.blocksTopic(), chain.blocksTopic() + ".dlq", chain.flowsTopic(), chain.flowsTopic() + ".dlq",
                "wl-topicsit", "wl-topicsit.dlq", "labels", "labels.dlq", "tokens", "tokens.dlq", "ingest-checkpoints", "alerts-topicsit",
                "alerts-topicsit.dlq", "alerts.tracked", "alerts.tracked.dlq", "alerts.webhook-dlq", "retro-screenings");
            assertThat(names).as("topics that are no part's input have no dead-letter topic").doesNotContain("ingest-checkpoints.dlq",
                "retro-screenings.dlq", "alerts.webhook-dlq.dlq");
            var d = admin.describeTopics(List.of(chain.blocksTopic(), chain.flowsTopic(), "wl-topicsit", "alerts-topicsit")).allTopicNames().get();
            assertThat(d.get(chain.blocksTopic()).partitions()).hasSize(1);
            assertThat(d.get("wl-topicsit").partitions()).hasSize(1);
            assertThat(d.get(chain.flowsTopic()).partitions()).hasSize(1);
            assertThat(d.get("alerts-topicsit").partitions()).hasSize(3);
            ConfigResource blocks = new ConfigResource(ConfigResource.Type.TOPIC, chain.blocksTopic());
            ConfigResource flows = new ConfigResource(ConfigResource.Type.TOPIC, chain.flowsTopic());
            ConfigResource watchlist = new ConfigResource(ConfigResource.Type.TOPIC, "wl-topicsit");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(blocks, flows, watchlist)).all().get();
            assertThat(configs.get(blocks).get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
            assertThat(configs.get(flows).get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
            assertThat(configs.get(watchlist).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }

    @Test
    void aChainOrderedTopicWithSeveralPartitionsIsRefusedByName() {
        kafka.createTopic("blocks.wrongly", 3, Map.of());
        ChainId chain = new ChainId(6, "wrongly");
        assertThatThrownBy(() -> PipelineTopics.defaults().ensure(KafkaClients.plain(kafka.bootstrapServers()), List.of(chain)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("topic blocks.wrongly has 3 partitions; taintwatch needs exactly 1 (chain order); recreate it");
    }

    @Test
    void anUnreachableBrokerIsNamed() {
        KafkaClients quick = new KafkaClients("127.0.0.1:1", Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000"));
        assertThatThrownBy(() -> TopicAdmin.ensure(quick, -1, List.of(new TopicAdmin.Spec("x", 1, Map.of(), false))))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cannot create or check topics [x] on 127.0.0.1:1");
    }
}
