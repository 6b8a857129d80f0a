package io.taintwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.Devnet.Tx;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Two chains at once, each with its own node, chain id, confirmations and topic, through one service and one broker. */
class IngestServiceIT {
    @Test
    void twoChainsAreFollowedIndependentlyIntoTheirOwnTopics() throws Exception {
        try (Anvil a = Anvil.builder().accounts(2).chainId(31337).start();
             Anvil b = Anvil.builder().accounts(2).chainId(31338).start();
             EmbeddedKafka kafka = EmbeddedKafka.start()) {
            ChainId ca = new ChainId(31337, "alpha");
            ChainId cb = new ChainId(31338, "beta");
            for (Anvil node : List.of(a, b)) {
                Devnet d = Devnet.connect(node);
                for (int i = 0; i < 4; i++) {
                    d.transact(Tx.transfer(d.devAccounts().get(0), Devnet.address(d.devAccounts().get(1)), BigInteger.valueOf(100 + i)), "send");
                }
            }
            EvmChainConfig alpha = new EvmChainConfig(ca, List.of(a.rpcUrl()), 0, false, "ETH", 18, Set.of(), TraceMode.CALL_TRACER, false, true, 2,
                Duration.ofMillis(20), 1, null, null);
            EvmChainConfig beta = new EvmChainConfig(cb, List.of(b.rpcUrl()), 2, false, "BNB", 18, Set.of(), TraceMode.TRACE_BLOCK, false, true, 3,
                Duration.ofMillis(20), 1, null, null);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            long headA = a.blockNumber();
            long safeB = b.blockNumber() - 2;
            try (IngestService s = IngestService.start(new IngestConfig(KafkaSinkConfig.defaults(kafka.bootstrapServers()), RpcSettings.defaults(),
                    List.of(alpha, beta)), new IngestMetrics(registry))) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    TopicReader.readAll(kafka.bootstrapServers(), ca.blocksTopic()).size() >= headA
                        && TopicReader.readAll(kafka.bootstrapServers(), cb.blocksTopic()).size() >= safeB);
                assertThat(s.failures()).isEmpty();
            }
            List<Block> as = TopicReader.readAll(kafka.bootstrapServers(), ca.blocksTopic()).stream().map(r -> BlockCodec.decode(r.value())).toList();
            List<Block> bs = TopicReader.readAll(kafka.bootstrapServers(), cb.blocksTopic()).stream().map(r -> BlockCodec.decode(r.value())).toList();
            assertThat(as).extracting(Block::number).containsExactlyElementsOf(LongStream.rangeClosed(1, headA).boxed().toList());
            assertThat(bs).extracting(Block::number).containsExactlyElementsOf(LongStream.rangeClosed(1, safeB).boxed().toList());
            assertThat(as).allSatisfy(x -> assertThat(x.chain()).isEqualTo(ca));
            assertThat(bs).allSatisfy(x -> assertThat(x.chain()).isEqualTo(cb));
            assertThat(as.stream().flatMap(x -> x.legs().stream()).filter(l -> l.kind() == LegKind.NATIVE)).hasSize(4);
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "tokens")).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .contains("alpha:native", "beta:native");
            assertThat(registry.get(IngestMetrics.LAST_PUBLISHED_BLOCK).tag("chain", "beta").gauge().value()).isGreaterThanOrEqualTo(safeB);
        }
    }
}
