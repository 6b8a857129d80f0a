package io.taintwatch.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.taintwatch.exposure.EngineProgress;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.ChainId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the taint application ({@link TaintTopology}): every configured chain's engine is a task of one Kafka Streams
 * application, so the instances started with the same application id share the chains, each chain's task on one
 * instance at a time (with {@code num.standby.replicas}, a warm copy of its stores on others).
 */
public final class TaintService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaintService.class);
    private final KafkaStreams streams;
    private final TaintQueries queries;
    private final String applicationId;
    private final Map<String, ChainId> chainOfBlocksTopic = new HashMap<>();
    private final AutoCloseable streamsMetrics;
    private volatile Throwable failure;

    /** One chain's application (a replay's, a benchmark's). */
    public TaintService(TaintTopologyConfig config, String applicationId, KafkaClients kafka, Path stateDir, MeterRegistry registry) {
        this(List.of(config), ReferencePositions.none(), applicationId, kafka, stateDir, registry);
    }

    /**
     * @param kafka     the part's Kafka client baseline (with the operator's Streams settings, such as the standby
     *                  replicas); the engine adds {@link StreamsSettings#engineTuning()} below them
     * @param positions where chains that ran as applications of their own left the reference topics
     * @param stateDir  the process's state directory; the application's state lives in {@code <stateDir>/<applicationId>}
     */
    public TaintService(List<TaintTopologyConfig> chains, ReferencePositions positions, String applicationId, KafkaClients kafka, Path stateDir,
                        MeterRegistry registry) {
        this(chains, positions, applicationId, kafka, stateDir, registry, null);
    }

    /**
     * @param advertised the host and port at which this instance answers queries of its chains' state, advertised to the
     *                   other instances ({@code application.server}) so that they can forward queries here; null: none
     */
    public TaintService(List<TaintTopologyConfig> chains, ReferencePositions positions, String applicationId, KafkaClients kafka, Path stateDir,
                        MeterRegistry registry, HostInfo advertised) {
        this.applicationId = applicationId;
        chains.forEach(c -> chainOfBlocksTopic.put(c.blocksTopic(), c.chain()));
        EngineProgress.Board progress = new EngineProgress.Board();
        Properties props = kafka.streams(applicationId, stateDir.resolve(applicationId), StreamsSettings.engineTuning());
        if (advertised != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
        }
        this.streams = new KafkaStreams(TaintTopology.build(chains, positions, registry, progress), props);
        this.queries = new TaintQueries(chains, () -> streams, progress, advertised);
        this.streamsMetrics = bindStreams(registry, streams, "taint");
        streams.setGlobalStateRestoreListener(new RestoreLog(applicationId));
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

    /** Queries of the chains' state: answered here for the chains this instance runs, routed to their instance otherwise. */
    public TaintQueries queries() {
        return queries;
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

    /** The chains whose engine task runs in this instance now (not those it only keeps a standby copy of). */
    public Set<ChainId> activeChains() {
        Set<ChainId> out = new HashSet<>();
        for (ThreadMetadata t : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : t.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    ChainId chain = chainOfBlocksTopic.get(tp.topic());
                    if (chain != null) {
                        out.add(chain);
                    }
                }
            }
        }
        return out;
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

    /**
     * Logs each store restore from its changelog with its records and duration: after a failover, what the new owner had
     * to catch up (a standby's lag, or the whole changelog).
     */
    private static final class RestoreLog implements StateRestoreListener {
        private final String applicationId;
        private final Map<TopicPartition, Long> started = new ConcurrentHashMap<>();

        RestoreLog(String applicationId) {
            this.applicationId = applicationId;
        }

        @Override
        public void onRestoreStart(TopicPartition tp, String store, long startOffset, long endOffset) {
            started.put(tp, System.nanoTime());
        }

        @Override
        public void onBatchRestored(TopicPartition tp, String store, long batchEndOffset, long numRestored) {
        }

        @Override
        public void onRestoreEnd(TopicPartition tp, String store, long totalRestored) {
            Long t = started.remove(tp);
            LOG.info("taint engine {}: store {} restored from {}: {} records in {} ms", applicationId, store, tp, totalRestored,
                t == null ? -1 : (System.nanoTime() - t) / 1_000_000);
        }
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
