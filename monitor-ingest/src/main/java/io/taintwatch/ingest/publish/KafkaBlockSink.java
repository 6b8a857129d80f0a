package io.taintwatch.ingest.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.encoding.RecordHeaders;
import io.taintwatch.ingest.BlockBatch;
import io.taintwatch.ingest.BlockSink;
import io.taintwatch.ingest.Checkpoint;
import io.taintwatch.ingest.TokenMetadata;
import io.taintwatch.ingest.TransientIngestException;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
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
 * Publishes a chain's blocks to {@code blocks.<chain>} (key = chain id, record timestamp = the block's own time), the
 * metadata of the tokens they move to the compacted tokens topic (key {@code <chain>:<address>}, or
 * {@code <chain>:native}; value JSON {@code {chain, chainId, token, symbol, name, decimals}}) and the chain's checkpoint
 * to the compacted checkpoint topic (key = chain name), all in one Kafka transaction: a crash or an aborted batch
 * leaves none of them to read_committed consumers, a committed one all of them.
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
    /** Token keys whose metadata a committed transaction holds; cleared with the process, so a restart repeats some. */
    private final Set<String> tokensCommitted = new HashSet<>();

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
            specs.addAll(declared.specs(PipelineTopics.Topic.TOKENS, config.tokensTopic()));
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

    /** The tokens topic's value for one token's metadata. */
    public static byte[] encode(TokenMetadata m) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("chain", m.chain().name());
        n.put("chainId", m.chain().id());
        n.put("token", m.token() == null ? "native" : m.token().toString());
        n.put("symbol", m.symbol());
        n.put("name", m.name());
        if (m.decimals() == null) {
            n.putNull("decimals");
        } else {
            n.put("decimals", m.decimals());
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void publish(BlockBatch batch) {
        List<Block> blocks = batch.blocks();
        if (blocks.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        Block last = blocks.get(blocks.size() - 1);
        List<TokenMetadata> tokens = batch.tokens().stream().filter(m -> !tokensCommitted.contains(m.key())).toList();
        try {
            producer.beginTransaction();
            // before the blocks that mention them, and stamped with the batch's first block time: a reader of both topics that
            // orders records by time (Kafka Streams) meets a token's metadata no later than the first block that needs it
            long firstBlockTime = blocks.get(0).timestamp() * 1000;
            for (TokenMetadata m : tokens) {
                producer.send(new ProducerRecord<>(config.tokensTopic(), null, firstBlockTime, m.key().getBytes(StandardCharsets.UTF_8), encode(m)));
            }
            for (Block b : blocks) {
                // the record timestamp is the block's time, always (0 when the source does not know it), as on the flows
                // the engine derives from it; when ingest published it is the header's
                ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(blocksTopic, null, b.timestamp() * 1000, key, encoder.encode(b));
                rec.headers().add(RecordHeaders.INGEST_TIMESTAMP, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
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
        } catch (RuntimeException e) {
            // a Kafka failure, or a block that does not encode: nothing of the batch may stay in an open transaction
            try {
                producer.abortTransaction();
            } catch (KafkaException abort) {
                e.addSuppressed(abort);
            }
            if (!(e instanceof KafkaException)) {
                throw new IllegalStateException("chain " + chain.name() + ": blocks " + blocks.get(0).number() + ".." + last.number()
                    + " were not published (rolled back): " + e.getMessage(), e);
            }
            // rolled back: nothing of the batch is visible, the worker may retry it
            throw new TransientIngestException("chain " + chain.name() + ": publishing blocks " + blocks.get(0).number()
                + ".." + last.number() + " failed and was rolled back: " + e.getMessage(), e);
        }
        tokens.forEach(m -> tokensCommitted.add(m.key()));
        metrics.publishLatency(chain.name(), Duration.ofNanos(System.nanoTime() - t0));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
