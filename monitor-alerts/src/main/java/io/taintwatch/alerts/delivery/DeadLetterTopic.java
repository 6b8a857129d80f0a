package io.taintwatch.alerts.delivery;

import io.taintwatch.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/** The webhook dead-letter topic: read from its beginning, without a consumer group, and followed (not thread-safe); its producer. */
final class DeadLetterTopic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterTopic.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private List<TopicPartition> partitions = List.of();

    DeadLetterTopic(KafkaClients kafka, String topic, String clientId) {
        // a topic created by a metadata request would get the broker's default retention, and dead letters must stay
        Properties p = kafka.consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
            ConsumerConfig.CLIENT_ID_CONFIG, clientId));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    /** A producer for the topic: acknowledged by all replicas, idempotent (a retried send is written once). */
    static KafkaProducer<String, byte[]> producer(KafkaClients kafka, String clientId) {
        Properties p = kafka.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.CLIENT_ID_CONFIG, clientId));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads every record up to the end of the topic as of this call (nothing when the topic does not exist yet). */
    void catchUp(Consumer<DeadLetters.Entry> sink) {
        if (partitions.isEmpty()) {
            List<PartitionInfo> info;
            try {
                info = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (TimeoutException e) {
                info = null;
            }
            if (info == null || info.isEmpty()) {
                log.debug("{} does not exist yet: no dead letters", topic);
                return;
            }
            partitions = info.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            read(Duration.ofMillis(200), sink);
        }
    }

    /** What has arrived since the last read, without waiting for more. */
    void poll(Consumer<DeadLetters.Entry> sink) {
        if (partitions.isEmpty()) {
            return;
        }
        read(Duration.ZERO, sink);
    }

    private void read(Duration wait, Consumer<DeadLetters.Entry> sink) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            try {
                sink.accept(DeadLetters.parse(r));
            } catch (IllegalArgumentException e) {
                log.warn("{}: skipped: {}", topic, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
