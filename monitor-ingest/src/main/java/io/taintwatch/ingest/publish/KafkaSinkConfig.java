package io.taintwatch.ingest.publish;

import io.taintwatch.kafka.KafkaClients;

/**
 * Kafka settings of the ingest publishers. {@code transactionalIdPrefix} + chain name is each chain's transactional
 * id: a restarted worker fences its dead predecessor and aborts its open transaction.
 */
public record KafkaSinkConfig(KafkaClients kafka, String checkpointTopic, String tokensTopic, String transactionalIdPrefix,
                              boolean createTopics) {
    public static final String DEFAULT_CHECKPOINT_TOPIC = "ingest-checkpoints";
    public static final String DEFAULT_TOKENS_TOPIC = "tokens";

    /** A plain broker, the default topic names, topics created when missing (the ingest alone, in tests and tools). */
    public static KafkaSinkConfig defaults(String bootstrapServers) {
        return new KafkaSinkConfig(KafkaClients.plain(bootstrapServers), DEFAULT_CHECKPOINT_TOPIC, DEFAULT_TOKENS_TOPIC, "taintwatch-ingest-", true);
    }
}
