package io.taintwatch.ingest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.LaunderingStory;
import io.taintwatch.embedded.devnet.StoryManifest;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.ingest.InMemoryBlockSink;
import io.taintwatch.ingest.IngestConfig;
import io.taintwatch.ingest.IngestService;
import io.taintwatch.ingest.IngestWorker;
import io.taintwatch.ingest.TopicReader;
import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.ingest.faults.FaultProxy.Fault;
import io.taintwatch.ingest.faults.FaultProxy.Lag;
import io.taintwatch.ingest.faults.FaultProxy.Policy;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaBlockSink;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.EvmRpcSource;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ingest through a fault-injecting proxy in front of a real anvil that played the laundering story, into a real broker:
 * every block arrives exactly once, in order, identical to a fault-free ingest of the same chain; the faults show in
 * the metrics by endpoint and kind; a permanent error stops the chain with a message naming the redacted endpoint.
 */
class NodeFaultsIT {
    static final String SECRET = "S3cretApiKey0123";
    /**
     * Client timeout: above the slowest real answer (a callTracer of a story block takes seconds on a busy machine,
     * and a real answer that always times out is retried forever); a TIMEOUT fault holds a request until the client
     * gives up, at most {@link #HOLD}.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(6);
    static final Duration HOLD = Duration.ofSeconds(20);
    static final RpcSettings RPC = RpcSettings.defaults().withTimeout(TIMEOUT).withRetries(4, Duration.ofMillis(10), Duration.ofMillis(100))
        .withMaxBatch(10).withMaxResponseBytes(4 << 20);
    /** Faults for the random part of a policy; timeouts and trickles are scheduled only (each costs {@link #TIMEOUT}). */
    static final List<Fault> RANDOM = List.of(Fault.RATE_LIMIT, Fault.HUGE_RETRY_AFTER, Fault.SERVER_ERROR, Fault.RESET, Fault.TRUNCATED,
        Fault.OVERSIZED, Fault.GARBLED, Fault.GARBLED_VALUE, Fault.SIGNED_QUANTITY, Fault.OVERLONG_QUANTITY, Fault.WRONG_HASH,
        Fault.WRONG_LAST_HASH);

    static Anvil anvil;
    static EmbeddedKafka kafka;
    static ChainId chain;
    static Set<Address> weth;
    static long head;
    /** The fault-free ingest of the whole chain, through the wire format (as a consumer of the topic sees it). */
    static List<Block> reference;

    @BeforeAll
    static void playTheStoryAndIngestItWithoutFaults() {
        anvil = Anvil.start();
        kafka = EmbeddedKafka.start();
        StoryManifest m;
        try (Devnet devnet = Devnet.connect(anvil)) {
            m = LaunderingStory.play(devnet, LaunderingStory.Config.defaults().withBackgroundAccounts(20).withNoise(1, 1, 6));
        }
        anvil.mine(4); // empty blocks: no receipt carries their hash
        chain = new ChainId(anvil.chainId(), "faults");
        weth = Set.of(m.contracts().get("WrappedEther"));
        head = anvil.blockNumber();
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestMetrics metrics = IngestMetrics.noop();
        try (EvmRpcSource src = source(List.of(anvil.rpcUrl()), metrics)) {
            new IngestWorker(chain, src, sink, settings(), metrics).run();
        }
        reference = sink.published.stream().map(b -> BlockCodec.decode(BlockCodec.encode(b))).toList();
        assertThat(reference).extracting(Block::number).containsExactlyElementsOf(LongStream.rangeClosed(0, head).boxed().toList());
        assertThat(reference.stream().mapToInt(b -> b.legs().size()).sum()).as("the story moved value").isGreaterThan(100);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    static EvmChainConfig config(List<String> endpoints, String name) {
        return new EvmChainConfig(new ChainId(chain.id(), name), endpoints, 0, false, "ETH", 18, weth, TraceMode.CALL_TRACER, false, false, 5,
            Duration.ofMillis(20), 0, head, "blocks." + name);
    }

    static EvmRpcSource source(List<String> endpoints, IngestMetrics metrics) {
        return new EvmRpcSource(config(endpoints, chain.name()), new JsonRpcClient(endpoints, RPC, metrics), metrics);
    }

    /** A backfill of the whole chain in batches of 5, retrying a failed step after 20 ms. */
    static WorkerSettings settings() {
        return settings(0);
    }

    static WorkerSettings settings(long from) {
        return new WorkerSettings(0, false, 5, Duration.ofMillis(20), from, head, Duration.ofMillis(20));
    }

    /**
     * Ingests the chain through these endpoints into {@code blocks.<topic>} with the production sink (one Kafka
     * transaction per batch) and returns the topic as decoded.
     */
    static List<Block> ingestThrough(List<String> endpoints, String topic, IngestMetrics metrics) throws Exception {
        return ingestThrough(endpoints, topic, metrics, 0);
    }

    static List<Block> ingestThrough(List<String> endpoints, String topic, IngestMetrics metrics, long from) throws Exception {
        KafkaSinkConfig kc = new KafkaSinkConfig(io.taintwatch.kafka.KafkaClients.plain(kafka.bootstrapServers()), "checkpoints-" + topic, "tokens-" + topic, "tw-" + topic + "-", true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (EvmRpcSource src = source(endpoints, metrics);
             KafkaBlockSink sink = new KafkaBlockSink(chain, "blocks." + topic, kc, BlockCodec::encode, metrics)) {
            IngestWorker w = new IngestWorker(chain, src, sink, settings(from), metrics);
            Thread t = Thread.ofPlatform().name("ingest-" + topic).start(() -> {
                try {
                    w.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.join(Duration.ofSeconds(150)); // a guard against a hang, not a timing assertion
            if (t.isAlive()) {
                w.stop();
                t.join(Duration.ofSeconds(30));
            }
            assertThat(failure.get()).as("the worker never stops on a retriable fault").isNull();
            assertThat(w.finished()).as("the backfill reached block " + head + " (next was " + w.nextBlock() + ")").isTrue();
        }
        return TopicReader.readAll(kafka.bootstrapServers(), "blocks." + topic).stream().map(r -> BlockCodec.decode(r.value())).toList();
    }

    static double errors(IngestMetrics m, String endpoint, String kind) {
        return m.count(IngestMetrics.RPC_ERRORS, "endpoint", endpoint, "kind", kind);
    }

    /**
     * Each fault seen at the transport is one error of its kind on that endpoint. A rewritten hash or an undecodable value
     * is one error on the endpoint that sent it (whichever endpoint is current when it is found), if it is examined at
     * all: when another request of the same fetch fails first, the whole answer is dropped unread. Only timeouts may be
     * more than injected (a real answer slower than the client's timeout).
     */
    static void assertErrorsAreTheInjectedFaults(IngestMetrics m, FaultProxy p) {
        String ep = p.label();
        assertThat(errors(m, ep, "rate_limited")).as("rate_limited on " + ep).isEqualTo(p.injected(Fault.RATE_LIMIT) + p.injected(Fault.HUGE_RETRY_AFTER));
        assertThat(errors(m, ep, "too_large")).as("too_large on " + ep).isEqualTo(p.injected(Fault.OVERSIZED));
        assertThat(errors(m, ep, "server_error")).as("server_error on " + ep).isEqualTo(p.injected(Fault.SERVER_ERROR));
        assertThat(errors(m, ep, "connection")).as("connection on " + ep).isEqualTo(p.injected(Fault.RESET));
        // cut short or NUL bytes: not JSON; a quantity that is not hex, is signed or over-long: does not decode
        assertThat(errors(m, ep, "bad_response")).as("bad_response on " + ep)
            .isBetween((double) p.injected(Fault.TRUNCATED) + p.injected(Fault.GARBLED),
                (double) p.injected(Fault.TRUNCATED) + p.injected(Fault.GARBLED) + p.injected(Fault.GARBLED_VALUE)
                    + p.injected(Fault.SIGNED_QUANTITY) + p.injected(Fault.OVERLONG_QUANTITY));
        // a rewritten hash breaks the parent link inside the range or the look-up by hash: fetched again
        assertThat(errors(m, ep, "inconsistent")).as("inconsistent on " + ep)
            .isBetween(0.0, (double) p.injected(Fault.WRONG_HASH) + p.injected(Fault.WRONG_LAST_HASH));
        // a body trickled past the timeout is cut off like an answer that never came
        assertThat(errors(m, ep, "timeout")).as("timeout on " + ep).isGreaterThanOrEqualTo(p.injected(Fault.TIMEOUT) + p.injected(Fault.TRICKLE));
    }

    static void assertNoSecretInAnyMeter(SimpleMeterRegistry r) {
        for (Meter meter : r.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertThat(tag.getValue()).as(meter.getId().toString()).doesNotContain(SECRET).doesNotContain("/v3");
            }
        }
    }

    @Test
    void everyBlockIsPublishedExactlyOnceThroughEveryKindOfFault() throws Exception {
        // each fault at least once, on the first request it fits, then one request in five faulty at random
        Policy policy = Policy.schedule(List.of(Fault.RATE_LIMIT, Fault.HUGE_RETRY_AFTER, Fault.SERVER_ERROR, Fault.TIMEOUT, Fault.TRICKLE,
            Fault.RESET, Fault.TRUNCATED, Fault.OVERSIZED, Fault.GARBLED, Fault.GARBLED_VALUE, Fault.SIGNED_QUANTITY, Fault.OVERLONG_QUANTITY,
            Fault.WRONG_HASH, Fault.WRONG_LAST_HASH), Policy.random(20_260_126L, 0.2, RANDOM));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        try (FaultProxy proxy = new FaultProxy(anvil.rpcUrl(), policy, null, HOLD, 1)) {
            List<Block> published = ingestThrough(List.of(proxy.url("/v3/" + SECRET)), "all-faults", metrics);

            assertThat(published).extracting(Block::number).containsExactlyElementsOf(LongStream.rangeClosed(0, head).boxed().toList());
            assertThat(published).containsExactlyElementsOf(reference);
            for (Fault f : List.of(Fault.RATE_LIMIT, Fault.HUGE_RETRY_AFTER, Fault.SERVER_ERROR, Fault.TIMEOUT, Fault.TRICKLE, Fault.RESET,
                Fault.TRUNCATED, Fault.OVERSIZED, Fault.GARBLED, Fault.GARBLED_VALUE, Fault.SIGNED_QUANTITY, Fault.OVERLONG_QUANTITY, Fault.WRONG_HASH)) {
                assertThat(proxy.injected(f)).as("injected " + f).isGreaterThanOrEqualTo(1);
            }
            assertErrorsAreTheInjectedFaults(metrics, proxy);
            // the scheduled ones come one after the other, each examined: seen by the checks, not just dropped
            assertThat(errors(metrics, proxy.label(), "inconsistent")).isPositive();
            assertThat(errors(metrics, proxy.label(), "bad_response")).isGreaterThan(proxy.injected(Fault.TRUNCATED) + proxy.injected(Fault.GARBLED));
            assertThat(metrics.count(IngestMetrics.RPC_ERRORS, "class", "permanent")).isZero();
            assertThat(metrics.count(IngestMetrics.RPC_RETRIES, "endpoint", proxy.label())).isPositive();
            assertNoSecretInAnyMeter(registry);
        }
    }

    @Test
    void aWrongHashOnTheLastEmptyBlockOfARangeIsCaughtBeforeItIsPublished() throws Exception {
        // the last 4 blocks are empty and fetched as one range: only the look-up by hash can catch the last one's hash
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        try (FaultProxy proxy = new FaultProxy(anvil.rpcUrl(), Policy.schedule(List.of(Fault.WRONG_LAST_HASH, Fault.WRONG_LAST_HASH), Policy.none()))) {
            List<Block> published = ingestThrough(List.of(proxy.url("/")), "empty-blocks", metrics, head - 3);

            assertThat(reference.subList((int) head - 3, (int) head + 1)).allSatisfy(b -> assertThat(b.legs()).isEmpty());
            assertThat(published).containsExactlyElementsOf(reference.subList((int) head - 3, (int) head + 1));
            assertThat(proxy.injected(Fault.WRONG_LAST_HASH)).isEqualTo(2);
            assertThat(errors(metrics, proxy.label(), "inconsistent")).isEqualTo(2);
        }
    }

    @Test
    void aBrokenEndpointIsLeftForAGoodOneAndNothingIsPublishedTwice() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        // the broken endpoint fails half its requests; after each failure the client moves on, after a failure of the
        // good one it comes back: both are used, and the broken one's faults must never reach the topic
        try (FaultProxy broken = new FaultProxy(anvil.rpcUrl(), Policy.schedule(List.of(Fault.TIMEOUT), Policy.random(7L, 0.5, RANDOM)), null, HOLD, 1);
             FaultProxy good = new FaultProxy(anvil.rpcUrl(), Policy.random(8L, 0.1, List.of(Fault.SERVER_ERROR, Fault.RESET)), null, HOLD, 1)) {
            List<Block> published = ingestThrough(List.of(broken.url("/v3/" + SECRET), good.url("/")), "failover", metrics);

            assertThat(published).containsExactlyElementsOf(reference);
            assertThat(broken.injectedTotal()).isPositive();
            assertThat(good.requests()).isPositive();
            assertThat(metrics.count(IngestMetrics.RPC_FAILOVERS, "endpoint", broken.label())).isPositive();
            assertErrorsAreTheInjectedFaults(metrics, broken);
            assertErrorsAreTheInjectedFaults(metrics, good);
            assertNoSecretInAnyMeter(registry);
        }
    }

    @Test
    void anEndpointBehindTheChainIsLeftForOneAhead() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        // first: a self-consistent node 8 blocks behind; it never errs, so only comparing heads can leave it
        try (FaultProxy behind = new FaultProxy(anvil.rpcUrl(), Policy.none(), new Lag(8, true), HOLD, 1);
             FaultProxy good = new FaultProxy(anvil.rpcUrl(), Policy.none())) {
            List<Block> published = ingestThrough(List.of(behind.url("/"), good.url("/")), "lag-old-head", metrics);

            assertThat(published).containsExactlyElementsOf(reference);
            assertThat(behind.lagged()).isPositive();
            assertThat(metrics.count(IngestMetrics.RPC_FAILOVERS, "endpoint", behind.label(), "kind", "lagging")).isPositive();
            assertThat(registry.get(IngestMetrics.RPC_ENDPOINT_HEAD).tag("endpoint", good.label()).gauge().value()).isEqualTo(head);
            assertThat(registry.get(IngestMetrics.RPC_ENDPOINT_HEAD).tag("endpoint", behind.label()).gauge().value()).isEqualTo(head - 8);
        }
    }

    @Test
    void anEndpointWithoutTheBlocksBelowItsHeadIsLeftForOneThatHasThem() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        // a load balancer over nodes at different heights: the real head, but no recent blocks
        try (FaultProxy holey = new FaultProxy(anvil.rpcUrl(), Policy.none(), new Lag(6, false), HOLD, 1);
             FaultProxy good = new FaultProxy(anvil.rpcUrl(), Policy.none())) {
            List<Block> published = ingestThrough(List.of(holey.url("/"), good.url("/")), "lag-null-blocks", metrics);

            assertThat(published).containsExactlyElementsOf(reference);
            assertThat(holey.lagged()).isPositive();
            assertThat(errors(metrics, holey.label(), "lagging")).isPositive();
            assertThat(metrics.count(IngestMetrics.RPC_FAILOVERS, "endpoint", holey.label(), "kind", "lagging")).isPositive();
        }
    }

    /** Runs the production composition (IngestService) against one endpoint and returns why its chain stopped. */
    static Throwable stoppedChain(String name, String endpoint, SimpleMeterRegistry registry) throws Exception {
        EvmChainConfig c = config(List.of(endpoint), name);
        IngestConfig cfg = new IngestConfig(KafkaSinkConfig.defaults(kafka.bootstrapServers()), RPC, List.of(c));
        try (IngestService s = IngestService.start(cfg, new IngestMetrics(registry))) {
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    s.awaitTermination();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.join(Duration.ofSeconds(60)); // a guard against retrying forever, not a timing assertion
            assertThat(waiter.isAlive()).as("the chain stopped instead of retrying forever").isFalse();
            assertThat(s.failures()).containsKey(name);
            return s.failures().get(name);
        }
    }

    @Test
    void badCredentialsStopTheChainWithAMessageNamingTheRedactedEndpoint() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FaultProxy proxy = new FaultProxy(anvil.rpcUrl(), Policy.always(Fault.UNAUTHORIZED))) {
            Throwable e = stoppedChain("badcreds", proxy.url("/v3/" + SECRET + "?apikey=" + SECRET), registry);

            assertThat(e).hasMessageContaining("permanent RPC error").hasMessageContaining("HTTP 401").hasMessageContaining("credentials")
                .hasMessageContaining("http://127.0.0.1:" + proxy.label().split(":")[1] + "/***?***").hasMessageNotContaining(SECRET);
            assertThat(proxy.requests()).as("asked once, not retried").isEqualTo(1);
            IngestMetrics m = new IngestMetrics(registry);
            assertThat(m.count(IngestMetrics.RPC_ERRORS, "endpoint", proxy.label(), "kind", "auth", "class", "permanent")).isEqualTo(1);
            assertNoSecretInAnyMeter(registry);
        }
    }

    @Test
    void aMethodTheNodeLacksStopsTheChainWithAMessageNamingMethodAndEndpoint() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FaultProxy proxy = new FaultProxy(anvil.rpcUrl(), Policy.onlyFor("eth_getBlockByNumber", Fault.METHOD_NOT_FOUND))) {
            Throwable e = stoppedChain("nomethod", proxy.url("/rpc/" + SECRET), registry);

            assertThat(e).hasMessageContaining("permanent RPC error").hasMessageContaining("eth_getBlockByNumber")
                .hasMessageContaining("-32601").hasMessageContaining("http://127.0.0.1:" + proxy.label().split(":")[1] + "/***")
                .hasMessageNotContaining(SECRET);
            assertThat(proxy.injected(Fault.METHOD_NOT_FOUND)).as("asked once, not retried").isEqualTo(1);
            IngestMetrics m = new IngestMetrics(registry);
            assertThat(m.count(IngestMetrics.RPC_ERRORS, "endpoint", proxy.label(), "kind", "rpc_error", "class", "permanent")).isEqualTo(1);
        }
    }
}
