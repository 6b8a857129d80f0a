package io.taintwatch.topology;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * Dead letters of global-store records, which Kafka Streams cannot send from its global thread (4.3 logs and drops
 * dead-letter records returned there). The global stores' loaders of one topology share one instance; {@link #kafka()}
 * writes with a plain idempotent producer made, at the first bad record, from the application's own client settings
 * (bootstrap, security), and returns only once the broker has the record: the store moves past a bad record only after
 * its dead letter is written. After a restart the global thread re-reads records past its last checkpoint, so a bad
 * record there is dead-lettered again (at least once; the headers name topic, partition and offset).
 */
public abstract class GlobalDeadLetters {
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    /** A loader starts: {@code appConfigs} are the Streams application's configs ({@code ProcessorContext.appConfigs()}). */
    public abstract void open(Map<String, Object> appConfigs);

    /** Writes one dead letter (built with {@link DeadLetterHandler#deadLetter}); failing to write it is a {@link StreamsException}. */
    public abstract void send(ProducerRecord<byte[], byte[]> record);

    /** A loader stops; the last one closes the producer. */
    public abstract void close();

    /** Writes to the cluster the application reads. */
    public static GlobalDeadLetters kafka() {
        return new Kafka();
    }

    private static final class Kafka extends GlobalDeadLetters {
        private Map<String, Object> configs;
        private KafkaProducer<byte[], byte[]> producer;
        private int users;

        @Override
        public synchronized void open(Map<String, Object> appConfigs) {
            configs = appConfigs;
            users++;
        }

        @Override
        public synchronized void send(ProducerRecord<byte[], byte[]> record) {
            if (producer == null) {
                StreamsConfig streams = new StreamsConfig(configs);
                Map<String, Object> p = streams.getProducerConfigs(streams.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-global-dlq");
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
