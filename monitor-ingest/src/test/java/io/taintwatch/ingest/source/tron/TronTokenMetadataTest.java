package io.taintwatch.ingest.source.tron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.ingest.BlockBatch;
import io.taintwatch.ingest.TokenMetadata;
import io.taintwatch.ingest.TransientIngestException;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.model.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TRC-20 metadata against the scripted node (real HTTP): {@code eth_call} at {@code latest} of the contracts a range moves,
 * the {@code symbol()} answer being the one java-tron's documentation captured from Nile's USDT.
 */
class TronTokenMetadataTest {
    static final long N = TronSourceReplayTest.N;
    static final Address USDT = TronSourceReplayTest.USDT;
    static final String CALL = "eth_call-" + USDT + "-";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private TronNode node(Map<String, JsonNode> answers) throws Exception {
        TronNode n = new TronNode(() -> answers, N);
        open.add(n);
        return n;
    }

    private TronSource source(TronNode node, boolean tokenMetadata) {
        TronChainConfig cfg = new TronChainConfig(TronSourceReplayTest.TRON, List.of(node.rpcUrl()), List.of(node.httpUrl()), 0, false, Set.of(),
            100, Duration.ofMillis(1), 0, null, null, tokenMetadata, "TRX", 6);
        TronSource s = new TronSource(cfg, new JsonRpcClient(cfg.rpcEndpoints(), TronSourceReplayTest.FAST, metrics),
            new TronHttpClient(cfg.httpEndpoints(), TronSourceReplayTest.FAST, metrics), metrics);
        open.add(s);
        return s;
    }

    private static long calls(TronNode node) {
        return node.methods.stream().filter("eth_call"::equals).count();
    }

    @Test
    void theTrc20TheBlockMovesIsReadAtLatestOnceAndComesWithTrxAsTheNativeAsset() throws Exception {
        TronNode node = node(TronFixtures.recorded(TronSourceReplayTest.DIR));
        TronSource source = source(node, true);

        BlockBatch batch = source.fetch(N, N);

        assertThat(batch.tokens()).containsExactly(new TokenMetadata(TronSourceReplayTest.TRON, null, "TRX", "TRX", 6),
            new TokenMetadata(TronSourceReplayTest.TRON, USDT, "USDT", "Tether USD", 6));
        assertThat(calls(node)).as("symbol, name and decimals of the one TRC-20 contract").isEqualTo(3);
        assertThat(source.fetch(N, N).tokens()).isEqualTo(batch.tokens());
        assertThat(calls(node)).as("cached").isEqualTo(3);
    }

    @Test
    void withoutTokenMetadataNoCallIsMadeAndTheBatchCarriesNone() throws Exception {
        TronNode node = node(TronFixtures.recorded(TronSourceReplayTest.DIR));

        assertThat(source(node, false).fetch(N, N).tokens()).isEmpty();
        assertThat(calls(node)).isZero();
    }

    @Test
    void aFunctionTheContractFailsLeavesThatFieldNullAndTheRestIsPublished() throws Exception {
        Map<String, JsonNode> answers = new HashMap<>(TronFixtures.recorded(TronSourceReplayTest.DIR));
        // what java-tron answers for a call that reverts (JsonRpcInternalException)
        answers.put(CALL + "0x95d89b41", TronFixtures.M.readTree("""
            {"jsonrpc": "2.0", "id": 1, "error": {"code": -32000, "message": "REVERT opcode executed", "data": "0x"}}"""));
        // a call that returns nothing
        answers.put(CALL + "0x313ce567", TronFixtures.M.readTree("\"0x\""));

        List<TokenMetadata> tokens = source(node(answers), true).fetch(N, N).tokens();

        assertThat(tokens).contains(new TokenMetadata(TronSourceReplayTest.TRON, USDT, null, "Tether USD", null));
    }

    @Test
    void aResultThatIsNotHexIsABadAnswerNamingTheTokenAndTheFunction() throws Exception {
        Map<String, JsonNode> answers = new HashMap<>(TronFixtures.recorded(TronSourceReplayTest.DIR));
        answers.put(CALL + "0x313ce567", TronFixtures.M.readTree("{\"decimals\": 6}"));

        assertThatThrownBy(() -> source(node(answers), true).fetch(N, N)).isInstanceOf(TransientIngestException.class)
            .hasMessageContaining("eth_call decimals() of token TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t (0xa614f803b6fd780986a42c78ec9c7f77e6ded13c)")
            .hasMessageContaining("the result is not hex: {\"decimals\":6}");
    }

    @Test
    void aNodeWithoutJsonRpcCallsStopsTheChainNamingTheMethod() throws Exception {
        TronNode node = node(TronFixtures.recorded(TronSourceReplayTest.DIR));
        node.missingMethods.add("eth_call");

        assertThatThrownBy(() -> source(node, true).fetch(N, N)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("permanent error").hasMessageContaining("eth_call");
    }
}
