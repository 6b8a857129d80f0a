package io.taintwatch.app.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

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
}
