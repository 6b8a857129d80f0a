package io.taintwatch.alerts;

import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.Block;
import io.taintwatch.model.TaintFlow;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the alert topology as a Kafka Streams application with exactly_once_v2: the alert state store is
 * changelogged and the alerts topic is written transactionally (consumers read it with {@code read_committed}).
 * Create it, {@link #start()}, and {@link #close()} on shutdown; {@link #ready()} backs the readiness probe.
 */
public final class AlertsService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertsService.class);

    private final AlertsConfig config;
    private final KafkaStreams streams;

    public AlertsService(AlertsConfig config, Serde<TaintFlow> flowSerde, Serde<Block> blockSerde, AlertMetrics metrics) {
        this.config = config;
        this.streams = new KafkaStreams(AlertsTopology.build(config, flowSerde, blockSerde, metrics), streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("alert service stream thread failed; shutting the client down so readiness turns false", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /**
     * The Streams properties this service runs with: the process's baseline ({@link KafkaClients#streams}: exactly-once,
     * dead letters, the shared RocksDB budget, the operator's client settings), with the alert service's replication factor.
     */
    public static Properties streamsProperties(AlertsConfig c) {
        return c.kafka().streams(c.applicationId(), c.stateDir().toAbsolutePath(), Map.of(StreamsConfig.REPLICATION_FACTOR_CONFIG,
            c.replicationFactor()));
    }

    public void start() {
        log.info("starting alert service {} for chains {} (blocks: {})", config.applicationId(),
            config.chains().stream().map(ChainSettings::name).toList(), config.readBlocks());
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** True while the Streams client is running (all tasks assigned and restored). */
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** True unless the client has failed or been shut down. */
    public boolean alive() {
        KafkaStreams.State s = streams.state();
        return s != KafkaStreams.State.ERROR && s != KafkaStreams.State.NOT_RUNNING && s != KafkaStreams.State.PENDING_ERROR;
    }

    @Override
    public void close() {
        // leave the group so that a restarted instance gets the tasks at once, not after the session timeout
        streams.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
