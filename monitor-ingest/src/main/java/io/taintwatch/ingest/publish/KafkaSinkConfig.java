package io.taintwatch.ingest.publish;

import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.kafka.PipelineTopics;

/**
 * Kafka settings of the ingest publishers. {@code transactionalIdPrefix} + chain name is each chain's transactional
 * id: a restarted worker fences its dead predecessor and aborts its open transaction.
 */
public record KafkaSinkConfig(KafkaClients kafka, String checkpointTopic, String tokensTopic, String transactionalIdPrefix,
                              boolean createTopics) {
    /** A plain broker, the default topic names, topics created when missing (the ingest alone, in tests and tools). */
    public static KafkaSinkConfig defaults(String bootstrapServers) {
        PipelineTopics t = PipelineTopics.defaults();
        return new KafkaSinkConfig(KafkaClients.plain(bootstrapServers), t.checkpoints(), t.tokens(), "taintwatch-ingest-", true);
    }
}
