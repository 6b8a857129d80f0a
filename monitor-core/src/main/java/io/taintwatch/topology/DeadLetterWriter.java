package io.taintwatch.topology;

import io.taintwatch.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * Writes dead letters (built with {@link DeadLetterHandler#deadLetter}) where Kafka Streams does not: from the global
 * thread (4.3 logs and drops dead-letter records returned there) and from plain consumers (the webhook dispatcher, the
 * API feed). A plain idempotent producer, made at the first bad record; {@link #send} returns only once the broker has
 * the record, so a reader moves past a bad record only after its dead letter is written. A reader that re-reads records
 * after a restart (the global thread past its last checkpoint) dead-letters them again: at least once, and the headers
 * name topic, partition and offset.
 */
public abstract class DeadLetterWriter {
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    /** A reader starts: {@code appConfigs} are its Streams application's configs ({@code ProcessorContext.appConfigs()}). */
    public abstract void open(Map<String, Object> appConfigs);

    /** Writes one dead letter; failing to write it is a {@link StreamsException} (the reader must not move on). */
    public abstract void send(ProducerRecord<byte[], byte[]> record);

    /** A reader stops; the last one closes the producer. */
    public abstract void close();

    /** For the global stores of a Streams application: the producer takes the application's client settings. */
    public static DeadLetterWriter kafka() {
        return new Kafka(null);
    }

    /** For a plain consumer: a producer on the process's client baseline (bootstrap, security). */
    public static DeadLetterWriter kafka(KafkaClients clients, String clientId) {
        return new Kafka(() -> {
            Map<String, Object> p = new HashMap<>();
            clients.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId)).forEach((k, v) -> p.put(k.toString(), v));
            return p;
        });
    }

    private static final class Kafka extends DeadLetterWriter {
        private Supplier<Map<String, Object>> settings;
        private KafkaProducer<byte[], byte[]> producer;
        private int users;

        Kafka(Supplier<Map<String, Object>> settings) {
            this.settings = settings;
        }

        @Override
        public synchronized void open(Map<String, Object> appConfigs) {
            if (appConfigs != null && settings == null) {
                StreamsConfig streams = new StreamsConfig(appConfigs);
                settings = () -> streams.getProducerConfigs(streams.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-dlq");
            }
            users++;
        }

        @Override
        public synchronized void send(ProducerRecord<byte[], byte[]> record) {
            if (producer == null) {
                Map<String, Object> p = new HashMap<>(settings.get());
                p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            }
            try {
                producer.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StreamsException("interrupted while writing a dead letter to " + record.topic(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new StreamsException("cannot write a dead letter to " + record.topic() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            if (--users <= 0 && producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }
}
