package io.taintwatch.app.cli;

import io.taintwatch.kafka.KafkaClients;
import java.util.Map;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes seeds to the compacted {@code watchlist} topic and labels to {@code labels} (key = the address as its chains write
 * it: lower-case {@code 0x...}, or {@code T...} for Tron; JSON value as the engine reads it; a null value is a tombstone),
 * declared tokens to {@code token-registry}, and waits until every record is acknowledged.
 */
public final class KafkaPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrap;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public KafkaPublisher(KafkaClients kafka) {
        this.bootstrap = kafka.bootstrapServers();
        Properties p = kafka.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.CLIENT_ID_CONFIG, "taintwatch-labels", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        // an unreachable broker should fail the command within seconds, unless the operator's settings say otherwise
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        this.producer = new KafkaProducer<>(p);
    }

    public void seeds(String topic, Collection<Seed> seeds) {
        try (var ser = TaintSerdes.seeds().serializer()) {
            for (Seed s : seeds) {
                send(topic, s.key(), ser.serialize(topic, s));
            }
        }
    }

    public void labels(String topic, Collection<Entity> labels) {
        try (var ser = TaintSerdes.entities().serializer()) {
            for (Entity e : labels) {
                send(topic, e.key(), ser.serialize(topic, e));
            }
        }
    }

    /** Declared tokens to the {@code token-registry} topic: key {@code <chain>:<address>}, value the token's JSON. */
    public void tokens(String topic, Collection<Token> tokens) {
        for (Token t : tokens) {
            send(topic, t.key(), TokenJson.bytes(t));
        }
    }

    /** Tombstones for these keys ({@code 0x...} or {@code T...}, as the records were keyed). */
    public void tombstones(String topic, Collection<String> keys) {
        for (String k : keys) {
            send(topic, k, null);
        }
    }

    private void send(String topic, String key, byte[] value) {
        try {
            pending.add(producer.send(new ProducerRecord<>(topic, key, value)));
        } catch (org.apache.kafka.common.KafkaException e) {
            throw unreachable(e);
        }
    }

    /** Waits for every acknowledgement; returns how many records were written. */
    public int flush() {
        producer.flush();
        try {
            for (Future<RecordMetadata> f : pending) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + bootstrap, e);
        }
        int n = pending.size();
        pending.clear();
        return n;
    }

    private IllegalStateException unreachable(Throwable e) {
        return new IllegalStateException("cannot publish to Kafka at " + bootstrap + " (" + e.getMessage()
            + "); check kafka.bootstrap-servers (or --bootstrap) and that the broker is up", e);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
