package io.taintwatch.app.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.taintwatch.topology.StreamsSettings;
import io.taintwatch.topology.TaintTopology;
import io.taintwatch.topology.TaintTopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

    public TaintService(TaintTopologyConfig config, String applicationId, String bootstrap, Path stateDir, Map<String, ?> overrides,
                        MeterRegistry registry) {
        this.applicationId = applicationId;
        this.streams = new KafkaStreams(TaintTopology.build(config, registry),
            StreamsSettings.of(applicationId, bootstrap, stateDir.resolve(applicationId), overrides));
        this.streamsMetrics = io.taintwatch.app.http.Binders.bindStreams(registry, streams, "taint");
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
