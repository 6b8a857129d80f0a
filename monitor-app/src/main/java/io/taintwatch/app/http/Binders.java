package io.taintwatch.app.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Micrometer's JVM and Kafka Streams binders, bound in one place so every process exports the meters the Grafana
 * dashboards in deploy/grafana read (jvm_*, process_*, system_*, kafka_stream_*, kafka_consumer_*, kafka_producer_*).
 */
public final class Binders {
    private Binders() {}

    /** JVM memory, GC, threads, class loading, CPU and uptime. Returns what must be closed on shutdown (the GC listener). */
    public static AutoCloseable bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        io.micrometer.core.instrument.Gauge.builder("taintwatch.rocksdb.memory", io.taintwatch.topology.BoundedRocksDb::usage)
            .description("Native memory of all RocksDB state stores of the process (shared block cache, memtables included)")
            .baseUnit("bytes").register(registry);
        io.micrometer.core.instrument.Gauge.builder("taintwatch.rocksdb.memory.budget", io.taintwatch.topology.BoundedRocksDb::budget)
            .description("The RocksDB memory budget (state.rocksdb.memory-bytes)").baseUnit("bytes").register(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    /**
     * Kafka Streams metrics of one instance, including its embedded consumers and producers (consumer lag, commit
     * latency, state store metrics), tagged by the Kafka client id. Returns the binder to close with the instance.
     */
    public static AutoCloseable bindStreams(MeterRegistry registry, KafkaStreams streams, String name) {
        // task and state store metrics appear only after the first rebalance: look for new ones every 10 s, not 60 s
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-streams-meters-" + name);
            t.setDaemon(true);
            return t;
        });
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams, List.of(io.micrometer.core.instrument.Tag.of("streams", name)), refresh,
            Duration.ofSeconds(10));
        m.bindTo(registry);
        return m;
    }
}
