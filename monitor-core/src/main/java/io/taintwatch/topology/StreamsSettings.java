package io.taintwatch.topology;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams settings every taintwatch streams application uses: exactly-once, DLQ, persistent state. */
public final class StreamsSettings {
    /** Bytes fetched per partition: a block record is 10-100 KB, the default 1 MB is a few dozen blocks. */
    public static final int FETCH_BYTES_PER_PARTITION = 8 * 1024 * 1024;
    /** Socket receive buffer of the consumers: -1, the operating system's (auto-tuned) size. */
    public static final int RECEIVE_BUFFER_BYTES = -1;

    private StreamsSettings() {}

    /**
     * What every taintwatch Streams application runs with: exactly-once, dead letters, a persistent state directory, the
     * process's RocksDB budget, 100 ms commits, and the producer settings that keep exactly-once out of retry storms.
     *
     * @param applicationId distinct per deployment and per replay (it names consumer groups and changelogs)
     * @param stateDir a persistent directory: state there survives restarts (never cleaned on start)
     */
    public static Properties common(String applicationId, String bootstrapServers, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // With transactions v2 a produce racing the previous commit is answered CONCURRENT_TRANSACTIONS and
        // retried; batches pipelined behind it then fail with OUT_OF_ORDER_SEQUENCE_NUMBER in a retry storm
        // (seen on a 4.3 broker). One request in flight per connection keeps the sequence in order.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // a short long poll: in the live pipeline it shortened the step from one stage's commit to the next stage reading
        // the records (docs/BENCHMARKS.md, "Live commits"); an idle consumer sends up to 100 fetches a second
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 10);
        return p;
    }

    /**
     * The taint engine's settings on top of {@link #common}: it reads whole blocks (10-100 KB records) from one partition
     * each of blocks, seeds and labels, and must read a replay's prepared seeds before its blocks.
     */
    public static Map<String, Object> engineTuning() {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        // while a partition still has unfetched data, wait for it before picking the next record by timestamp,
        // so that prepared seeds (older timestamps) are read before the blocks of a replay
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 1000L);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16 * 1024 * 1024L);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // a block record is 10-100 KB: with the default 1 MB per partition and fetch, catching up waits on a fetch every
        // few dozen blocks (docs/BENCHMARKS.md)
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), FETCH_BYTES_PER_PARTITION);
        // the stream thread reads the socket only inside poll, and polls only when it has processed everything it
        // buffered, so with the default 64 KB receive buffer the next fetch's response waits in the broker meanwhile
        // (the kernel's auto-tuned buffer instead: docs/BENCHMARKS.md)
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.RECEIVE_BUFFER_CONFIG), RECEIVE_BUFFER_BYTES);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        return p;
    }

    /** The taint engine's properties: {@link #common}, {@link #engineTuning}, then {@code overrides} (the operator's settings). */
    public static Properties of(String applicationId, String bootstrapServers, Path stateDir, Map<String, ?> overrides) {
        Properties p = common(applicationId, bootstrapServers, stateDir);
        p.putAll(engineTuning());
        p.putAll(overrides);
        return p;
    }
}
