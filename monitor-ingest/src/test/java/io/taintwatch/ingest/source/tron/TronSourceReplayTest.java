package io.taintwatch.ingest.source.tron;

import static io.taintwatch.ingest.source.tron.TronFixtures.addr;
import static io.taintwatch.ingest.source.tron.TronFixtures.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.ingest.InMemoryBlockSink;
import io.taintwatch.ingest.IngestWorker;
import io.taintwatch.ingest.ReorgDetectedException;
import io.taintwatch.ingest.TransientIngestException;
import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.TronAddress;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tron ingest against a scripted java-tron node (real HTTP, both APIs): the recorded block 70,000,000 (a TRX transfer, a
 * USDT transfer, a contract call sending TRX and a TRC-10 token and paying out internal TRX and TRC-10 transfers, a failed
 * USDT transfer, a TRC-10 transfer), a block
 * of hundreds of transactions, the fallback to {@code eth_getLogs}, reorgs and failover.
 */
class TronSourceReplayTest {
    static final ChainId TRON = new ChainId(728126428, "tron", ChainKind.TRON);
    static final long N = 70_000_000;
    static final String DIR = "block-70000000";
    static final RpcSettings FAST = RpcSettings.defaults().withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20)).withTimeout(Duration.ofSeconds(10));

    static final String A = addr("A");
    static final String B = addr("B");
    static final String C = addr("C");
    static final String D = addr("D");
    static final String E = addr("E");
    static final String F = addr("F");
    static final String G = addr("G");
    static final Address USDT = TronAddress.decode("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
    static final Asset TRC10 = Asset.trc10(BigInteger.valueOf(1_002_000));

    private final List<AutoCloseable> open = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestMetrics metrics = new IngestMetrics(registry);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private TronNode node(Map<String, JsonNode> answers, long head) throws Exception {
        TronNode n = new TronNode(() -> answers, head);
        open.add(n);
        return n;
    }

    private TronSource source(List<TronNode> nodes, int confirmations) {
        TronChainConfig cfg = new TronChainConfig(TRON, nodes.stream().map(TronNode::rpcUrl).toList(), nodes.stream().map(TronNode::httpUrl).toList(),
            confirmations, false, Set.of(), 100, Duration.ofMillis(1), 0, null, null);
        TronSource s = new TronSource(cfg, new JsonRpcClient(cfg.rpcEndpoints(), FAST, metrics),
            new TronHttpClient(cfg.httpEndpoints(), FAST, metrics), metrics);
        open.add(s);
        return s;
    }

    static Leg leg(int tx, int sub, LegKind kind, String from, Address to, Asset asset, long amount) {
        return new Leg(new io.taintwatch.model.Position(N, tx, sub), kind, io.taintwatch.model.Hash32.ZERO, address(from), to, asset,
            BigInteger.valueOf(amount));
    }

    /** Legs without their tx hashes, to compare with the expected list. */
    static List<Leg> shape(List<Leg> legs) {
        return legs.stream().map(l -> new Leg(l.position(), l.kind(), io.taintwatch.model.Hash32.ZERO, l.from(), l.to(), l.asset(), l.amount())).toList();
    }

    static final List<Leg> EXPECTED = List.of(
        // tx 0: a TRX transfer and its bandwidth fee
        leg(0, 0, LegKind.NATIVE, A, address(B), Asset.NATIVE, 25_000_000),
        leg(0, 1, LegKind.FEE, A, Address.ZERO, Asset.NATIVE, 267_000),
        // tx 1: a USDT transfer (TriggerSmartContract, Transfer log) and the TRX burnt for its energy and bandwidth
        leg(1, 0, LegKind.ERC20, A, address(C), Asset.token(USDT), 1_000_000_000),
        leg(1, 1, LegKind.FEE, A, Address.ZERO, Asset.NATIVE, 13_844_850),
        // tx 2: a call sending 10 TRX and 500 of TRC-10 token 1002000 (call_token_value) to a contract that pays out 6 and 4
        // TRX and 300 of the token (internal transactions); a rejected payout and a zero-valued call are not legs
        leg(2, 0, LegKind.NATIVE, D, address(E), Asset.NATIVE, 10_000_000),
        leg(2, 1, LegKind.TRC10, D, address(E), TRC10, 500),
        leg(2, 2, LegKind.INTERNAL, E, address(F), Asset.NATIVE, 6_000_000),
        leg(2, 3, LegKind.INTERNAL, E, address(G), Asset.NATIVE, 4_000_000),
        leg(2, 4, LegKind.INTERNAL, E, address(F), TRC10, 300),
        leg(2, 5, LegKind.FEE, D, Address.ZERO, Asset.NATIVE, 2_000_000),
        // tx 3: a USDT transfer sending 3 TRX along, which reverted (transfer is not payable): only its fee
        leg(3, 0, LegKind.FEE, C, Address.ZERO, Asset.NATIVE, 8_000_000),
        // tx 4: a TRC-10 transfer (TransferAssetContract) and its fee; JSON-RPC's value (100) is the TRC-10 amount, not TRX
        leg(4, 0, LegKind.TRC10, A, address(B), TRC10, 100),
        leg(4, 1, LegKind.FEE, A, Address.ZERO, Asset.NATIVE, 268_000));

    @Test
    void theRecordedBlockGivesTrxTrc10AndUsdtTransfersInternalTransfersAndFeesAndAFailedTransactionOnlyItsFee() throws Exception {
        TronNode node = node(TronFixtures.recorded(DIR), N);

        List<Block> blocks = source(List.of(node), 0).fetch(N, N).blocks();

        Block b = blocks.get(0);
        assertThat(b.chain()).isEqualTo(TRON);
        assertThat(b.hash().toString()).isEqualTo("0x00000000042c1d8070b84520fabf20444afcb35ed5452f8759b95d11833204d7");
        assertThat(b.timestamp()).isEqualTo(1_780_000_002L);
        assertThat(shape(b.legs())).containsExactlyElementsOf(EXPECTED);
        assertThat(registry.get(IngestMetrics.NOT_LEGS).tag("what", "rejected_internal").counter().count()).isEqualTo(1);
        assertThat(node.methods).contains("eth_getBlockReceipts", "wallet/getblockbynum", "wallet/gettransactioninfobyblocknum")
            .doesNotContain("eth_getLogs");
    }

    @Test
    void trxAndTrc10BalancesCloseAgainstTheNodesGetaccountAnswers() {
        for (Asset asset : List.of(Asset.NATIVE, TRC10)) {
            Map<Address, BigInteger> before = balances(TronFixtures.resource(DIR, "wallet_getaccount-block-69999999.json"), asset);
            Map<Address, BigInteger> after = balances(TronFixtures.resource(DIR, "wallet_getaccount-block-70000000.json"), asset);
            Map<Address, BigInteger> net = new HashMap<>();
            for (Leg l : EXPECTED) {
                if (l.asset().equals(asset)) {
                    net.merge(l.from(), l.amount().negate(), BigInteger::add);
                    net.merge(l.to(), l.amount(), BigInteger::add);
                }
            }
            assertThat(before.keySet()).hasSize(8);
            for (Address a : before.keySet()) {
                assertThat(before.get(a).add(net.getOrDefault(a, BigInteger.ZERO))).as(asset + " of " + TronAddress.encode(a))
                    .isEqualTo(after.get(a));
            }
        }
    }

    /**
     * {@code /wallet/getaccount} answers: {@code balance} in sun, TRC-10 balances in {@code assetV2} by token id, each left
     * out when zero (protobuf's JSON omits defaults).
     */
    private static Map<Address, BigInteger> balances(JsonNode accounts, Asset asset) {
        Map<Address, BigInteger> m = new HashMap<>();
        for (JsonNode a : accounts) {
            long v = 0;
            if (asset.isNative()) {
                v = a.path("balance").asLong(0);
            } else {
                for (JsonNode e : a.path("assetV2")) {
                    if (e.path("key").asText().equals(asset.tokenId().toString())) {
                        v = e.path("value").asLong();
                    }
                }
            }
            m.put(TronAddress.fromHex(a.get("address").asText()), BigInteger.valueOf(v));
        }
        return m;
    }

    @Test
    void withoutEthGetBlockReceiptsLogsComeFromGetLogsByBlockHashWithTheSameLegs() throws Exception {
        TronNode node = node(TronFixtures.recorded(DIR), N);
        node.missingMethods.add("eth_getBlockReceipts");

        List<Block> blocks = source(List.of(node), 0).fetch(N, N).blocks();

        assertThat(shape(blocks.get(0).legs())).containsExactlyElementsOf(EXPECTED);
        assertThat(node.methods).contains("eth_getLogs");
    }

    @Test
    void aBlockOfHundredsOfTransactionsGivesEveryTransferAndFeeInOrder() throws Exception {
        List<TronFixtures.Chain.Tx> txs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            txs.add(new TronFixtures.Chain.Tx(addr("s" + i), addr("r" + i), 1_000 + i, i % 3 == 0, 345_000));
        }
        TronFixtures.Chain chain = new TronFixtures.Chain().block("main", List.of()).block("main", txs);
        TronNode node = node(chain.answers, 1);

        Block b = source(List.of(node), 0).fetch(1, 1).blocks().get(0);

        assertThat(b.legs()).hasSize(800);
        for (int i = 0; i < 400; i++) {
            Leg value = b.legs().get(2 * i);
            Leg fee = b.legs().get(2 * i + 1);
            assertThat(value.position().txIndex()).isEqualTo(i);
            assertThat(value.kind()).isEqualTo(i % 3 == 0 ? LegKind.ERC20 : LegKind.NATIVE);
            assertThat(value.asset()).isEqualTo(i % 3 == 0 ? Asset.token(USDT) : Asset.NATIVE);
            assertThat(value.from()).isEqualTo(address(addr("s" + i)));
            assertThat(value.to()).isEqualTo(address(addr("r" + i)));
            assertThat(value.amount()).isEqualTo(BigInteger.valueOf(1_000 + i));
            assertThat(fee.kind()).isEqualTo(LegKind.FEE);
            assertThat(fee.amount()).isEqualTo(BigInteger.valueOf(345_000));
        }
    }

    private static TronFixtures.Chain chainOf(int blocks) {
        TronFixtures.Chain c = new TronFixtures.Chain().block("main", List.of());
        for (int n = 1; n < blocks; n++) {
            c.block("main", List.of(new TronFixtures.Chain.Tx(addr("a" + n), addr("b" + n), 100 + n, n % 2 == 0, 1_000)));
        }
        return c;
    }

    @Test
    void theWorkerPublishesConfirmedBlocksAndAReorgWithinTheConfirmationsPublishesNothingWrong() throws Exception {
        TronFixtures.Chain chain = chainOf(30);
        TronNode node = node(chain.answers, 29);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(TRON, source(List.of(node), 5), sink, WorkerSettings.follow(5, 0).withBatchBlocks(10), metrics);
        while (w.step() > 0) {
            // drain
        }
        assertThat(sink.published).extracting(Block::number).containsExactlyElementsOf(LongStream.rangeClosed(0, 24).boxed().toList());

        // blocks 26..29 are replaced (within the 5 confirmations) and the chain grows to 35
        chain.fork(26, "other");
        for (int n = 30; n < 36; n++) {
            chain.block("other", List.of());
        }
        node.head = 35;
        while (w.step() > 0) {
            // drain
        }
        assertThat(sink.published).extracting(Block::number).containsExactlyElementsOf(LongStream.rangeClosed(0, 30).boxed().toList());
        assertThat(sink.published).extracting(b -> b.hash().toString().substring(2))
            .containsExactlyElementsOf(chain.ids.subList(0, 31));
    }

    @Test
    void aReorgDeeperThanTheConfirmationsStopsTheChainNamingBothHashes() throws Exception {
        TronFixtures.Chain chain = chainOf(20);
        TronNode node = node(chain.answers, 19);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(TRON, source(List.of(node), 2), sink, WorkerSettings.follow(2, 0).withBatchBlocks(100), metrics);
        w.step(); // 0..17
        String published17 = chain.ids.get(17);
        chain.fork(15, "other");
        chain.block("other", List.of()).block("other", List.of());
        node.head = 21;

        assertThatThrownBy(w::step).isInstanceOf(TransientIngestException.class);
        assertThatThrownBy(w::step).isInstanceOf(ReorgDetectedException.class)
            .hasMessageContaining("block 18 has parent hash 0x" + chain.ids.get(17))
            .hasMessageContaining("published block 17 has hash 0x" + published17);
        assertThat(sink.published).hasSize(18);
    }

    @Test
    void aFailingNodeIsLeftForTheNextOnBothApisAndEveryBlockIsPublishedOnce() throws Exception {
        TronFixtures.Chain chain = chainOf(12);
        TronNode bad = node(chain.answers, 11);
        bad.fault = (path, n, ex) -> {
            TronNode.respond(ex, 503, "{}");
            return true;
        };
        TronNode good = node(chain.answers, 11);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(TRON, source(List.of(bad, good), 0), sink, WorkerSettings.follow(0, 0).withBatchBlocks(5), metrics);
        while (w.step() > 0) {
            // drain
        }

        assertThat(sink.published).extracting(Block::number).containsExactlyElementsOf(LongStream.rangeClosed(0, 11).boxed().toList());
        assertThat(bad.requestsTo("/jsonrpc")).isPositive();
        assertThat(bad.requests.keySet()).anyMatch(p -> p.startsWith("/wallet/"));
        assertThat(registry.get(IngestMetrics.RPC_FAILOVERS).counters()).isNotEmpty();
    }

    @Test
    void anHttpApiOnAnotherForkThanJsonRpcIsRetriedNotPublished() throws Exception {
        TronFixtures.Chain chain = chainOf(6);
        TronFixtures.Chain other = chainOf(6).fork(3, "other");
        TronNode rpc = node(chain.answers, 5);
        TronNode http = node(other.answers, 5);
        TronChainConfig cfg = new TronChainConfig(TRON, List.of(rpc.rpcUrl()), List.of(http.httpUrl()), 0, false, Set.of(), 100,
            Duration.ofMillis(1), 0, null, null);
        TronSource s = new TronSource(cfg, new JsonRpcClient(cfg.rpcEndpoints(), FAST, metrics),
            new TronHttpClient(cfg.httpEndpoints(), FAST, metrics), metrics);
        open.add(s);

        assertThat(s.fetch(0, 2).blocks()).hasSize(3);
        assertThatThrownBy(() -> s.fetch(3, 5)).isInstanceOf(TransientIngestException.class)
            .hasMessageContaining("block 3 is 0x" + chain.ids.get(3) + " on JSON-RPC but 0x" + other.ids.get(3) + " on the HTTP API");
    }

    @Test
    void aTooLargeHttpAnswerIsABadResponseAndBadCredentialsStopTheChainWithoutShowingTheKey() throws Exception {
        TronFixtures.Chain chain = chainOf(3);
        TronNode node = node(chain.answers, 2);
        TronChainConfig cfg = new TronChainConfig(TRON, List.of(node.rpcUrl()), List.of(node.httpUrl() + "/secret-key-123/?apikey=hunter2"), 0, false,
            Set.of(), 100, Duration.ofMillis(1), 0, null, null);
        TronSource small = new TronSource(cfg, new JsonRpcClient(cfg.rpcEndpoints(), FAST, metrics),
            new TronHttpClient(cfg.httpEndpoints(), FAST.withMaxResponseBytes(64), metrics), metrics);
        open.add(small);
        assertThatThrownBy(() -> small.fetch(1, 1)).isInstanceOf(TransientIngestException.class).hasMessageMatching("(?s).*(declares \\d+ bytes, more than the 64|exceeds the 64).*")
            .message().doesNotContain("secret-key-123").doesNotContain("hunter2");

        node.fault = (path, n, ex) -> {
            if (path.contains("/wallet/")) {
                TronNode.respond(ex, 401, "{\"Error\":\"bad key\"}");
                return true;
            }
            return false;
        };
        TronSource denied = source(List.of(node), 0);
        TronSource keyed = new TronSource(cfg, new JsonRpcClient(cfg.rpcEndpoints(), FAST, metrics),
            new TronHttpClient(cfg.httpEndpoints(), FAST, metrics), metrics);
        open.add(keyed);
        assertThatThrownBy(() -> denied.fetch(1, 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 401");
        assertThatThrownBy(() -> keyed.fetch(1, 1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("HTTP 401 (check the endpoint's credentials or API key)").hasMessageContaining("/***?***")
            .message().doesNotContain("secret-key-123").doesNotContain("hunter2");
    }
}
