package io.taintwatch.alerts;

import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.model.Block;
import io.taintwatch.topology.DeadLetterHandler;
import io.taintwatch.topology.TaintTopologyConfig;
import io.taintwatch.model.TaintFlow;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * @param streamsOverrides extra Streams properties set last (e.g. the project's DLQ deserialization handler)
     */
    public AlertsService(AlertsConfig config, Serde<TaintFlow> flowSerde, Serde<Block> blockSerde, AlertMetrics metrics,
                         Map<String, Object> streamsOverrides) {
        this.config = config;
        Properties p = streamsProperties(config);
        p.putAll(streamsOverrides);
        this.streams = new KafkaStreams(AlertsTopology.build(config, flowSerde, blockSerde, metrics), p);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("alert service stream thread failed; shutting the client down so readiness turns false", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** The Streams properties this service runs with (before overrides). */
    public static Properties streamsProperties(AlertsConfig c) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, c.replicationFactor());
        // an undecodable input record goes to <topic>.dlq with topic/partition/offset and the reason, and processing continues
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        // a record that decodes but is refused (key not an address, key and value disagree) goes there too
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the process's one RocksDB memory budget, shared with the taint engine's stores
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, io.taintwatch.topology.BoundedRocksDb.class);
        return p;
    }

    /**
     * Creates the topics this service writes (alerts, tracked, webhook DLQ) when missing; inputs must exist already.
     * {@code clientSettings}: the service's Kafka client settings (security), as passed to the Streams app.
     */
    public static void ensureTopics(AlertsConfig c, int partitions, Map<String, ?> clientSettings) {
        // compaction keeps the latest version of every alert id; versions of one id share a key, so order holds
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<TopicAdmin.Spec> specs = new ArrayList<>();
        specs.add(new TopicAdmin.Spec(c.topics().alerts(), partitions, compacted, false));
        if (c.readBlocks()) {
            specs.add(new TopicAdmin.Spec(c.topics().tracked(), 1, compacted, false));
            specs.add(new TopicAdmin.Spec(TaintTopologyConfig.dlq(c.topics().tracked()), 1, Map.of(), false));
        }
        // the global stores' dead letters; those of watchlist, labels and the chains' topics are created with their topics
        specs.add(new TopicAdmin.Spec(TaintTopologyConfig.dlq(c.topics().tokens()), 1, Map.of(), false));
        // bad records of the alerts topic, dead-lettered by its plain-consumer readers (AlertRecords)
        specs.add(new TopicAdmin.Spec(TaintTopologyConfig.dlq(c.topics().alerts()), 1, Map.of(), false));
        if (!c.webhooks().endpoints().isEmpty()) {
            specs.add(new TopicAdmin.Spec(c.topics().webhookDlq(), 1, Map.of(), false));
        }
        TopicAdmin.ensure(c.bootstrapServers(), clientSettings, c.replicationFactor(), specs);
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
