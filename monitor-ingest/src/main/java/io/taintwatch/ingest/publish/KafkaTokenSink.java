package io.taintwatch.ingest.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.ingest.source.rpc.TokenMetadata;
import io.taintwatch.ingest.source.rpc.TokenSink;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.kafka.TopicAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Token metadata into the compacted {@code tokens} topic: key {@code <chain>:<address>} (or {@code <chain>:native}),
 * value JSON {@code {chain, chainId, token, symbol, name, decimals}}. Facts, so an idempotent producer and
 * at-least-once suffice; the write is flushed before the blocks that mention the token are published.
 */
public final class KafkaTokenSink implements TokenSink, AutoCloseable {
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaTokenSink(KafkaSinkConfig config) {
        this.topic = config.tokensTopic();
        if (config.createTopics()) {
            PipelineTopics declared = PipelineTopics.defaults();
            TopicAdmin.ensure(config.kafka(), declared.replicationFactor(), declared.specs(PipelineTopics.Topic.TOKENS, topic));
        }
        Properties p = config.kafka().producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

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
    public void publish(List<TokenMetadata> tokens) {
        List<Future<RecordMetadata>> sent = tokens.stream()
            .map(m -> producer.send(new ProducerRecord<>(topic, m.key().getBytes(StandardCharsets.UTF_8), encode(m)))).toList();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing token metadata", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("publishing token metadata to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
