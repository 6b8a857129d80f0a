package io.taintwatch.app.retro;

import io.taintwatch.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Reads topics to their current end without a consumer group (assign, read_committed, no commit), like the replay does. */
final class CompactedTopics {
    private CompactedTopics() {}

    static KafkaConsumer<byte[], byte[]> consumer(KafkaClients kafka, String clientId) {
        return new KafkaConsumer<>(kafka.reader(clientId));
    }

    /** The partitions of a topic, empty when it does not exist (yet). */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic);
        return infos == null ? List.of() : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    /** Every record from the beginning up to the end offsets found when the read starts. */
    static void readAll(KafkaClients kafka, String topic, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(kafka, "taintwatch-retro-reader")) {
            List<TopicPartition> parts = partitions(c, topic);
            if (parts.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist at " + kafka.bootstrapServers());
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                ConsumerRecords<byte[], byte[]> recs = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : recs) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        sink.accept(r);
                    }
                }
            }
        }
    }

    /**
     * The number of the block a record holds, null for a tombstone or a record that is no block (the taint engine
     * dead-letters those; readers of the blocks topic pass over them).
     */
    static Long blockNumber(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return io.taintwatch.encoding.BlockCodec.decode(r.value()).number();
        } catch (io.taintwatch.encoding.DecodeException e) {
            return null;
        }
    }

    /** The block number of the first record {@code blocks.<chain>} still retains, empty when it retains none. */
    static OptionalLong firstRetainedBlock(KafkaClients kafka, String blocksTopic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(kafka, "taintwatch-retro-probe")) {
            List<TopicPartition> parts = partitions(c, blocksTopic);
            if (parts.size() != 1) {
                return OptionalLong.empty();
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = c.endOffsets(parts).get(parts.get(0));
            while (c.position(parts.get(0)) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    Long n = blockNumber(r);
                    if (n != null) {
                        return OptionalLong.of(n);
                    }
                }
            }
            return OptionalLong.empty();
        }
    }
}
