package io.taintwatch.app.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taintwatch.alerts.AlertsRuntime;
import io.taintwatch.alerts.api.AlertsApi;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.api.LimitedHttpServer;
import io.taintwatch.alerts.exposure.ExposureApi;
import io.taintwatch.app.config.ConfigKeys;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.http.Binders;
import io.taintwatch.app.http.MetricsServer;
import io.taintwatch.app.retro.RetroMode;
import io.taintwatch.app.retro.RetroScreeners;
import io.taintwatch.ingest.IngestConfig;
import io.taintwatch.ingest.IngestService;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.topology.BoundedRocksDb;
import io.taintwatch.topology.ReferencePositions;
import io.taintwatch.topology.TaintService;
import io.taintwatch.topology.TaintTopologyConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline, assembled once: creates and verifies every topic, then starts the requested parts (ingest, taint,
 * alerts) from one {@link PipelineConfig}, with {@code /metrics}, {@code /health} and {@code /ready}. {@code taintwatch
 * run} and the single-part commands start it from the operator's file; the demo and the benchmarks are presets of it (a
 * configuration they write, and {@link Extras} they plug in), not wirings of their own.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** How often retro-screening looks which chains' engine tasks run in this instance. */
    private static final java.time.Duration RETRO_FOLLOW = java.time.Duration.ofSeconds(2);

    /** The parts a process can run. */
    public enum Part { INGEST, TAINT, ALERTS }

    /**
     * What a preset plugs in beyond the configuration: the meter registry (null: a Prometheus registry of the pipeline's
     * own, with the JVM's meters; a Prometheus registry is served on {@code metrics.port}), and seeds and labels the taint
     * engines apply once when their state is new (as a replay does; live seeds come from the topics).
     */
    public record Extras(MeterRegistry registry, List<Seed> initialSeeds, List<Entity> initialLabels) {
        public Extras {
            initialSeeds = List.copyOf(initialSeeds);
            initialLabels = List.copyOf(initialLabels);
        }

        public static Extras none() {
            return new Extras(null, List.of(), List.of());
        }
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<BooleanSupplier> alive = new ArrayList<>();
    private final List<BooleanSupplier> ready = new ArrayList<>();
    private final MeterRegistry registry;
    private MetricsServer metricsServer;
    private AlertsRuntime alerts;
    private int apiPort = -1;

    private Pipeline(MeterRegistry registry) {
        this.registry = registry;
    }

    public static Pipeline start(PipelineConfig config, Set<Part> parts) throws Exception {
        return start(config, parts, Extras.none());
    }

    public static Pipeline start(PipelineConfig config, Set<Part> parts, Extras extras) throws Exception {
        Objects.requireNonNull(config, "config");
        boolean ownRegistry = extras.registry() == null;
        Pipeline p = new Pipeline(ownRegistry ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : extras.registry());
        try {
            if (ownRegistry) {
                p.started.add(Binders.bindJvm(p.registry));
            }
            p.startParts(config, EnumSet.copyOf(parts), extras);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    private void startParts(PipelineConfig c, Set<Part> parts, Extras extras) throws Exception {
        BoundedRocksDb.budget(c.raw().longValue(ConfigKeys.STATE_ROCKSDB_MEMORY));
        KafkaClients kafka = c.kafka();
        List<ChainId> chains = c.chainIds();
        // every topic of the pipeline before any part starts: no part meets a topic another is still creating
        c.topics().ensure(kafka, chains);
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            metricsServer = new MetricsServer(c.raw().string(ConfigKeys.HTTP_BIND), c.raw().integer(ConfigKeys.METRICS_PORT), prometheus,
                this::alive, this::ready, c.httpLimits());
            started.add(metricsServer);
        }
        if (parts.contains(Part.INGEST)) {
            var topics = c.topics();
            IngestService ingest = IngestService.start(new IngestConfig(new KafkaSinkConfig(kafka, topics.checkpoints(), topics.tokens(),
                "taintwatch-ingest-", false), c.rpc(), c.ingestChains(), c.tronIngestChains()),
                new IngestMetrics(registry));
            started.add(ingest);
            alive.add(() -> ingest.failures().isEmpty());
        }
        LimitedHttpServer api = null;
        if (parts.contains(Part.TAINT)) {
            List<TaintTopologyConfig> engines = c.taintTopologies().stream()
                .map(t -> t.withInitial(extras.initialSeeds(), extras.initialLabels())).toList();
            String applicationId = c.taintApplicationId();
            ReferencePositions positions = PerChainApplications.takeOver(kafka, applicationId, engines);
            // the taint instances answer exposure queries from their stores, on the API port (with the alert API when
            // this process runs the alerts part too); bound first, so that its port is what the instance advertises
            ApiConfig apiConfig = c.api();
            LimitedHttpServer server = LimitedHttpServer.create("api", new InetSocketAddress(apiConfig.host(), apiConfig.port()),
                apiConfig.limits(), AlertsApi.PROBE_PATHS);
            api = server;
            started.add(() -> server.stop(0));
            TaintService t = new TaintService(engines, positions, applicationId, c.taintKafka(), c.stateDir(), registry,
                new HostInfo(c.advertisedHost(), server.getAddress().getPort()));
            new ExposureApi(apiConfig, c.rules(), t.queries(), registry).register(server);
            server.start();
            apiPort = server.getAddress().getPort();
            t.start();
            started.add(t);
            alive.add(t::alive);
            ready.add(t::ready);
            if (c.retroMode() != RetroMode.OFF) {
                // retro-screening beside the taint engines: it reads their seeds changelogs (docs/labels.md) and dead-letters
                // the records of them the engines did not write
                TopicAdmin.ensure(kafka, c.topics().replicationFactor(), chains.stream()
                    .map(chain -> new TopicAdmin.Spec(PipelineTopics.dlq(c.retro(chain).seedsChangelog()), 1, Map.of(), false)).toList());
                RetroScreeners r = RetroScreeners.start(t::activeChains, c::retro, registry, RETRO_FOLLOW);
                started.add(r);
                alive.add(r::alive);
            }
        }
        if (parts.contains(Part.ALERTS)) {
            alerts = AlertsRuntime.start(c.alerts(), registry, api);
            started.add(alerts);
            alive.add(alerts::alive);
            ready.add(alerts::ready);
        }
        LOG.info("taintwatch started {} for chains {}", parts, chains.stream().map(ChainId::name).toList());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** False once a part has failed for good; the process should then be restarted ({@code /health}). */
    public boolean alive() {
        return alive.stream().allMatch(BooleanSupplier::getAsBoolean);
    }

    /** True when every part has started and caught up ({@code /ready}). */
    public boolean ready() {
        return ready.stream().allMatch(BooleanSupplier::getAsBoolean);
    }

    /**
     * The API's port (when {@code http.port} is 0, the one chosen): the alert API's and, with the taint part, the exposure
     * API's; -1 without either part.
     */
    public int apiPort() {
        return alerts != null ? alerts.apiPort() : apiPort;
    }

    /** The metrics server's port, or -1 when a preset brought a registry that is not a Prometheus one. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /** Stops the parts in the reverse order of their start: alerts, taint, ingest, then the metrics server. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", started.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        started.clear();
    }
}
