package io.taintwatch.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.taintwatch.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the taint topology of one chain as its own Kafka Streams application (one ordered task). */
public final class TaintService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaintService.class);
    private final KafkaStreams streams;
    private final String applicationId;
    private final AutoCloseable streamsMetrics;
    private volatile Throwable failure;

    /**
     * @param kafka    the process's Kafka client baseline; the engine adds {@link StreamsSettings#engineTuning()}
     * @param stateDir the process's state directory; the engine's state lives in {@code <stateDir>/<applicationId>}
     */
    public TaintService(TaintTopologyConfig config, String applicationId, KafkaClients kafka, Path stateDir, MeterRegistry registry) {
        this.applicationId = applicationId;
        this.streams = new KafkaStreams(TaintTopology.build(config, registry),
            kafka.streams(applicationId, stateDir.resolve(applicationId), StreamsSettings.engineTuning()));
        this.streamsMetrics = bindStreams(registry, streams, "taint");
        streams.setUncaughtExceptionHandler(e -> {
            failure = e;
            LOG.error("taint engine {} stopped: {}", applicationId, rootMessage(e), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    public TaintService start() {
        streams.start();
        return this;
    }

    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public boolean alive() {
        KafkaStreams.State s = streams.state();
        return s != KafkaStreams.State.ERROR && s != KafkaStreams.State.NOT_RUNNING && s != KafkaStreams.State.PENDING_ERROR;
    }

    public Throwable failure() {
        return failure;
    }

    /**
     * Kafka Streams metrics of one instance, including its embedded consumers and producers (consumer lag, commit
     * latency, state store metrics), tagged by the Kafka client id. Returns the binder to close with the instance.
     */
    static AutoCloseable bindStreams(MeterRegistry registry, KafkaStreams streams, String name) {
        // task and state store metrics appear only after the first rebalance: look for new ones every 10 s, not 60 s
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-streams-meters-" + name);
            t.setDaemon(true);
            return t;
        });
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams, List.of(Tag.of("streams", name)), refresh, Duration.ofSeconds(10));
        m.bindTo(registry);
        return m;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
        try {
            streamsMetrics.close();
        } catch (Exception e) {
            LOG.warn("taint engine {}: closing the Kafka Streams meters: {}", applicationId, e.getMessage());
        }
    }
}
