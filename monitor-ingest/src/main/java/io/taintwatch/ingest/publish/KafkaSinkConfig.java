package io.taintwatch.ingest.publish;

import java.util.Map;

/**
 * Kafka settings of the ingest publishers. {@code transactionalIdPrefix} + chain name is each chain's transactional
 * id: a restarted worker fences its dead predecessor and aborts its open transaction.
 */
public record KafkaSinkConfig(String bootstrapServers, String checkpointTopic, String tokensTopic, String transactionalIdPrefix,
                              boolean createTopics, Map<String, Object> producerOverrides) {
    public static final String DEFAULT_CHECKPOINT_TOPIC = "ingest-checkpoints";
    public static final String DEFAULT_TOKENS_TOPIC = "tokens";

    public KafkaSinkConfig {
        producerOverrides = Map.copyOf(producerOverrides);
    }

    public static KafkaSinkConfig defaults(String bootstrapServers) {
        return new KafkaSinkConfig(bootstrapServers, DEFAULT_CHECKPOINT_TOPIC, DEFAULT_TOKENS_TOPIC, "taintwatch-ingest-", true, Map.of());
    }
}
