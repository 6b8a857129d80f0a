package io.taintwatch.app.retro;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.app.replay.Cli;
import io.taintwatch.app.run.Pipeline;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.app.run.Pipeline.Part;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRetro;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live app on a real (embedded) broker: the taint engine and the alert service process a hand-made chain in which
 * S, not yet sanctioned, paid A1, which deposited it all at X, an exchange deposit address. Then S is designated and
 * published on the watchlist: in {@code trigger} mode a retro-screening replays the blocks before the engine picked S
 * up and publishes retroactive alerts (with the designation date and the path S -> A1 -> X) that duplicate no live
 * alert. After a restart in {@code offer} mode S is not screened again; a new seed C is offered, listed and run with
 * {@code taintwatch retro run}.
 */
class RetroScreeningIT {
    private static final ChainId CHAIN = ChainId.ETHEREUM;
    private static final long T0 = 1_700_000_000L;
    private static final BigInteger ETH = BigInteger.TEN.pow(18);
    private static final Address S = addr("51");
    private static final Address A1 = addr("a1");
    private static final Address A2 = addr("a2");
    private static final Address A3 = addr("a3");
    private static final Address X = addr("e5");
    private static final Address B = addr("b0");
    private static final Address C = addr("c0");
    private static EmbeddedKafka kafka;
    @TempDir
    static Path tmp;

    private static Address addr(String b) {
        return Address.parse("0x" + b.repeat(20));
    }

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Hash32 hash(long n) {
        return Hash32.parse("0x" + String.format("%064x", n + 0xb10c000L));
    }

    private static Hash32 tx(int n) {
        return Hash32.parse("0x" + String.format("%064x", n + 0x7e000L));
    }

    private static Leg leg(long block, int txIndex, int tx, Address from, Address to, long eth) {
        return new Leg(new Position(block, txIndex, 0), LegKind.NATIVE, tx(tx), from, to, Asset.NATIVE, ETH.multiply(BigInteger.valueOf(eth)));
    }

    private static Block block(long n, Leg... legs) {
        return new Block(CHAIN, n, hash(n), hash(n - 1), T0 + 12 * (n - 100), List.of(legs), null);
    }

    private static Properties config(String mode) {
        Properties p = new Properties();
        p.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("state.dir", tmp.resolve("state").toString());
        p.put("chains", "ethereum");
        p.put("chain.ethereum.id", "1");
        p.put("chain.ethereum.rpc-urls", "http://127.0.0.1:9/unused");
        p.put("http.port", "0");
        p.put("metrics.port", "0");
        p.put("retro.mode", mode);
        return p;
    }

    private static PipelineConfig settings(String mode, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        config(mode).forEach((k, v) -> m.put(k.toString(), v.toString()));
        m.putAll(extra);
        return new PipelineConfig(TaintwatchConfig.of(m));
    }

    private Pipeline start(String mode) throws Exception {
        return Pipeline.start(settings(mode, Map.of()), EnumSet.of(Part.TAINT, Part.ALERTS));
    }

    private static void send(String topic, String key, long tsSeconds, byte[] value) throws Exception {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, null, tsSeconds * 1000, key, value)).get();
        }
    }

    private static void sendBlocks(Block... blocks) throws Exception {
        for (Block b : blocks) {
            send(CHAIN.blocksTopic(), Long.toString(CHAIN.id()), b.timestamp(), BlockCodec.encode(b));
        }
    }

    /** Waits until the live engine has committed its processing of the blocks topic up to {@code offset}. */
    private static void awaitEngineAt(Admin admin, Pipeline rt, long offset) {
        TopicPartition tp = new TopicPartition(CHAIN.blocksTopic(), 0);
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(rt.alive()).as("every part of the runtime is alive").isTrue();
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(settings("offer", Map.of()).taintApplicationId()).partitionsToOffsetAndMetadata().get().get(tp);
            return o != null && o.offset() >= offset;
        });
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    private static RetroLedger ledger() {
        return RetroLedger.load(KafkaClients.plain(kafka.bootstrapServers()), "retro-screenings");
    }

    /** Every record of a topic (committed), as key -> list of values in order. */
    private static List<Map.Entry<String, String>> records(String topic) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        CompactedTopics.readAll(KafkaClients.plain(kafka.bootstrapServers()), topic, r -> out.add(Map.entry(new String(r.key(), StandardCharsets.UTF_8),
            r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8))));
        return out;
    }

    private static List<Alert> alerts() {
        return records("alerts").stream().map(e -> AlertSchema.assertValidJson(e.getValue())).toList();
    }

    private static Screening screeningOf(RetroLedger l, Address a) {
        return l.screenings().stream().filter(s -> s.addresses().contains(a)).findFirst().orElse(null);
    }

    @Test
    void aNewSeedIsScreenedOverThePastOnceAndItsAlertsAreRetroactive() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            kafka.createTopic("tokens", 1, Map.of("cleanup.policy", "compact"));
            Block b100 = block(100, leg(100, 0, 1, S, A1, 10), leg(100, 1, 2, C, B, 1));
            Block b101 = block(101, leg(101, 0, 3, A1, X, 10), leg(101, 1, 4, C, X, 2));
            Block b102 = block(102, leg(102, 0, 5, S, A2, 5));
            Block b103 = block(103, leg(103, 0, 6, S, A3, 3));
            Block b104 = block(104, leg(104, 0, 7, A3, X, 3));
            Seed s = new Seed(S, "ofac:90001", Category.SANCTIONS, 0, "OFAC SDN 90001 Test Party | DPRK3 | designated 2019-09-13 | list 2025-11-19");
            Screening first;

            // ---- phase 1: trigger mode; the past of S is screened as soon as the engine picks S up
            try (Pipeline rt = start("trigger")) {
                // the label and the first blocks: nothing is a seed yet, nothing is alerted live
                send("labels", X.toString(), T0 - 60, Json.entityBytes(new Entity(X, "Example Exchange", Category.EXCHANGE_DEPOSIT, "test", 100)));
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> endOffset(admin, "taintwatch-taint-ethereum-taint-labels-changelog") > 0);
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> ledger().cursor("ethereum") != null);
                sendBlocks(b100, b101, b102);
                awaitEngineAt(admin, rt, 3);

                // S is designated: the engine applies it from block 103, the screening replays 100..102 (clamped from 0)
                send("watchlist", S.toString(), b102.timestamp() + 1, Json.seedBytes(s));
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
                    Screening sc = screeningOf(ledger(), S);
                    return sc != null && sc.state() == Screening.State.DONE;
                });
                first = screeningOf(ledger(), S);
                assertThat(first.pickupBlock()).isEqualTo(103);
                assertThat(first.requestedFrom()).isZero();
                assertThat(first.fromBlock()).as("clamped to the first retained block").isEqualTo(100);
                assertThat(first.toBlock()).isEqualTo(102);
                assertThat(first.note()).contains("retains blocks from 100 only");
                assertThat(first.blocks()).isEqualTo(3);

                // then the chain goes on: S pays A3, A3 deposits at X, which the live pipeline alerts on
                sendBlocks(b103, b104);
                awaitEngineAt(admin, rt, 5);
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> alerts().stream()
                    .anyMatch(a -> !a.retroactive() && a.rule() == AlertRule.TAINTED_TO_EXCHANGE && a.from().equals(A3)));
                assertThat(rt.registry().get(RetroMetrics.SCREENINGS).tag("state", "running").counter().count()).isEqualTo(1.0);
                assertThat(rt.registry().get(RetroMetrics.SCREENINGS).tag("state", "done").counter().count()).isEqualTo(1.0);
            }

            List<Alert> all = alerts();
            List<Alert> retro = all.stream().filter(a -> a.retroactive() && a.retro().screeningId().equals(first.id())).toList();
            List<Alert> live = all.stream().filter(a -> !a.retroactive()).toList();
            assertThat(retro).extracting(a -> a.rule().label()).containsExactlyInAnyOrder("sanctioned-direct-exposure",
                "sanctioned-direct-exposure", "watchlist-movement", "tainted-to-exchange");
            assertThat(retro).allSatisfy(a -> {
                assertThat(a.retro().designatedAt()).isEqualTo(LocalDate.of(2019, 9, 13));
                assertThat(a.retro().basis()).isEqualTo(AlertRetro.BASIS_DESIGNATION);
                assertThat(a.retro().fromBlock()).isEqualTo(100);
                assertThat(a.retro().toBlock()).isEqualTo(102);
                assertThat(a.retro().seeds()).containsExactly(S);
                assertThat(a.lastSeen().block()).as("retro alerts are about blocks before the pickup").isLessThan(103);
                assertThat(a.dedupKey()).startsWith("retro|" + first.id() + "|");
            });
            Alert deposit = retro.stream().filter(a -> a.rule() == AlertRule.TAINTED_TO_EXCHANGE).findFirst().orElseThrow();
            assertThat(deposit.to()).isEqualTo(X);
            assertThat(deposit.path().source()).isEqualTo(S);
            assertThat(deposit.path().hops()).extracting(h -> h.from() + ">" + h.to()).containsExactly(S + ">" + A1, A1 + ">" + X);
            assertThat(deposit.sources()).singleElement().satisfies(src -> assertThat(src.sourceId()).isEqualTo("ofac:90001"));
            assertThat(deposit.tainted().raw()).isEqualTo(ETH.multiply(BigInteger.TEN));
            assertThat(retro.stream().filter(a -> a.rule() == AlertRule.WATCHLIST_MOVEMENT).findFirst().orElseThrow().count()).isEqualTo(2);

            // live saw S from block 103 on; nothing retro duplicates a live alert (not its id, not its leg)
            assertThat(live).extracting(a -> a.rule().label()).containsExactlyInAnyOrder("sanctioned-direct-exposure", "watchlist-movement",
                "tainted-to-exchange");
            assertThat(live).allSatisfy(a -> assertThat(a.firstSeen().block()).isGreaterThanOrEqualTo(103));
            assertThat(retro).extracting(Alert::id).doesNotContainAnyElementsOf(live.stream().map(Alert::id).toList());
            assertThat(retro).extracting(Alert::legId).doesNotContainAnyElementsOf(live.stream().map(Alert::legId).toList());
            int retroRecords = (int) records("alerts").stream().filter(e -> retro.stream().anyMatch(a -> a.id().equals(e.getKey()))).count();
            assertThat(retroRecords).as("each retroactive alert is published once, in its final version").isEqualTo(retro.size());

            // ---- phase 2: restart in offer mode; S is known, C is new and offered
            try (Pipeline rt = start("offer")) {
                awaitEngineAt(admin, rt, 5);
                // records in the seeds changelog that the engine did not write: dead-lettered, and the screener goes on
                String changelog = "taintwatch-taint-ethereum-taint-seeds-changelog";
                try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                    raw.send(new ProducerRecord<>(changelog, new byte[19], "x".getBytes())).get();
                    raw.send(new ProducerRecord<>(changelog, C.toBytes(), "not a seed".getBytes())).get();
                }
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> records(changelog + ".dlq").size() == 2);
                send("watchlist", C.toString(), b104.timestamp() + 1, Json.seedBytes(new Seed(C, "case-42", Category.THEFT, 0, "case 42")));
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> screeningOf(ledger(), C) != null);
                Screening offer = screeningOf(ledger(), C);
                assertThat(offer.state()).isEqualTo(Screening.State.OFFERED);
                assertThat(offer.pickupBlock()).isEqualTo(105);
                assertThat(offer.fromBlock()).isEqualTo(100);
                assertThat(offer.toBlock()).isEqualTo(104);
                assertThat(offer.seeds().get(0).designationBasis()).isEqualTo(AlertRetro.BASIS_FIRST_SEEN);
                // the watchlist record's time (the engine's changelog keeps it) is when C was first seen
                assertThat(offer.seeds().get(0).designatedAt()).isEqualTo(LocalDate.of(2023, 11, 14));
                assertThat(rt.registry().get(RetroMetrics.SCREENINGS).tag("state", "offered").counter().count()).isEqualTo(1.0);
                assertThat(rt.registry().get(RetroMetrics.SCREENINGS).tag("state", "running").counter().count())
                    .as("S was not screened again after the restart").isZero();
            }
            // S's screening was written exactly twice (running, done): never re-run
            assertThat(records("retro-screenings").stream().filter(e -> e.getKey().equals("screening|" + first.id()))).hasSize(2);
            assertThat(alerts().stream().filter(a -> a.retroactive() && a.retro().screeningId().equals(first.id()))).hasSize(retro.size());

            // the offer is listed and accepted with the CLI (the service need not run)
            Path cfg = tmp.resolve("taintwatch.properties");
            try (var w = Files.newBufferedWriter(cfg)) {
                config("offer").store(w, null);
            }
            Screening offer = screeningOf(ledger(), C);
            Cli list = Cli.run("retro", "list", "--config", cfg.toString());
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).contains(offer.id() + "\toffered\t105\t100..104\t" + C + " (case-42)\t2023-11-14 first-seen")
                .contains(first.id() + "\tdone\t103\t100..102");
            Cli run = Cli.run("retro", "run", "--id", offer.id(), "--config", cfg.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("retro-screening " + offer.id() + " done: 5 blocks", "2 retroactive alerts");
            // the commit returns before its markers make the records readable (read_committed): wait for them
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ledger().screening(offer.id()).state() == Screening.State.DONE);
            List<Alert> ofC = alerts().stream().filter(a -> a.retroactive() && a.retro().screeningId().equals(offer.id())).toList();
            assertThat(ofC).extracting(a -> a.rule().label()).containsExactlyInAnyOrder("watchlist-movement", "tainted-to-exchange");
            assertThat(ofC).allSatisfy(a -> {
                assertThat(a.retro().basis()).isEqualTo(AlertRetro.BASIS_FIRST_SEEN);
                assertThat(a.sources()).extracting(src -> src.sourceId()).containsOnly("case-42");
            });
            assertThat(ofC.stream().filter(a -> a.rule() == AlertRule.TAINTED_TO_EXCHANGE).findFirst().orElseThrow().path().hops())
                .extracting(h -> h.from() + ">" + h.to()).containsExactly(C + ">" + X);

            // a done screening is not run again by accident
            Cli again = Cli.run("retro", "run", "--id", offer.id(), "--config", cfg.toString());
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("is done (2 alerts); --force runs it again");
            Cli unknown = Cli.run("retro", "run", "--id", "ethereum-1-00000000", "--config", cfg.toString());
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("no retro-screening 'ethereum-1-00000000'");
            assertThat(alerts().stream().filter(a -> a.retroactive()).map(Alert::id).collect(Collectors.toSet())).hasSize(retro.size() + 2);

            // a look-back in time is resolved on the blocks topic (blocks 100..104 are 12 s apart)
            RetroPlanner.Lookback byTime = settings("offer", Map.of("retro.lookback.duration", "PT30S")).retro(CHAIN).lookback();
            assertThat(byTime).isInstanceOf(TopicLookback.class);
            assertThat(byTime.from(105)).as("block 104 at T0+48 s, minus 30 s: the first block at or after T0+18 s").isEqualTo(102);
            assertThat(byTime.from(103)).as("block 102 at T0+24 s, minus 30 s: before the first retained block").isEqualTo(100);
            assertThat(byTime.from(101)).isEqualTo(100);
            assertThat(byTime.from(200)).as("block 199 is not retained: nothing to screen").isEqualTo(200);
        }
    }
}
