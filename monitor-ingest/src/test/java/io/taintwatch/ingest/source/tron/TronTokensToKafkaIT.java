package io.taintwatch.ingest.source.tron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.ingest.IngestWorker;
import io.taintwatch.ingest.TopicReader;
import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaBlockSink;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.model.Block;
import io.taintwatch.model.LegKind;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recorded Tron block through the worker and the Kafka sink into a real broker: the block record with its TRC-10 legs,
 * and in the same transaction the metadata of TRX and of the TRC-20 contract it moved, in the tokens topic.
 */
class TronTokensToKafkaIT {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void theBlockWithItsTrc10LegsAndTheMetadataOfTrxAndUsdtAreCommittedTogether() throws Exception {
        long n = TronSourceReplayTest.N;
        IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
        KafkaSinkConfig sinkConfig = new KafkaSinkConfig(KafkaClients.plain(kafka.bootstrapServers()), "cp-tron", "tokens-tron", "test-ingest-", true);
        try (TronNode node = new TronNode(() -> TronFixtures.recorded(TronSourceReplayTest.DIR), n);
             KafkaBlockSink sink = new KafkaBlockSink(TronSourceReplayTest.TRON, sinkConfig, BlockCodec::encode, metrics)) {
            TronChainConfig cfg = new TronChainConfig(TronSourceReplayTest.TRON, List.of(node.rpcUrl()), List.of(node.httpUrl()), 0, false, Set.of(),
                10, Duration.ofMillis(1), n, null, null, true, "TRX", 6);
            try (TronSource source = new TronSource(cfg, new JsonRpcClient(cfg.rpcEndpoints(), TronSourceReplayTest.FAST, metrics),
                new TronHttpClient(cfg.httpEndpoints(), TronSourceReplayTest.FAST, metrics), metrics)) {
                IngestWorker w = new IngestWorker(TronSourceReplayTest.TRON, source, sink, WorkerSettings.follow(0, n), metrics);
                assertThat(w.step()).isEqualTo(1);
            }
        }

        // a commit becomes visible to read_committed readers once its markers are written, just after commitTransaction returns
        await().untilAsserted(() -> assertThat(TopicReader.readAll(kafka.bootstrapServers(), TronSourceReplayTest.TRON.blocksTopic())).hasSize(1));
        List<ConsumerRecord<byte[], byte[]>> blocks = TopicReader.readAll(kafka.bootstrapServers(), TronSourceReplayTest.TRON.blocksTopic());
        assertThat(blocks).singleElement().satisfies(r -> {
            Block b = BlockCodec.decode(r.value());
            assertThat(TronSourceReplayTest.shape(b.legs())).containsExactlyElementsOf(TronSourceReplayTest.EXPECTED);
            assertThat(b.legs()).filteredOn(l -> l.kind() == LegKind.TRC10).hasSize(2);
        });
        await().untilAsserted(() -> assertThat(TopicReader.readAll(kafka.bootstrapServers(), "tokens-tron")).hasSize(2));
        List<ConsumerRecord<byte[], byte[]>> tokens = TopicReader.readAll(kafka.bootstrapServers(), "tokens-tron");
        assertThat(tokens).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
            .containsExactly("tron:native", "tron:0xa614f803b6fd780986a42c78ec9c7f77e6ded13c");
        // stamped with the block's time, so that a reader ordering by time meets the metadata no later than the block
        assertThat(tokens).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(blocks.get(0).timestamp()));
        Token usdt = TokenJson.parseObserved(tokens.get(1).value());
        assertThat(usdt.address()).isEqualTo(TronSourceReplayTest.USDT);
        assertThat(List.of(usdt.symbol(), usdt.name(), usdt.decimals())).containsExactly("USDT", "Tether USD", 6);
        assertThat(usdt.chain()).isEqualTo(TronSourceReplayTest.TRON);
    }
}
