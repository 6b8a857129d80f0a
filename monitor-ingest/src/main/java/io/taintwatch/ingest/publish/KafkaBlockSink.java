package io.taintwatch.ingest.publish;

import io.taintwatch.ingest.BlockSink;
import io.taintwatch.ingest.Checkpoint;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a chain's blocks to {@code blocks.<chain>} (key = chain id, timestamp = block time) and its checkpoint to
 * the compacted checkpoint topic (key = chain name) in one Kafka transaction, so a crash neither loses nor
 * duplicates a block for read_committed consumers.
 */
public final class KafkaBlockSink implements BlockSink {
    private static final Logger log = LoggerFactory.getLogger(KafkaBlockSink.class);

    private final ChainId chain;
    private final KafkaSinkConfig config;
    private final BlockEncoder encoder;
    private final IngestMetrics metrics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final byte[] key;
    private final String blocksTopic;
    private final Optional<Checkpoint> checkpoint;

    public KafkaBlockSink(ChainId chain, KafkaSinkConfig config, BlockEncoder encoder, IngestMetrics metrics) {
        this(chain, chain.blocksTopic(), config, encoder, metrics);
    }

    public KafkaBlockSink(ChainId chain, String blocksTopic, KafkaSinkConfig config, BlockEncoder encoder, IngestMetrics metrics) {
        this.chain = chain;
        this.blocksTopic = blocksTopic;
        this.config = config;
        this.encoder = encoder;
        this.metrics = metrics;
        this.key = Long.toString(chain.id()).getBytes(StandardCharsets.UTF_8);
        if (config.createTopics()) {
            PipelineTopics declared = PipelineTopics.defaults();
            List<TopicAdmin.Spec> specs = new ArrayList<>(declared.specs(PipelineTopics.Topic.BLOCKS, blocksTopic));
            specs.addAll(declared.specs(PipelineTopics.Topic.INGEST_CHECKPOINTS, config.checkpointTopic()));
            TopicAdmin.ensure(config.kafka(), declared.replicationFactor(), specs);
        }
        Properties p = config.kafka().producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalIdPrefix() + chain.name(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
            ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        // fences a dead predecessor with the same transactional id and aborts its open transaction, so the
        // read_committed checkpoint read below does not wait on it
        producer.initTransactions();
        this.checkpoint = readCheckpoint();
    }

    private Optional<Checkpoint> readCheckpoint() {
        Properties c = config.kafka().consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.GROUP_ID_CONFIG, "taintwatch-ingest-checkpoint-reader-" + UUID.randomUUID()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> parts = consumer.partitionsFor(config.checkpointTopic(), Duration.ofSeconds(30));
            if (parts == null || parts.isEmpty()) {
                return Optional.empty();
            }
            List<TopicPartition> tps = parts.stream().map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            String name = chain.name();
            Checkpoint last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading checkpoint topic " + config.checkpointTopic());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && name.equals(new String(r.key(), StandardCharsets.UTF_8)) && r.value() != null) {
                        last = CheckpointCodec.decode(r.value());
                    }
                }
            }
            return Optional.ofNullable(last);
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint() {
        return checkpoint;
    }

    @Override
    public void publish(List<Block> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        Block last = blocks.get(blocks.size() - 1);
        try {
            producer.beginTransaction();
            for (Block b : blocks) {
                // a block of unknown time (transfer-only export) gets the broker's clock: a 1970 timestamp would make
                // time-based retention delete the segment at once
                ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(blocksTopic, null, b.timestamp() > 0 ? b.timestamp() * 1000 : null, key,
                    encoder.encode(b));
                // when we published it: the engine carries it to the flows, alerts measure ingest-to-emission latency
                rec.headers().add(io.taintwatch.encoding.RecordHeaders.INGEST_TIMESTAMP,
                    Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
                producer.send(rec);
            }
            Checkpoint cp = new Checkpoint(chain.name(), last.number(), last.hash());
            producer.send(new ProducerRecord<>(config.checkpointTopic(), null, null,
                chain.name().getBytes(StandardCharsets.UTF_8), CheckpointCodec.encode(cp)));
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // another worker owns this chain now, or we may not write: nothing to abort, this producer is finished
            throw new IllegalStateException("chain " + chain.name() + ": cannot publish blocks " + blocks.get(0).number() + ".." + last.number()
                + ": " + e.getMessage(), e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abort) {
                e.addSuppressed(abort);
            }
            // rolled back: nothing of the batch is visible, the worker may retry it
            throw new io.taintwatch.ingest.TransientIngestException("chain " + chain.name() + ": publishing blocks " + blocks.get(0).number()
                + ".." + last.number() + " failed and was rolled back: " + e.getMessage(), e);
        }
        metrics.publishLatency(chain.name(), Duration.ofNanos(System.nanoTime() - t0));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
