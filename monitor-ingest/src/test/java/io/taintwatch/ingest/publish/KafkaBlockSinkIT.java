package io.taintwatch.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.RecordHeaders;
import io.taintwatch.ingest.BlockBatch;
import io.taintwatch.ingest.IngestWorker;
import io.taintwatch.ingest.IngestWorkerTest;
import io.taintwatch.ingest.TokenMetadata;
import io.taintwatch.ingest.TopicReader;
import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blocks and checkpoints through a real broker: one transaction each batch, resume after restart and after a crash. */
class KafkaBlockSinkIT {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static KafkaSinkConfig config(String checkpoints) {
        return new KafkaSinkConfig(io.taintwatch.kafka.KafkaClients.plain(kafka.bootstrapServers()), checkpoints, "tokens", "test-ingest-", true);
    }

    static List<Block> published(ChainId chain) {
        return TopicReader.readAll(kafka.bootstrapServers(), chain.blocksTopic()).stream().map(r -> BlockCodec.decode(r.value())).toList();
    }

    @Test
    void blocksArePublishedWithChainKeyAndBlockTimeAndResumeAfterRestart() {
        ChainId chain = new ChainId(1, "restartchain");
        IngestWorkerTest.FakeChain fake = new IngestWorkerTest.FakeChain(40);
        fake.head = 19;
        try (KafkaBlockSink sink = new KafkaBlockSink(chain, config("cp-restart"), BlockCodec::encode, IngestMetrics.noop())) {
            assertThat(sink.checkpoint()).isEmpty();
            IngestWorker w = new IngestWorker(chain, fake, sink, WorkerSettings.follow(0, 0).withBatchBlocks(8), IngestMetrics.noop());
            while (w.step() > 0) {
                // up to the head
            }
        }
        fake.head = 39;
        try (KafkaBlockSink sink = new KafkaBlockSink(chain, config("cp-restart"), BlockCodec::encode, IngestMetrics.noop())) {
            assertThat(sink.checkpoint()).hasValueSatisfying(c -> assertThat(c.number()).isEqualTo(19));
            IngestWorker w = new IngestWorker(chain, fake, sink, WorkerSettings.follow(0, 0).withBatchBlocks(8), IngestMetrics.noop());
            assertThat(w.nextBlock()).isEqualTo(20);
            while (w.step() > 0) {
                // to the end
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.bootstrapServers(), chain.blocksTopic());
        assertThat(records).allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("1"));
        assertThat(records).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(BlockCodec.decode(r.value()).timestamp() * 1000));
        assertThat(published(chain)).extracting(Block::number).containsExactlyElementsOf(LongStream.range(0, 40).boxed().toList());
    }

    @Test
    void tokenMetadataAndBlocksCommitTogetherAndAnAbortedBatchLeavesNeither() throws Exception {
        KafkaSinkConfig cfg = new KafkaSinkConfig(io.taintwatch.kafka.KafkaClients.plain(kafka.bootstrapServers()), "cp-tokens", "tokens-it", "test-ingest-", true);
        ChainId chain = new ChainId(1, "tokenchain");
        Address usdt = Address.parse("0xdac17f958d2ee523a2206206994597c13d831ec7");
        Address dai = Address.parse("0x6b175474e89094c44da98b954eedeac495271d0f");
        TokenMetadata usdtMeta = new TokenMetadata(chain, usdt, "USDT", "Tether USD", 6);
        TokenMetadata nativeMeta = new TokenMetadata(chain, null, "ETH", "ETH", 18);
        IngestWorkerTest.FakeChain fake = new IngestWorkerTest.FakeChain(10);
        AtomicBoolean failOnBlock3 = new AtomicBoolean(true);
        BlockEncoder encoder = b -> {
            if (failOnBlock3.get() && b.number() == 3) {
                throw new IllegalArgumentException("block 3 does not encode");
            }
            return BlockCodec.encode(b);
        };
        BlockBatch first = new BlockBatch(fake.blocks.subList(0, 5), List.of(usdtMeta, nativeMeta));
        try (KafkaBlockSink tokenSink = new KafkaBlockSink(chain, "blocks.tokenchain", cfg, encoder, IngestMetrics.noop())) {
            // both token records and blocks 0..2 go into the transaction, then block 3 fails: the transaction is aborted
            // (whether the producer had sent them to the broker before the abort or not)
            assertThatThrownBy(() -> tokenSink.publish(first)).hasMessageContaining("rolled back");
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "tokens-it")).isEmpty();
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "blocks.tokenchain")).isEmpty();

            failOnBlock3.set(false);
            tokenSink.publish(first);
            // once the commit is visible, the aborted records stay invisible: each token and each block exactly once
            await().untilAsserted(() -> assertThat(TopicReader.readAll(kafka.bootstrapServers(), "blocks.tokenchain")).hasSize(5));
            List<ConsumerRecord<byte[], byte[]>> rs = TopicReader.readAll(kafka.bootstrapServers(), "tokens-it");
            assertThat(rs).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("tokenchain:" + usdt, "tokenchain:native");
            assertThat(new String(rs.get(0).value(), StandardCharsets.UTF_8)).contains("\"symbol\":\"USDT\"").contains("\"decimals\":6");
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "blocks.tokenchain")).extracting(r -> BlockCodec.decode(r.value()).number())
                .containsExactly(0L, 1L, 2L, 3L, 4L);

            // metadata already committed is not written again; new metadata is
            tokenSink.publish(new BlockBatch(fake.blocks.subList(5, 7), List.of(usdtMeta, nativeMeta, new TokenMetadata(chain, dai, "DAI", "Dai", 18))));
            await().untilAsserted(() -> assertThat(TopicReader.readAll(kafka.bootstrapServers(), "tokens-it"))
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("tokenchain:" + usdt, "tokenchain:native", "tokenchain:" + dai));
        }
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "tokens-it");
            assertThat(admin.describeConfigs(List.of(res)).all().get().get(res).get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void aBlockOfUnknownTimeIsStampedWithItsOwnTimeZeroNotTheClock() {
        ChainId chain = new ChainId(1, "timelesschain");
        Block timeless = new Block(chain, 0, Hash32.ZERO, Hash32.ZERO, 0, List.of(), null);
        try (KafkaBlockSink sink = new KafkaBlockSink(chain, config("cp-timeless"), BlockCodec::encode, IngestMetrics.noop())) {
            sink.publish(List.of(timeless));
        }
        // a commit becomes visible to read_committed readers once its markers are written, just after commitTransaction returns
        await().untilAsserted(() -> assertThat(TopicReader.readAll(kafka.bootstrapServers(), chain.blocksTopic())).hasSize(1));
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(kafka.bootstrapServers(), chain.blocksTopic());
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.timestamp()).isZero();
            assertThat(r.headers().lastHeader(RecordHeaders.INGEST_TIMESTAMP)).as("when ingest published it").isNotNull();
        });
    }

    @Test
    void aCrashMidTransactionLeavesEveryBlockExactlyOnceAfterRestart() {
        ChainId chain = new ChainId(1, "crashchain");
        IngestWorkerTest.FakeChain fake = new IngestWorkerTest.FakeChain(30);
        fake.head = 9;
        try (KafkaBlockSink sink = new KafkaBlockSink(chain, config("cp-crash"), BlockCodec::encode, IngestMetrics.noop())) {
            new IngestWorker(chain, fake, sink, WorkerSettings.follow(0, 0).withBatchBlocks(5), IngestMetrics.noop()).step();
        }
        // a worker that dies after writing blocks 5..12 inside its transaction: same transactional id, never commits
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-ingest-" + chain.name());
        KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        zombie.initTransactions();
        zombie.beginTransaction();
        for (int n = 5; n <= 12; n++) {
            zombie.send(new ProducerRecord<>(chain.blocksTopic(), "1".getBytes(StandardCharsets.UTF_8), BlockCodec.encode(fake.blocks.get(n))));
        }
        zombie.flush();
        // restart: the new sink fences the zombie, its open transaction is aborted, and the checkpoint says 4
        fake.head = 29;
        try (KafkaBlockSink sink = new KafkaBlockSink(chain, config("cp-crash"), BlockCodec::encode, IngestMetrics.noop())) {
            assertThat(sink.checkpoint()).hasValueSatisfying(c -> assertThat(c.number()).isEqualTo(4));
            IngestWorker w = new IngestWorker(chain, fake, sink, WorkerSettings.follow(0, 0).withBatchBlocks(7), IngestMetrics.noop());
            while (w.step() > 0) {
                // to the head
            }
        } finally {
            zombie.close(java.time.Duration.ZERO);
        }
        assertThat(published(chain)).extracting(Block::number).containsExactlyElementsOf(LongStream.range(0, 30).boxed().toList());
    }
}
