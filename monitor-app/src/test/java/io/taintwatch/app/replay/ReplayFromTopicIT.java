package io.taintwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.topology.TaintService;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.ingest.source.etl.EtlExportSource;
import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.labels.ImportMode;
import io.taintwatch.labels.PlainCsvImporter;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.topology.TaintTopologyConfig;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
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
 * On a real (embedded) broker with the live taint engine: a replay over the retained blocks topic gives the same
 * flows as the replay of the export those blocks came from, and leaves every topic, every consumer group and the
 * live engine's stores (their changelog topics) exactly as they were. Then {@code topic dump} and
 * {@code labels import --publish}.
 */
class ReplayFromTopicIT {
    private static final ChainId CHAIN = ChainId.ETHEREUM;
    private static final long T0 = 1_700_000_000L;
    private static EmbeddedKafka kafka;
    @TempDir
    static Path tmp;

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

    /** Every topic's end offsets and every consumer group's committed offsets. */
    private static Map<String, Object> snapshot(Admin admin) throws Exception {
        Map<String, Object> s = new TreeMap<>();
        Set<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(false)).names().get();
        Map<String, TopicDescription> desc = admin.describeTopics(topics).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> req = new java.util.HashMap<>();
        desc.values().forEach(d -> d.partitions().forEach(p -> req.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        admin.listOffsets(req).all().get().forEach((tp, r) -> s.put("end " + tp, r.offset()));
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
            admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get()
                .forEach((tp, o) -> s.put("group " + g.groupId() + " " + tp, o == null ? null : o.offset()));
            s.putIfAbsent("group " + g.groupId(), "present");
        }
        return s;
    }

    private static List<String> jsonLines(Cli r) {
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().lines().filter(l -> l.startsWith("{")).toList();
    }

    @Test
    void replayFromTheTopicLeavesTheLivePipelineUntouched() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        // blocks and flows kept forever, as the pipeline's defaults keep them: the fixture's blocks carry time 0, which a
        // time-based retention check deletes, flows included, between two reads of the topic
        PipelineTopics.defaults().ensure(KafkaClients.plain(bootstrap), List.of(CHAIN));
        Path etl = EtlFixture.export(tmp);
        Path seeds = EtlFixture.seeds(tmp);
        Path labels = EtlFixture.labels(tmp);
        List<AssembledBlock> blocks = EtlExportSource.open(etl, new EtlExportSource.Options(CHAIN, Set.of())).readAll();
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            for (AssembledBlock b : blocks) {
                p.send(new ProducerRecord<>(CHAIN.blocksTopic(), null, b.block().timestamp() * 1000, Long.toString(CHAIN.id()),
                    BlockCodec.encode(b.block()))).get();
                if (b == blocks.get(0)) {
                    // a record that is no block: the live engine dead-letters it, the replay skips it the same way
                    p.send(new ProducerRecord<>(CHAIN.blocksTopic(), Long.toString(CHAIN.id()), "not a block".getBytes(StandardCharsets.UTF_8))).get();
                }
            }
        }

        // the live engine, with the same seed and label, processes the blocks and writes its flows and changelogs
        TaintTopologyConfig live = TaintTopologyConfig.live(CHAIN, TaintConfig.defaults()).withInitial(
            new PlainCsvImporter().read(seeds, PlainCsvImporter.Kind.SEEDS, ImportMode.STRICT).seeds(),
            new PlainCsvImporter().read(labels, PlainCsvImporter.Kind.LABELS, ImportMode.STRICT).entities());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            try (TaintService svc = new TaintService(live, "taintwatch-live-taint", KafkaClients.plain(bootstrap), tmp.resolve("state"),
                new SimpleMeterRegistry()).start()) {
                TopicPartition flows = new TopicPartition(CHAIN.flowsTopic(), 0);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    assertThat(svc.failure()).isNull();
                    return admin.listOffsets(Map.of(flows, OffsetSpec.latest())).all().get().get(flows).offset() >= 4;
                });
            }
            Map<String, Object> before = snapshot(admin);
            assertThat(before).containsKey("group taintwatch-live-taint")
                .anySatisfy((k, v) -> assertThat(k).contains("changelog"));
            List<String> liveFlows = jsonLines(Cli.run("topic", "dump", CHAIN.flowsTopic(), "--bootstrap", bootstrap));
            assertThat(liveFlows).hasSize(4);

            Path fromTopic = tmp.resolve("from-topic");
            Cli r = Cli.run("replay", "--bootstrap", bootstrap, "--from", "100", "--to", "102", "--seeds", seeds.toString(),
                "--labels", labels.toString(), "--out", fromTopic.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("replay: 3 blocks, 6 legs, 4 taint flows, 2 alerts");

            // nothing on the broker moved: no topic written, no group created or committed
            assertThat(snapshot(admin)).isEqualTo(before);
            assertThat(jsonLines(Cli.run("topic", "dump", CHAIN.flowsTopic(), "--bootstrap", bootstrap))).isEqualTo(liveFlows);

            // same engine, same blocks: the topic replay equals the export replay byte for byte
            Path fromExport = tmp.resolve("from-export");
            assertThat(Cli.run("replay", "--etl", etl.toString(), "--seeds", seeds.toString(), "--labels", labels.toString(), "--out",
                fromExport.toString(), "--quiet").exit()).isZero();
            for (String f : ReplayOutputs.FILES) {
                assertThat(Files.readAllBytes(fromTopic.resolve(f))).as(f).isEqualTo(Files.readAllBytes(fromExport.resolve(f)));
            }
            // and the live engine's flows are the replay's flows (same JSON per flow)
            assertThat(liveFlows).isEqualTo(Files.readAllLines(fromTopic.resolve("flows.jsonl")));

            // with --publish-id the replay writes its own topics, and still not the live ones
            Cli published = Cli.run("replay", "--bootstrap", bootstrap, "--from", "100", "--to", "102", "--seeds", seeds.toString(),
                "--labels", labels.toString(), "--out", tmp.resolve("published").toString(), "--publish-id", "case-42");
            assertThat(published.exit()).as(published.err()).isZero();
            assertThat(jsonLines(Cli.run("topic", "dump", ReplayTopics.flowsTopic("case-42", CHAIN.name()), "--bootstrap", bootstrap)))
                .isEqualTo(liveFlows);
            assertThat(Cli.run("topic", "dump", ReplayTopics.alertsTopic("case-42"), "--bootstrap", bootstrap).out().lines()
                .filter(l -> l.startsWith("{")).count()).isEqualTo(2);
            assertThat(jsonLines(Cli.run("topic", "dump", CHAIN.flowsTopic(), "--bootstrap", bootstrap))).isEqualTo(liveFlows);
        }
    }

    @Test
    void topicDumpDecodesBlocksAndPassesJsonThrough() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        ChainId chain = new ChainId(31337, "dumptest");
        // as the pipeline creates blocks topics: the records carry 2023 block times, which a time-based retention check deletes
        kafka.createTopic(chain.blocksTopic(), 1, Map.of("retention.ms", "-1"));
        kafka.createTopic("watchlist-dump", 1, Map.of("cleanup.policy", "compact"));
        Path dir = Files.createDirectories(tmp.resolve("dump"));
        Path etl = EtlFixture.export(dir);
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            for (AssembledBlock a : EtlExportSource.open(etl, new EtlExportSource.Options(chain, Set.of())).readAll()) {
                // the export has no block times: give them 12 s apart, as the ingest would (record time = block time)
                Block b = a.block();
                Block timed = new Block(b.chain(), b.number(), b.hash(), b.parentHash(), T0 + 12 * (b.number() - 100), b.legs(), b.balances());
                p.send(new ProducerRecord<>(chain.blocksTopic(), null, timed.timestamp() * 1000, "31337", BlockCodec.encode(timed))).get();
            }
        }
        Cli dump = Cli.run("topic", "dump", chain.blocksTopic(), "--bootstrap", bootstrap, "--from-block", "101");
        assertThat(dump.exit()).as(dump.err()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<String> lines = dump.out().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).extracting(l -> m.readTree(l).get("number").asLong()).containsExactly(101L, 102L);
        assertThat(m.readTree(lines.get(1)).get("legs")).hasSize(2);
        assertThat(Cli.run("topic", "dump", chain.blocksTopic(), "--bootstrap", bootstrap, "--max", "1").out().lines()
            .filter(l -> l.startsWith("{")).count()).isEqualTo(1);

        // labels import --publish writes JSON seeds keyed by address to the configured topic; the dump passes them through
        Path dumpConfig = java.nio.file.Files.writeString(dir.resolve("dump.properties"), "topics.watchlist=watchlist-dump\n");
        Cli pub = Cli.run("labels", "import", EtlFixture.seeds(dir).toString(), "--format", "csv", "--publish", "--bootstrap", bootstrap,
            "--config", dumpConfig.toString());
        assertThat(pub.exit()).as(pub.err()).isZero();
        assertThat(pub.out()).contains("published 1 seeds to watchlist-dump");
        List<String> seeds = Cli.run("topic", "dump", "watchlist-dump", "--bootstrap", bootstrap).out().lines()
            .filter(l -> l.startsWith("{")).collect(Collectors.toList());
        assertThat(seeds).singleElement().satisfies(l -> assertThat(m.readTree(l).get("address").asText()).isEqualTo(EtlFixture.S));

        // labels diff --publish: upserts for added and changed addresses, tombstones for removed ones
        kafka.createTopic("watchlist-diff", 1, Map.of("cleanup.policy", "compact"));
        Cli diff = Cli.run("labels", "diff", io.taintwatch.testing.SharedData.path("ofac/sdn_csv/sdn_2024-05-03_digital-currency-rows.csv").toString(),
            io.taintwatch.testing.SharedData.path("ofac/sdn_advanced/sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml").toString(),
            "--publish", "--bootstrap", bootstrap, "--config", java.nio.file.Files.writeString(dir.resolve("diff.properties"),
                "topics.watchlist=watchlist-diff\n").toString());
        assertThat(diff.exit()).as(diff.err()).isZero();
        // EVM and Tron addresses (79 and 92 upserts, 12 and 2 tombstones), keyed 0x... and T...
        assertThat(diff.out()).contains("published 171 upserts and 14 tombstones to watchlist-diff");
        List<String> diffRecords = Cli.run("topic", "dump", "watchlist-diff", "--bootstrap", bootstrap).out().lines()
            .filter(l -> l.startsWith("{")).toList();
        assertThat(diffRecords).hasSize(185);
        assertThat(diffRecords.stream().filter(l -> l.endsWith(",\"value\":null}"))).hasSize(14)
            .filteredOn(l -> l.startsWith("{\"key\":\"T")).hasSize(2);
        assertThat(diffRecords).filteredOn(l -> l.startsWith("{\"address\":\"T")).hasSize(92);

        // a replay by block time: only block 101 lies in [T0 + 12 s, T0 + 20 s]
        Path byTime = dir.resolve("by-time");
        Cli timed = Cli.run("replay", "--bootstrap", bootstrap, "--chain", chain.name(), "--chain-id", "31337", "--from-time",
            java.time.Instant.ofEpochSecond(T0 + 12).toString(), "--to-time", java.time.Instant.ofEpochSecond(T0 + 20).toString(),
            "--seeds", EtlFixture.seeds(dir).toString(), "--out", byTime.toString());
        assertThat(timed.exit()).as(timed.err()).isZero();
        assertThat(timed.out()).contains("replay: 1 blocks, 1 legs, 1 taint flows");
        assertThat(Files.readString(byTime.resolve("flows.jsonl"))).contains("\"block\":101", EtlFixture.A3).doesNotContain("\"block\":100");

        Cli missing = Cli.run("topic", "dump", "no-such-topic", "--bootstrap", bootstrap);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("topic no-such-topic does not exist");
    }
}
