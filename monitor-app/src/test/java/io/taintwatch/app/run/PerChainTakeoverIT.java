package io.taintwatch.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.synth.SyntheticChain;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.topology.TaintTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain whose engine ran as an application of its own ({@code <id>-<chain>}, as earlier versions ran every chain) is
 * taken over by the taint application {@code <id>}: the stores come back from the changelogs (which keep their names),
 * the chain continues at the block where its application stopped, and its engine is handed only the reference records
 * it had not read. The per-chain application is produced here as the taint application's first run whose group and
 * internal topics are then renamed the way the per-chain application named them.
 */
class PerChainTakeoverIT {
    static final ChainId CHAIN = new ChainId(7781, "legacy");
    static final String ID = "taintwatch-taint";
    static final String LEGACY = ID + "-" + CHAIN.name();

    @TempDir
    Path dir;

    @Test
    void theTaintApplicationContinuesWhereThePerChainApplicationStoppedAndAppliesNoSeedTwice() throws Exception {
        SyntheticChain synth = new SyntheticChain(CHAIN, new SyntheticChain.Params(7, 5_000, 60, 3, 20, 3, 40_000), 1);
        List<Block> blocks = new ArrayList<>();
        List<Seed> seeds = synth.seeds();
        List<Entity> labels = synth.labels();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, Map.of());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            PipelineConfig settings = settings(kafka.bootstrapServers());
            settings.topics().ensure(settings.kafka(), List.of(CHAIN));
            // a seed published, then withdrawn and published again before the first run: applied once, in that order
            Seed first = seeds.get(0);
            publish(kafka, "watchlist", first.address().toString(), Json.seedBytes(new Seed(first.address(), "withdrawn", Category.THEFT, 0, "")));
            publish(kafka, "watchlist", first.address().toString(), null);
            seeds.forEach(s -> publish(kafka, "watchlist", s.address().toString(), Json.seedBytes(s)));
            labels.forEach(e -> publish(kafka, "labels", e.address().toString(), Json.entityBytes(e)));

            try (Pipeline p = Pipeline.start(settings, EnumSet.of(Pipeline.Part.TAINT), registry())) {
                awaitReferenceApplied(admin);
                feed(kafka, synth, blocks, 80);
                awaitCaughtUp(admin, ID);
            }
            long seedsWritten = endOffset(admin, ID + "-" + TaintTopology.storeName(CHAIN, TaintTopology.SEEDS_STORE) + "-changelog");
            asPerChainApplication(admin);

            // a per-chain application that still runs is refused
            try (KafkaConsumer<byte[], byte[]> member = member(kafka, LEGACY)) {
                assertThatThrownBy(() -> Pipeline.start(settings, EnumSet.of(Pipeline.Part.TAINT), registry()))
                    .hasMessageContaining("the per-chain taint application " + LEGACY + " still runs");
            }

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Pipeline p = Pipeline.start(settings, EnumSet.of(Pipeline.Part.TAINT), new Pipeline.Extras(registry, List.of(), List.of()))) {
                feed(kafka, synth, blocks, 40);
                awaitCaughtUp(admin, ID);
                // no block read twice: the chain continued at the per-chain application's offset
                assertThat(registry.get("taintwatch.taint.blocks").counter().count()).isEqualTo(40);
                assertThat(registry.get("taintwatch.taint.blocks.skipped").counter().count()).isZero();
            }
            // no seed applied again: the watchlist's history was not handed to the engine a second time
            assertThat(endOffset(admin, ID + "-" + TaintTopology.storeName(CHAIN, TaintTopology.SEEDS_STORE) + "-changelog"))
                .isEqualTo(seedsWritten);

            TaintEngine alone = new TaintEngine(CHAIN, settings.taint(), settings.nativeAsset(CHAIN));
            seeds.forEach(alone::putSeed);
            labels.forEach(alone::putLabel);
            List<String> expected = new ArrayList<>();
            blocks.forEach(b -> alone.process(b).flows().forEach(f -> expected.add(HexFormat.of().formatHex(FlowCodec.encode(f)))));
            assertThat(expected).hasSizeGreaterThan(30);
            assertThat(flows(kafka)).containsExactlyElementsOf(expected);
        }
    }

    /**
     * What the taint application left turned into what a per-chain application leaves: its group's offsets under
     * {@code <id>-<chain>}, no group {@code <id>}, no state directory, and only the chain's changelogs (which the
     * per-chain application named as the taint application does), not the reference task's topics.
     */
    private void asPerChainApplication(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>(admin.listConsumerGroupOffsets(ID).partitionsToOffsetAndMetadata().get());
        offsets.keySet().removeIf(tp -> tp.topic().startsWith(ID));
        assertThat(offsets.keySet()).extracting(TopicPartition::topic).contains(CHAIN.blocksTopic(), "watchlist", "labels");
        admin.alterConsumerGroupOffsets(LEGACY, offsets).all().get();
        admin.deleteConsumerGroups(List.of(ID)).all().get();
        admin.deleteTopics(List.of(ID + "-" + TaintTopology.REFERENCE_STORE + "-changelog", ID + "-" + TaintTopology.REFERENCE_CHAINS_STORE
            + "-changelog", TaintTopology.referenceRepartitionTopic(ID, CHAIN))).all().get();
        try (Stream<Path> w = java.nio.file.Files.walk(dir.resolve("state"))) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private PipelineConfig settings(String bootstrap) {
        return new PipelineConfig(TaintwatchConfig.of(Map.of("kafka.bootstrap-servers", bootstrap, "state.dir", dir.resolve("state").toString(),
            "chains", CHAIN.name(), "chain." + CHAIN.name() + ".id", Long.toString(CHAIN.id()), "chain." + CHAIN.name() + ".rpc-urls",
            "http://127.0.0.1:9/unused", "metrics.port", "0", "http.port", "0", "retro.mode", "off")));
    }

    private static Pipeline.Extras registry() {
        return new Pipeline.Extras(new SimpleMeterRegistry(), List.of(), List.of());
    }

    private static void awaitReferenceApplied(Admin admin) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> o = admin.listConsumerGroupOffsets(ID).partitionsToOffsetAndMetadata().get();
            TopicPartition reference = new TopicPartition(TaintTopology.referenceRepartitionTopic(ID, CHAIN), 0);
            return o.containsKey(reference) && o.get(reference).offset() == endOffset(admin, reference.topic())
                && o.containsKey(new TopicPartition("labels", 0)) && o.get(new TopicPartition("labels", 0)).offset() == endOffset(admin, "labels");
        });
    }

    private static void awaitCaughtUp(Admin admin, String group) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(new TopicPartition(CHAIN.blocksTopic(), 0));
            return o != null && o.offset() == endOffset(admin, CHAIN.blocksTopic());
        });
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    private static void feed(EmbeddedKafka kafka, SyntheticChain synth, List<Block> blocks, int n) {
        for (int i = 0; i < n; i++) {
            Block b = synth.next();
            blocks.add(b);
            publish(kafka, CHAIN.blocksTopic(), Long.toString(CHAIN.id()), TaintSerdes.blocks().serializer().serialize(CHAIN.blocksTopic(), b),
                b.timestamp() * 1000);
        }
    }

    private static void publish(EmbeddedKafka kafka, String topic, String key, byte[] value) {
        publish(kafka, topic, key, value, System.currentTimeMillis());
    }

    private static void publish(EmbeddedKafka kafka, String topic, String key, byte[] value, long timestamp) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, null, timestamp, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A member of {@code group}, as a per-chain application that still runs. */
    private static KafkaConsumer<byte[], byte[]> member(EmbeddedKafka kafka, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(CHAIN.blocksTopic()));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            c.poll(Duration.ofMillis(100));
            return !c.assignment().isEmpty();
        });
        return c;
    }

    private static List<String> flows(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(CHAIN.flowsTopic(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            List<String> out = new ArrayList<>();
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(HexFormat.of().formatHex(r.value()));
                }
            }
            return out;
        }
    }
}
