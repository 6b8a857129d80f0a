package io.taintwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.replay.Cli;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.RecordHeaders;
import io.taintwatch.model.Block;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taintwatch bench --produce-to}: a contiguous chain of block records with the ingest header, plus the seeds and labels. */
class SyntheticProducerIT {
    @Test
    void writesAContiguousStampedChainAndTheReferenceData(@TempDir Path dir) {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, Map.of())) {
            Cli r = Cli.run("bench", "--produce-to", kafka.bootstrapServers(), "--rate", "50x", "--duration", "3s", "--chain", "synthx",
                "--chain-id", "777");
            assertThat(r.exit()).as(r.err()).isZero();
            List<ConsumerRecord<byte[], byte[]>> blocks = readAll(kafka.bootstrapServers(), "blocks.synthx");
            assertThat(blocks).hasSizeGreaterThan(3);
            Block prev = null;
            for (ConsumerRecord<byte[], byte[]> rec : blocks) {
                assertThat(rec.headers().lastHeader(RecordHeaders.INGEST_TIMESTAMP)).isNotNull();
                Block b = BlockCodec.decode(rec.value());
                assertThat(b.chain().id()).isEqualTo(777);
                if (prev != null) {
                    assertThat(b.number()).isEqualTo(prev.number() + 1);
                    assertThat(b.parentHash()).isEqualTo(prev.hash());
                }
                prev = b;
            }
            assertThat(readAll(kafka.bootstrapServers(), "watchlist")).hasSize(7);
            assertThat(readAll(kafka.bootstrapServers(), "labels")).hasSizeGreaterThan(24_000);
            assertThat(r.out()).contains("\"achieved_legs_per_s\"");
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
