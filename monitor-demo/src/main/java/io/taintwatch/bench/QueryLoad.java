package io.taintwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.synth.MainnetChain;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The exposure API under load while the pipeline runs: the live pipeline (ingest's sink, taint, alerts) on an in-process
 * broker at a block rate, and an open-loop client sending exposure queries (and, one in five, screenings) at a fixed rate
 * over HTTP with a bearer token, each on a virtual thread at its scheduled time. Latency is measured from the scheduled
 * send to the whole answer read, so a server that falls behind is charged for the queue it builds (no coordinated
 * omission). Queried addresses: tainted recipients read from the flows topic, the seeds, labelled addresses and random
 * ones, in that mix.
 */
final class QueryLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryLoad() {}

    static ObjectNode run(double legsPerS, double queriesPerS, Duration duration, long seed, int launderingPerMillionTx, PrintStream log)
        throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.set("machine", Machine.describe());
        out.put("target_legs_per_s", Math.round(legsPerS)).put("x_mainnet", PipelineBench.round3(legsPerS / PipelineBench.MAINNET_LEGS_PER_S))
            .put("target_queries_per_s", Math.round(queriesPerS)).put("duration_s", duration.toSeconds());
        Path dir = Files.createTempDirectory("taintwatch-queries-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, Map.of())) {
            MainnetChain chain = new MainnetChain(new ChainId(5, "queries"), MainnetChain.Params.defaults(seed).withLaundering(launderingPerMillionTx));
            try (LivePipeline p = new LivePipeline(kafka.bootstrapServers(), chain, dir.resolve("live"), "queries")) {
                Pacer.run(p, legsPerS, Duration.ofSeconds(2), Long.MAX_VALUE);
                if (!p.awaitCaughtUp(Duration.ofSeconds(120)) || !p.awaitAlertsQuiet(1, Duration.ofSeconds(2), Duration.ofSeconds(120))) {
                    throw new IllegalStateException("the live pipeline did not start (engine caught up, a first alert) within 120 s");
                }
                // warm-up: some taint spread, and the JIT has seen the query path
                Pacer.run(p, legsPerS, Duration.ofSeconds(10), Long.MAX_VALUE);
                List<Address> tainted = recipients(kafka.bootstrapServers(), chain.chain());
                List<Address> seeds = chain.seeds().stream().map(Seed::address).toList();
                List<Address> labelled = chain.labels().stream().map(Entity::address).limit(10_000).toList();
                out.put("tainted_addresses_known", tainted.size());
                log.printf("queries: pipeline up; %d tainted recipients, %d seeds, %d labelled; %d queries/s for %d s at %d legs/s%n",
                    tainted.size(), seeds.size(), labelled.size(), Math.round(queriesPerS), duration.toSeconds(), Math.round(legsPerS));
                Client client = new Client(p.apiPort(), BenchPreset.API_TOKEN, chain.chain().name(), tainted, seeds, labelled, seed);
                client.run(queriesPerS, Duration.ofSeconds(5));
                client.reset();
                double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                Thread load = Thread.ofPlatform().name("bench-query-load").start(() -> client.run(queriesPerS, duration));
                Pacer.Run run = Pacer.run(p, legsPerS, duration, Long.MAX_VALUE);
                load.join();
                double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                p.checkAlive();
                out.put("pipeline_legs_per_s", Math.round(run.achievedLegsPerS()));
                out.put("load_average_1m_before", load0).put("load_average_1m_after", load1);
                client.report(out.putObject("exposure"), "exposure");
                client.report(out.putObject("screen"), "screen");
                client.report(out.putObject("all"), null);
                server(out.putObject("server_exposure"), p.meters(), "exposure");
                server(out.putObject("server_screen"), p.meters(), "screen");
                log.println("queries: " + out.get("all") + "; load average " + load0 + " -> " + load1);
            }
            return out;
        } finally {
            Machine.deleteTree(dir);
        }
    }

    /**
     * The server's own time per request (from reading the request to writing the answer, without the wait for a thread or
     * a connection): count, mean, max, and its p50 and p99 over the timer's recent window.
     */
    private static void server(ObjectNode n, io.micrometer.core.instrument.MeterRegistry meters, String endpoint) {
        io.micrometer.core.instrument.Timer t = meters.find("taintwatch_exposure_request_seconds").tag("endpoint", endpoint).timer();
        if (t == null) {
            return;
        }
        io.micrometer.core.instrument.distribution.HistogramSnapshot h = t.takeSnapshot();
        n.put("requests", h.count()).put("mean_ms", PipelineBench.round3(h.mean(TimeUnit.MILLISECONDS)))
            .put("max_ms", PipelineBench.round3(h.max(TimeUnit.MILLISECONDS)));
        for (io.micrometer.core.instrument.distribution.ValueAtPercentile v : h.percentileValues()) {
            n.put("p" + Math.round(v.percentile() * 100) + "_ms", PipelineBench.round3(v.value(TimeUnit.MILLISECONDS)));
        }
    }

    /** Every recipient of a tainted flow so far (the addresses an exchange would ask about). */
    private static List<Address> recipients(String bootstrap, ChainId chain) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        LinkedHashSet<Address> out = new LinkedHashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(chain.flowsTopic(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(FlowCodec.decode(r.value()).to()));
            }
        }
        return new ArrayList<>(out);
    }

    /** The open-loop client: one query per 1/rate seconds, latencies by endpoint. */
    private static final class Client {
        /** Connections the client keeps, as a load generator does: each carries one request at a time. */
        private static final int CONNECTIONS = 64;
        private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final String token;
        private final String chain;
        private final List<Address> tainted;
        private final List<Address> seeds;
        private final List<Address> labelled;
        private final SplittableRandom random;
        private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
        private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();

        Client(int port, String token, String chain, List<Address> tainted, List<Address> seeds, List<Address> labelled, long seed) {
            this.base = "http://127.0.0.1:" + port;
            this.token = token;
            this.chain = chain;
            this.tainted = tainted;
            this.seeds = seeds;
            this.labelled = labelled;
            this.random = new SplittableRandom(seed);
        }

        void reset() {
            latencies.clear();
            statuses.clear();
        }

        private Address pick(SplittableRandom random) {
            int r = random.nextInt(100);
            List<Address> from = r < 50 && !tainted.isEmpty() ? tainted : r < 60 && !seeds.isEmpty() ? seeds : r < 80 && !labelled.isEmpty() ? labelled : null;
            if (from == null) {
                return new Address(random.nextLong(), random.nextLong(), random.nextInt());
            }
            return from.get(random.nextInt(from.size()));
        }

        /**
         * Sends {@code rate} requests per second for {@code duration} over {@link #CONNECTIONS} connections: request i is due
         * at {@code start + i / rate} and goes out on connection {@code i % CONNECTIONS} once its predecessor there has been
         * answered; its latency counts from when it was due.
         */
        void run(double rate, Duration duration) {
            long interval = Math.round(1e9 / rate);
            long start = System.nanoTime();
            long n = Math.round(rate * duration.toNanos() / 1e9);
            try (ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CONNECTIONS; c++) {
                    int first = c;
                    SplittableRandom r = random.split();
                    connections.submit(() -> {
                        for (long i = first; i < n; i += CONNECTIONS) {
                            long due = start + i * interval;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            boolean screen = r.nextInt(5) == 0;
                            send(screen ? screening(pick(r), pick(r)) : exposure(pick(r)), screen ? "screen" : "exposure", due);
                        }
                    });
                }
            }
        }

        private void send(HttpRequest request, String endpoint, long due) {
            try {
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                latencies.computeIfAbsent(endpoint, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - due);
                statuses.computeIfAbsent(endpoint + ":" + r.statusCode(), k -> new AtomicLong()).incrementAndGet();
            } catch (Exception e) {
                statuses.computeIfAbsent("error:" + e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
            }
        }

        private HttpRequest exposure(Address a) {
            return HttpRequest.newBuilder(URI.create(base + "/v1/exposure/" + chain + "/" + a)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build();
        }

        private HttpRequest screening(Address from, Address to) {
            String body = JSON.createObjectNode().put("chain", chain).put("from", from.toString()).put("to", to.toString())
                .put("asset", "native").put("amount", "1000000000000000000").toString();
            return HttpRequest.newBuilder(URI.create(base + "/v1/screen")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        /** Count, achieved rate, p50/p99/max (ms) and statuses of one endpoint, or of all ({@code endpoint} null). */
        void report(ObjectNode n, String endpoint) {
            long[] ns = latencies.entrySet().stream().filter(e -> endpoint == null || e.getKey().equals(endpoint))
                .flatMap(e -> e.getValue().stream()).mapToLong(Long::longValue).sorted().toArray();
            n.put("queries", ns.length);
            if (ns.length > 0) {
                n.put("p50_ms", ms(ns, 0.50)).put("p90_ms", ms(ns, 0.90)).put("p99_ms", ms(ns, 0.99)).put("max_ms", ns[ns.length - 1] / 1e6);
            }
            ObjectNode st = n.putObject("statuses");
            statuses.forEach((k, v) -> {
                if (endpoint == null || k.startsWith(endpoint + ":") || k.startsWith("error:")) {
                    st.put(k, v.get());
                }
            });
        }

        private static double ms(long[] sorted, double q) {
            int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
            return Math.round(sorted[Math.max(0, i)] / 1e3) / 1e3;
        }
    }
}
