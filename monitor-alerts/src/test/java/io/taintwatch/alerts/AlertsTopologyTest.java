package io.taintwatch.alerts;

import io.taintwatch.encoding.TaintSerdes;

import io.taintwatch.alerts.metrics.AlertMetrics;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Block;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.Severity;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.testing.Chain;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.RecordHeaders;
import io.taintwatch.model.Position;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import io.taintwatch.topology.DeadLetterHandler;
import io.taintwatch.topology.MemoryDeadLetters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

class AlertsTopologyTest {
    @TempDir
    Path dir;

    private final Scenario scenario = new Scenario();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestOutputTopic<String, Alert> alerts;

    final MemoryDeadLetters deadLetters = new MemoryDeadLetters();

    private AlertsConfig cfg;

    @BeforeEach
    void start() {
        start(dir);
    }

    void start(Path dir) {
        cfg = Scenario.config("unused:9092", dir, true);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        driver = new TopologyTestDriver(AlertsTopology.build(cfg, TaintSerdes.flows(), TaintSerdes.blocks(), new AlertMetrics(registry), deadLetters), p);
        TestInputTopic<String, Seed> watchlist = driver.createInputTopic("watchlist", new StringSerializer(), AlertSerdes.seed().serializer());
        TestInputTopic<String, Entity> labels = driver.createInputTopic("labels", new StringSerializer(), AlertSerdes.entity().serializer());
        // keys as other tools write them: checksummed and upper case must work as well as lower case
        scenario.seeds.forEach(s -> watchlist.pipeInput(s.address().toChecksumHex(), s));
        scenario.labels.forEach(e -> labels.pipeInput(e.address().toString().toUpperCase().replace("0X", "0x"), e));
        // as ingest writes them: key <chain>:<contract>, value with chain, token, symbol, name and nullable decimals
        TestInputTopic<String, byte[]> rawTokens = driver.createInputTopic("tokens", new StringSerializer(), new ByteArraySerializer());
        rawTokens.pipeInput("testnet:" + Chain.token("USDT").contract().toChecksumHex(),
            ("{\"chain\":\"testnet\",\"chainId\":31337,\"token\":\"" + Chain.token("USDT").contract() + "\",\"symbol\":\"USDT\","
                + "\"name\":\"Tether USD\",\"decimals\":6}").getBytes());
        rawTokens.pipeInput("testnet:" + Chain.token("ODD").contract(), "{\"symbol\":\"ODD\",\"name\":null,\"decimals\":null}".getBytes());
        rawTokens.pipeInput("testnet:" + Chain.token("BAD").contract(), "{\"symbol\":\"BAD\",\"decimals\":\"six\"}".getBytes());
        rawTokens.pipeInput("testnet:native", "{\"symbol\":\"tETH\",\"decimals\":18}".getBytes());
        rawTokens.pipeInput("not-an-address", "{\"symbol\":\"X\",\"decimals\":1}".getBytes());
        alerts = driver.createOutputTopic("alerts", new StringDeserializer(), AlertSerdes.alert().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private List<KeyValue<String, Alert>> run() {
        return run(false);
    }

    /**
     * @param live each block published now, and its flows as the engine writes a live block's: the publish time, and
     *             {@link RecordHeaders#BLOCK_END} on the last; otherwise blocks published at their own time, flows bare
     */
    private List<KeyValue<String, Alert>> run(boolean live) {
        TestInputTopic<String, Block> blocks = driver.createInputTopic(Chain.CHAIN.blocksTopic(), new StringSerializer(), TaintSerdes.blocks().serializer());
        TestInputTopic<String, TaintFlow> flows = driver.createInputTopic(Chain.CHAIN.flowsTopic(), new StringSerializer(), TaintSerdes.flows().serializer());
        for (Block b : scenario.blocks) {
            // ingest sends each block with its publish time in a header
            Headers ingested = new org.apache.kafka.common.header.internals.RecordHeaders();
            byte[] at = Long.toString(live ? System.currentTimeMillis() : b.timestamp() * 1000).getBytes(StandardCharsets.US_ASCII);
            ingested.add(RecordHeaders.INGEST_TIMESTAMP, at);
            blocks.pipeInput(new TestRecord<>(Long.toString(b.chain().id()), b, ingested));
            List<TaintFlow> ofBlock = scenario.flows.stream().filter(f -> f.position().block() == b.number()).toList();
            for (int i = 0; i < ofBlock.size(); i++) {
                TaintFlow f = ofBlock.get(i);
                Headers h = new org.apache.kafka.common.header.internals.RecordHeaders();
                if (live) {
                    h.add(RecordHeaders.INGEST_TIMESTAMP, at);
                    if (i == ofBlock.size() - 1) {
                        h.add(RecordHeaders.BLOCK_END, new byte[] {'1'});
                    }
                }
                flows.pipeInput(new TestRecord<>(f.to().toString(), f, h));
            }
        }
        List<KeyValue<String, Alert>> out = alerts.readKeyValuesToList();
        out.forEach(kv -> {
            assertThat(kv.key).isEqualTo(kv.value.id());
            AlertSchema.assertValid(kv.value);
        });
        return out;
    }

    private static Map<String, Alert> latest(List<KeyValue<String, Alert>> out) {
        Map<String, Alert> m = new HashMap<>();
        out.forEach(kv -> m.put(kv.key, kv.value));
        return m;
    }

    @Test
    void aLiveBlockClosesItsCandidatesWithAMarkerOnEveryPartitionAndTheAlertsAreTheSame() {
        List<KeyValue<String, Alert>> batched = run(false);
        List<TestRecord<String, byte[]>> quiet = candidates(cfg);
        stop();
        start(dir.resolve("live"));
        List<KeyValue<String, Alert>> live = run(true);
        List<TestRecord<String, byte[]>> closed = candidates(cfg);

        assertThat(live).isEqualTo(batched);
        assertThat(quiet).as("no markers for blocks that are not live").allMatch(r -> r.value() != null);
        List<TestRecord<String, byte[]>> markers = closed.stream().filter(r -> r.value() == null).toList();
        assertThat(markers).as("markers").isNotEmpty().allSatisfy(r -> {
            assertThat(r.headers().lastHeader(RecordHeaders.BLOCK_END)).isNotNull();
            assertThat(AlertsTopology.blockEndKeys(cfg.candidatePartitions())).contains(r.key());
        });
        assertThat(closed.stream().filter(r -> r.value() != null)).as("candidates, as without markers").hasSize(quiet.size())
            .allMatch(r -> r.headers().lastHeader(RecordHeaders.BLOCK_END) == null);
        // a block's candidates are followed by its marker before the next block's: the last record is one
        assertThat(closed.get(closed.size() - 1).value()).isNull();
    }

    @Test
    void theMarkersOfABlockEndReachEveryPartitionOfTheCandidates() {
        for (int partitions = 1; partitions <= 32; partitions++) {
            List<String> keys = AlertsTopology.blockEndKeys(partitions);
            int n = partitions;
            // as the producer places a keyed record
            assertThat(keys).extracting(k -> org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(
                k.getBytes(StandardCharsets.UTF_8), n)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
        }
    }

    /** What the flow and block rules wrote to the repartition topics of candidates, in order. */
    private List<TestRecord<String, byte[]>> candidates(AlertsConfig cfg) {
        List<TestRecord<String, byte[]>> out = new ArrayList<>();
        for (String t : List.of(AlertsTopology.CANDIDATES, AlertsTopology.blockCandidates(Chain.CHAIN.name()))) {
            out.addAll(driver.createOutputTopic(cfg.applicationId() + "-" + t + "-repartition", new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList());
        }
        return out;
    }

    @Test
    void everyTaintedLegIntoATerminalIsInExactlyOneAlert() {
        List<KeyValue<String, Alert>> out = run();
        Set<AlertRule> arrivals = Set.of(AlertRule.TAINTED_TO_EXCHANGE, AlertRule.TAINTED_TO_MIXER, AlertRule.TAINTED_TO_BRIDGE,
            AlertRule.OWN_DEPOSIT_TAINTED);
        // expected: every (leg, source) into a terminal, as the engine reported it
        List<String> expected = new ArrayList<>();
        for (TaintFlow f : scenario.flows) {
            if (f.kind() == FlowKind.TERMINAL) {
                for (SourceShare s : f.shares()) {
                    expected.add(f.chain().name() + ":" + f.txHash() + ":" + f.position() + "|" + s.sourceId());
                }
            }
        }
        assertThat(expected).hasSize(Scenario.REPEATED_DEPOSITS + 2); // mixer, our deposit, the repeated deposits
        List<String> seen = out.stream().map(kv -> kv.value).filter(a -> arrivals.contains(a.rule()))
            .map(a -> a.legId() + "|" + a.sources().stream().filter(s -> s.tainted().equals(a.tainted())).findFirst().orElseThrow().sourceId())
            .toList();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
        // and the final versions add up: counts and totals are the sums over their legs
        Map<String, List<Alert>> byId = out.stream().map(kv -> kv.value).filter(a -> arrivals.contains(a.rule()))
            .collect(Collectors.groupingBy(Alert::id));
        byId.forEach((id, versions) -> {
            Alert last = versions.get(versions.size() - 1);
            assertThat(last.count()).isEqualTo(versions.size());
            assertThat(versions).extracting(Alert::version).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, versions.size()).boxed().toList());
            assertThat(last.totals().get(0).tainted().raw())
                .isEqualTo(versions.stream().map(a -> a.tainted().raw()).reduce(java.math.BigInteger.ZERO, java.math.BigInteger::add));
        });
    }

    @Test
    void repeatedDepositsAlongOnePathAreOneAlertWithTheWholePath() {
        Map<String, Alert> latest = latest(run());
        List<Alert> toOther = latest.values().stream().filter(a -> a.to().equals(addr("other-deposit"))).toList();
        assertThat(toOther).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.TAINTED_TO_EXCHANGE);
            assertThat(a.count()).isEqualTo(Scenario.REPEATED_DEPOSITS);
            assertThat(a.version()).isEqualTo(Scenario.REPEATED_DEPOSITS);
            assertThat(a.path().hops()).extracting(h -> h.to()).containsExactly(addr("mule1"), addr("mule2"), addr("other-deposit"));
            assertThat(a.path().source()).isEqualTo(addr("hacker"));
            assertThat(a.sources().get(0).reference()).isEqualTo("Bybit hack 2025-02-21, FBI PSA I-022625");
            assertThat(a.amount().symbol()).isEqualTo("ETH");
            assertThat(a.policy().parameters()).containsEntry("max_hops", "6");
            assertThat(a.firstSeen().block()).isLessThan(a.lastSeen().block());
        });
    }

    @Test
    void everyRuleFiresOnTheScenario() {
        Map<String, Alert> latest = latest(run());
        Map<AlertRule, List<Alert>> byRule = latest.values().stream().collect(Collectors.groupingBy(Alert::rule));
        assertThat(byRule.keySet()).containsExactlyInAnyOrder(AlertRule.TAINTED_TO_EXCHANGE, AlertRule.TAINTED_TO_MIXER,
            AlertRule.OWN_DEPOSIT_TAINTED, AlertRule.SANCTIONED_DIRECT, AlertRule.OWN_OUTGOING_EXPOSURE, AlertRule.WATCHLIST_MOVEMENT);
        assertThat(byRule.get(AlertRule.OWN_DEPOSIT_TAINTED)).singleElement()
            .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.SEVERE));
        // alice -> sdn (seen in the block) and sdn -> bob (seen in a flow)
        assertThat(byRule.get(AlertRule.SANCTIONED_DIRECT)).extracting(a -> a.from() + ">" + a.to())
            .containsExactlyInAnyOrder(addr("alice") + ">" + addr("sdn"), addr("sdn") + ">" + addr("bob"));
        // our hot wallet paid the mixer and a tracked mule
        assertThat(byRule.get(AlertRule.OWN_OUTGOING_EXPOSURE)).extracting(Alert::to)
            .containsExactlyInAnyOrder(addr("mixer"), addr("mule2"));
        assertThat(byRule.get(AlertRule.WATCHLIST_MOVEMENT)).extracting(Alert::subject)
            .containsExactlyInAnyOrder(addr("hacker"), addr("sdn"));
        assertThat(registry.get(AlertMetrics.ALERTS_EMITTED).tag("rule", "own-deposit-tainted").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(AlertMetrics.BLOCK_LATENCY).timer().count()).isPositive();
    }

    @Test
    void tokenAmountsUseTheTokensTopicAndBadTokenRecordsAreDeadLettered() {
        TestInputTopic<String, TaintFlow> flows = driver.createInputTopic(Chain.CHAIN.flowsTopic(), new StringSerializer(), TaintSerdes.flows().serializer());
        Entity dep = scenario.labels.get(0);
        int tx = 0;
        for (String token : List.of("USDT", "ODD", "BAD")) {
            TaintFlow f = new TaintFlow(Chain.CHAIN, new Position(500, tx, 0), 1_700_006_000L,
                io.taintwatch.model.LegKind.ERC20, Chain.hash("token-tx-" + tx), addr("mule2"), dep.address(), Chain.token(token),
                java.math.BigInteger.valueOf(2_500_000), List.of(new SourceShare("hack-2025", java.math.BigInteger.valueOf(2_500_000), 3, 0)),
                io.taintwatch.model.PolicyKind.HAIRCUT, FlowKind.TERMINAL, dep, io.taintwatch.model.BalanceBasis.ZERO, List.of());
            tx++;
            flows.pipeInput(f.to().toString(), f);
        }
        Map<String, Alert> byAsset = new HashMap<>();
        alerts.readValuesToList().forEach(a -> {
            AlertSchema.assertValid(a);
            byAsset.put(a.asset().toString(), a);
        });
        Alert usdt = byAsset.get(Chain.token("USDT").toString());
        assertThat(usdt.amount().formatted()).isEqualTo("2.5");
        assertThat(usdt.amount().symbol()).isEqualTo("USDT");
        Alert odd = byAsset.get(Chain.token("ODD").toString());
        assertThat(odd.amount().known()).isFalse();
        assertThat(odd.amount().symbol()).isEqualTo("ODD");
        assertThat(odd.amount().formatted()).isEqualTo("2500000");
        Alert bad = byAsset.get(Chain.token("BAD").toString());
        assertThat(bad.amount().known()).isFalse();
        assertThat(bad.amount().symbol()).isEmpty();
        // the bad value and the bad key went to tokens.dlq, naming their offsets
        assertThat(deadLetters.to("tokens.dlq")).extracting(r -> new String(r.headers().lastHeader(DeadLetterHandler.H_OFFSET).value()))
            .containsExactly("2", "4");
    }

    @Test
    void ingestTimeTravelsInAHeaderFromBlocksAndFromFlowsThatCarryIt() {
        List<KeyValue<String, Alert>> out = run();
        long fromBlocks = out.stream().filter(kv -> kv.value.policy() == null).count(); // rules evaluated on raw blocks
        assertThat(fromBlocks).isPositive();
        assertThat(registry.get(AlertMetrics.INGEST_LATENCY).timer().count()).isEqualTo(fromBlocks);
        // a flow whose producer copied the block's ingest time into the header is measured too
        TaintFlow late = scenario.flows.stream().filter(f -> f.to().equals(addr("other-deposit"))).findFirst().orElseThrow();
        TaintFlow next = new TaintFlow(late.chain(), new Position(999, 0, 0), late.blockTimestamp() + 1000,
            late.legKind(), Chain.hash("late-tx"), late.from(), late.to(), late.asset(), late.amount(), late.shares(), late.policy(),
            late.kind(), late.recipientEntity(), late.senderBasis(), late.paths());
        Headers h = new org.apache.kafka.common.header.internals.RecordHeaders();
        h.add(RecordHeaders.INGEST_TIMESTAMP, "1700000000000".getBytes(StandardCharsets.US_ASCII));
        driver.createInputTopic(Chain.CHAIN.flowsTopic(), new StringSerializer(), TaintSerdes.flows().serializer())
            .pipeInput(new TestRecord<>(next.to().toString(), next, h));
        List<TestRecord<String, Alert>> more = alerts.readRecordsToList();
        assertThat(more).singleElement().satisfies(r -> assertThat(new String(r.headers().lastHeader(RecordHeaders.INGEST_TIMESTAMP).value()))
            .isEqualTo("1700000000000"));
        assertThat(registry.get(AlertMetrics.INGEST_LATENCY).timer().count()).isEqualTo(fromBlocks + 1);
    }

    @Test
    void stateSurvivesInTheNamedStoreAndOutputIsDeterministic() {
        List<KeyValue<String, Alert>> first = run();
        assertThat(driver.getKeyValueStore(AlertsTopology.STATE_STORE).approximateNumEntries()).isPositive();
        // same input, fresh driver: byte-identical alert JSON
        driver.close();
        start();
        List<KeyValue<String, Alert>> second = run();
        assertThat(second.stream().map(kv -> AlertJson.toJson(kv.value)).toList())
            .containsExactlyElementsOf(first.stream().map(kv -> AlertJson.toJson(kv.value)).toList());
        assertThat(new TreeSet<>(latest(first).keySet())).isEqualTo(new TreeSet<>(latest(second).keySet()));
    }

    @Test
    void aForgedTransferInATokenImitatingADeclaredOneFlagsTheLookalikeAndTheMemoryIsChangelogged() {
        run();
        Address usdt = Chain.token("USDT").contract();
        Address fake = Chain.token("FAKE-USDT").contract();
        driver.createInputTopic("token-registry", new StringSerializer(), new ByteArraySerializer()).pipeInput("testnet:" + usdt,
            io.taintwatch.tokens.TokenJson.bytes(new io.taintwatch.tokens.Token(Chain.CHAIN, usdt, "USDT", "Tether USD", 6,
                io.taintwatch.model.TokenStatus.VERIFIED, "", "test list")));
        // ingest read the imitation's metadata; nobody declared it: the alert service judges it as the engine would
        driver.createInputTopic("tokens", new StringSerializer(), new ByteArraySerializer()).pipeInput("testnet:" + fake,
            "{\"symbol\":\"U\u0405D\u0422\",\"name\":\"Tether USD\",\"decimals\":6}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Address lookalike = LookalikeAddresses.of(addr("mule1"), 3, 4, "decoy");
        Chain more = new Chain(scenario.blocks.getLast().number() + 1);
        // the scenario's amounts are dust; a real payment makes mule1 a counterparty of the hacker
        more.block().send("hacker", "mule1", 1_000_000_000_000_000_000L).build();
        more.block().tx().leg(io.taintwatch.model.LegKind.ERC20, addr("hacker"), lookalike, Asset.token(fake),
            java.math.BigInteger.TEN.pow(24)).build();
        TestInputTopic<String, Block> blocks = driver.createInputTopic(Chain.CHAIN.blocksTopic(), new StringSerializer(),
            TaintSerdes.blocks().serializer());
        more.blocks().forEach(b -> blocks.pipeInput("31337", b));

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).filteredOn(a -> a.rule() == io.taintwatch.model.AlertRule.ADDRESS_POISONING).singleElement().satisfies(a -> {
            AlertSchema.assertValid(a);
            assertThat(a.subject()).isEqualTo(lookalike);
            assertThat(a.lookalike().kind()).isEqualTo("counterfeit");
            assertThat(a.lookalike().lookalikeOf()).isEqualTo(addr("mule1"));
            assertThat(a.amount().status()).isEqualTo(io.taintwatch.model.TokenStatus.COUNTERFEIT);
            assertThat(a.reasons()).anyMatch(r -> r.contains("looks like USDT of verified " + usdt));
        });
        assertThat(driver.getKeyValueStore(AlertsTopology.counterpartiesStore(Chain.CHAIN.name())).approximateNumEntries()).isPositive();
        // the memory's every change is in its changelog, whence a restarted service restores it
        assertThat(driver.createOutputTopic("taintwatch-alerts-" + AlertsTopology.counterpartiesStore(Chain.CHAIN.name()) + "-changelog",
            new org.apache.kafka.common.serialization.BytesDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())
            .getQueueSize()).isPositive();
    }
}
