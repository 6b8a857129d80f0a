package io.taintwatch.ingest;

import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.BlockEncoder;
import io.taintwatch.ingest.publish.KafkaBlockSink;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.EvmRpcSource;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.tron.TronChainConfig;
import io.taintwatch.ingest.source.tron.TronHttpClient;
import io.taintwatch.ingest.source.tron.TronSource;
import io.taintwatch.model.ChainId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link IngestWorker} per configured chain, each on its own thread, wired to an {@link EvmRpcSource} (or, for a
 * Tron chain, a {@link TronSource}) and a {@link KafkaBlockSink}. A worker that stops with an error (deep reorg, permanent
 * RPC error) is reported by {@link #failures()} and does not stop the other chains.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final List<IngestWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();

    private IngestService() {}

    /** Builds and starts the workers, publishing blocks in the protobuf wire format ({@link io.taintwatch.encoding.BlockCodec}). */
    public static IngestService start(IngestConfig config, IngestMetrics metrics) {
        return start(config, io.taintwatch.encoding.BlockCodec::encode, metrics);
    }

    /** Builds and starts the workers with another value encoding (tests, tools). */
    public static IngestService start(IngestConfig config, BlockEncoder encoder, IngestMetrics metrics) {
        IngestService s = new IngestService();
        for (EvmChainConfig c : config.chains()) {
            EvmRpcSource source = new EvmRpcSource(c, new JsonRpcClient(c.endpoints(), config.rpc(), metrics), metrics);
            s.add(c.chain(), c.blocksTopic(), c.workerSettings(), source, source.describe(), config, encoder, metrics);
        }
        for (TronChainConfig c : config.tronChains()) {
            TronSource source = new TronSource(c, new JsonRpcClient(c.rpcEndpoints(), config.rpc(), metrics),
                new TronHttpClient(c.httpEndpoints(), config.rpc(), metrics), metrics);
            s.add(c.chain(), c.blocksTopic(), c.workerSettings(), source, source.describe(), config, encoder, metrics);
        }
        s.threads.forEach(Thread::start);
        return s;
    }

    private void add(ChainId chain, String blocksTopic, WorkerSettings settings, ChainSource source, String description, IngestConfig config,
                     BlockEncoder encoder, IngestMetrics metrics) {
        KafkaBlockSink sink = new KafkaBlockSink(chain, blocksTopic, config.kafka(), encoder, metrics);
        resources.add(0, source);
        resources.add(0, sink);
        IngestWorker w = new IngestWorker(chain, source, sink, settings, metrics);
        workers.add(w);
        Thread t = new Thread(() -> {
            try {
                w.run();
            } catch (Throwable e) {
                failures.put(chain.name(), e);
                log.error("chain {}: ingest stopped: {}", chain.name(), e.getMessage(), e);
            }
        }, "ingest-" + chain.name());
        threads.add(t);
        log.info("chain {}: ingesting {}", chain.name(), description);
    }

    public List<IngestWorker> workers() {
        return List.copyOf(workers);
    }

    /** Chains whose worker stopped with an error, with the error. */
    public Map<String, Throwable> failures() {
        return Map.copyOf(failures);
    }

    /** Waits for every worker to end (backfills end at their end block; followers only when stopped). */
    public void awaitTermination() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    @Override
    public void close() {
        workers.forEach(IngestWorker::stop);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", r, e.getMessage());
            }
        }
    }
}
