package io.taintwatch.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.model.LegKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest meters: one factory per meter, names and descriptions as constants, units in the names. Lag behind the
 * chain is first-class: in blocks (head - last published) and in seconds (wall clock - last published timestamp).
 */
public final class IngestMetrics {
    public static final String HEAD_BLOCK = "taintwatch.ingest.head.block";
    public static final String HEAD_BLOCK_DESC = "Newest block number the node reports (before confirmations)";
    public static final String LAST_PUBLISHED_BLOCK = "taintwatch.ingest.last.published.block";
    public static final String LAST_PUBLISHED_BLOCK_DESC = "Number of the last block published to blocks.<chain>";
    public static final String LAG_BLOCKS = "taintwatch.ingest.lag.blocks";
    public static final String LAG_BLOCKS_DESC = "Head block minus last published block";
    public static final String LAG_SECONDS = "taintwatch.ingest.lag.seconds";
    public static final String LAG_SECONDS_DESC = "Wall clock minus the timestamp of the last published block";
    public static final String BLOCKS = "taintwatch.ingest.blocks";
    public static final String BLOCKS_DESC = "Blocks published";
    public static final String LEGS = "taintwatch.ingest.legs";
    public static final String LEGS_DESC = "Legs published, by kind";
    public static final String MALFORMED_LOGS = "taintwatch.ingest.malformed.logs";
    public static final String MALFORMED_LOGS_DESC = "Logs with a known value event signature but the wrong shape, skipped";
    public static final String NOT_LEGS = "taintwatch.ingest.not.legs";
    public static final String NOT_LEGS_DESC = "Value movements seen but not published as legs, by what (Tron: rejected_internal)";
    public static final String RPC_LATENCY = "taintwatch.ingest.rpc.latency.seconds";
    public static final String RPC_LATENCY_DESC = "JSON-RPC round trip (one HTTP request, possibly a batch), by method and endpoint (host:port)";
    public static final String RPC_ERRORS = "taintwatch.ingest.rpc.errors";
    public static final String RPC_ERRORS_DESC = "JSON-RPC failures by method, endpoint (host:port), class (retriable, permanent) and kind";
    public static final String RPC_RETRIES = "taintwatch.ingest.rpc.retries";
    public static final String RPC_RETRIES_DESC = "JSON-RPC requests retried, by the endpoint (host:port) that failed";
    public static final String RPC_FAILOVERS = "taintwatch.ingest.rpc.failovers";
    public static final String RPC_FAILOVERS_DESC = "Switches away from an endpoint (host:port), by the kind of failure that caused them";
    public static final String RPC_ENDPOINT_HEAD = "taintwatch.ingest.rpc.endpoint.head.block";
    public static final String RPC_ENDPOINT_HEAD_DESC = "Newest block number each endpoint (host:port) reported when last asked";
    public static final String RPC_BATCH_SIZE = "taintwatch.ingest.rpc.batch.size";
    public static final String RPC_BATCH_SIZE_DESC = "Calls per JSON-RPC batch request";
    public static final String PUBLISH_LATENCY = "taintwatch.ingest.publish.latency.seconds";
    public static final String PUBLISH_LATENCY_DESC = "Kafka transaction (blocks + checkpoint) from begin to commit";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, ChainGauges> chains = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> endpointHeads = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    public IngestMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Meters into a private registry (tests, tools). */
    public static IngestMetrics noop() {
        return new IngestMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    private final class ChainGauges {
        final AtomicLong head = new AtomicLong(-1);
        final AtomicLong published = new AtomicLong(-1);
        final AtomicLong publishedTimestamp = new AtomicLong(-1);

        ChainGauges(String chain) {
            Gauge.builder(HEAD_BLOCK, head, AtomicLong::get).description(HEAD_BLOCK_DESC).tag("chain", chain).register(registry);
            Gauge.builder(LAST_PUBLISHED_BLOCK, published, AtomicLong::get).description(LAST_PUBLISHED_BLOCK_DESC).tag("chain", chain).register(registry);
            Gauge.builder(LAG_BLOCKS, this, g -> g.head.get() < 0 || g.published.get() < 0 ? Double.NaN : g.head.get() - g.published.get())
                .description(LAG_BLOCKS_DESC).tag("chain", chain).register(registry);
            Gauge.builder(LAG_SECONDS, this, g -> g.publishedTimestamp.get() <= 0 ? Double.NaN
                    : clock.millis() / 1000.0 - g.publishedTimestamp.get())
                .description(LAG_SECONDS_DESC).tag("chain", chain).register(registry);
        }
    }

    private ChainGauges chain(String chain) {
        return chains.computeIfAbsent(chain, ChainGauges::new);
    }

    public void head(String chain, long block) {
        chain(chain).head.set(block);
    }

    /** A block was published; {@code timestamp} 0 means unknown (file source without blocks) and leaves lag seconds alone. */
    public void published(String chain, long block, long timestamp, Map<LegKind, Long> legsByKind) {
        ChainGauges g = chain(chain);
        g.published.set(block);
        if (timestamp > 0) {
            g.publishedTimestamp.set(timestamp);
        }
        Counter.builder(BLOCKS).description(BLOCKS_DESC).tag("chain", chain).register(registry).increment();
        legsByKind.forEach((kind, n) -> Counter.builder(LEGS).description(LEGS_DESC).tag("chain", chain).tag("kind", kind.label())
            .register(registry).increment(n));
    }

    public void malformedLogs(String chain, long n) {
        if (n > 0) {
            Counter.builder(MALFORMED_LOGS).description(MALFORMED_LOGS_DESC).tag("chain", chain).register(registry).increment(n);
        }
    }

    public void notLegs(String chain, String what, long n) {
        if (n > 0) {
            Counter.builder(NOT_LEGS).description(NOT_LEGS_DESC).tag("chain", chain).tag("what", what).register(registry).increment(n);
        }
    }

    public void rpcLatency(String method, String endpointHost, Duration d) {
        Timer.builder(RPC_LATENCY).description(RPC_LATENCY_DESC).tag("method", method).tag("endpoint", endpointHost)
            .register(registry).record(d);
    }

    /**
     * One failed JSON-RPC exchange (or an answer found wrong afterwards).
     *
     * @param endpoint   the endpoint's metric label (host:port, never path or query)
     * @param errorClass {@code retriable} or {@code permanent}
     * @param kind       what went wrong ({@code RpcErrorKind.label()}: rate_limited, server_error, timeout, ...)
     */
    public void rpcError(String method, String endpoint, String errorClass, String kind) {
        Counter.builder(RPC_ERRORS).description(RPC_ERRORS_DESC).tag("method", method).tag("endpoint", endpoint)
            .tag("class", errorClass).tag("kind", kind).register(registry).increment();
    }

    public void rpcRetry(String endpoint) {
        Counter.builder(RPC_RETRIES).description(RPC_RETRIES_DESC).tag("endpoint", endpoint).register(registry).increment();
    }

    /** The client left {@code endpoint} for another one because of a failure of this kind. */
    public void rpcFailover(String endpoint, String kind) {
        Counter.builder(RPC_FAILOVERS).description(RPC_FAILOVERS_DESC).tag("endpoint", endpoint).tag("kind", kind).register(registry).increment();
    }

    public void endpointHead(String endpoint, long block) {
        endpointHeads.computeIfAbsent(endpoint, e -> {
            AtomicLong v = new AtomicLong(-1);
            Gauge.builder(RPC_ENDPOINT_HEAD, v, AtomicLong::get).description(RPC_ENDPOINT_HEAD_DESC).tag("endpoint", e).register(registry);
            return v;
        }).set(block);
    }

    /** Sum of a counter over all its tag combinations that carry the given tags (tests, tools). */
    public double count(String name, String... tagKeyValues) {
        return registry.find(name).tags(tagKeyValues).counters().stream().mapToDouble(Counter::count).sum();
    }

    public void rpcBatchSize(String endpointHost, int size) {
        DistributionSummary.builder(RPC_BATCH_SIZE).description(RPC_BATCH_SIZE_DESC).tag("endpoint", endpointHost)
            .register(registry).record(size);
    }

    public void publishLatency(String chain, Duration d) {
        Timer.builder(PUBLISH_LATENCY).description(PUBLISH_LATENCY_DESC).tag("chain", chain).register(registry).record(d);
    }

    /** Total time spent in JSON-RPC round trips, for the benchmark's "our time vs node time" split. */
    public double rpcSecondsTotal() {
        return registry.find(RPC_LATENCY).timers().stream().mapToDouble(t -> t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e9).sum();
    }
}
