package io.taintwatch.ingest.source.rpc;

import static io.taintwatch.embedded.devnet.Abi.address;
import static io.taintwatch.embedded.devnet.Abi.addresses;
import static io.taintwatch.embedded.devnet.Abi.bytes;
import static io.taintwatch.embedded.devnet.Abi.uint;
import static io.taintwatch.embedded.devnet.Abi.uints;
import static io.taintwatch.embedded.devnet.Devnet.ETHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.ingest.TokenMetadata;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.devnet.DemoContracts;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.Devnet.Tx;
import io.taintwatch.ingest.InMemoryBlockSink;
import io.taintwatch.ingest.IngestWorker;
import io.taintwatch.ingest.ReorgDetectedException;
import io.taintwatch.ingest.TransientIngestException;
import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The RPC source against a real anvil running the demo contracts: every leg, in order, with balances that close. */
class EvmRpcSourceIT {
    static final ChainId DEVNET = new ChainId(31337, "anvil");
    static final BigInteger USD = BigInteger.TEN.pow(6);
    static Anvil anvil;
    static Devnet devnet;
    static DemoContracts c;
    static Credentials owner;
    static Credentials alice;
    static Credentials bob;
    static final List<TokenMetadata> tokensSeen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        anvil = Anvil.builder().accounts(3).start();
        devnet = Devnet.connect(anvil);
        owner = devnet.devAccounts().get(0);
        alice = devnet.devAccounts().get(1);
        bob = devnet.devAccounts().get(2);
        c = DemoContracts.deploy(devnet, owner, Devnet.address(Devnet.derive(1, "hot", 0)), ETHER);
    }

    @AfterAll
    static void stop() {
        if (devnet != null) {
            devnet.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    static EvmChainConfig config(boolean balances, TraceMode traces, int confirmations) {
        return new EvmChainConfig(DEVNET, List.of(anvil.rpcUrl()), confirmations, false, "ETH", 18, Set.of(c.weth().address()), traces,
            balances, true, 5, Duration.ofMillis(50), 1, null, null);
    }

    static EvmRpcSource source(EvmChainConfig cfg) {
        JsonRpcClient rpc = new JsonRpcClient(cfg.endpoints(), RpcSettings.defaults().withRetries(3, Duration.ofMillis(20), Duration.ofMillis(200)),
            IngestMetrics.noop());
        return new EvmRpcSource(cfg, rpc, IngestMetrics.noop());
    }

    static List<Block> ingestAll(EvmChainConfig cfg) {
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        try (EvmRpcSource src = source(cfg)) {
            IngestWorker w = new IngestWorker(DEVNET, src, sink, cfg.workerSettings(), IngestMetrics.noop());
            while (w.step() > 0) {
                // to the head
            }
        }
        tokensSeen.addAll(sink.tokens);
        return sink.published;
    }

    static TransactionReceipt ok(Tx tx) {
        return devnet.transact(tx, tx.toString());
    }

    record Expect(LegKind kind, Address from, Address to, Asset asset, BigInteger amount) {}

    static Expect e(LegKind k, Address from, Address to, Asset asset, long amount) {
        return new Expect(k, from, to, asset, BigInteger.valueOf(amount));
    }

    static Expect e(LegKind k, Address from, Address to, Asset asset, BigInteger amount) {
        return new Expect(k, from, to, asset, amount);
    }

    @Test
    void everyLegArrivesInOrderWithItsAmountAndBalancesClose() {
        Address a = Devnet.address(alice);
        Address b = Devnet.address(bob);
        Address o = Devnet.address(owner);
        Address y = Devnet.address(Devnet.derive(5, "y", 0));
        Asset usd = Asset.token(c.stable().address());
        Asset weth = Asset.token(c.weth().address());
        Address split = c.splitter().address();
        Address split2 = c.splitter2().address();
        Address multi = c.multiToken().address();
        Address nft = c.collectible().address();
        BigInteger quarter = ETHER.divide(BigInteger.valueOf(4));

        Map<String, List<Expect>> expected = new java.util.LinkedHashMap<>();
        expected.put(ok(Tx.transfer(alice, b, ETHER)).getTransactionHash(), List.of(e(LegKind.NATIVE, a, b, Asset.NATIVE, ETHER)));
        expected.put(ok(Tx.call(owner, c.stable(), c.stable().data("mint", address(a), uint(USD.multiply(BigInteger.valueOf(1000)))))).getTransactionHash(),
            List.of(e(LegKind.ERC20, Address.ZERO, a, usd, USD.multiply(BigInteger.valueOf(1000)))));
        expected.put(ok(Tx.call(alice, c.stable(), c.stable().data("transfer", address(b), uint(USD.multiply(BigInteger.TEN))))).getTransactionHash(),
            List.of(e(LegKind.ERC20, a, b, usd, USD.multiply(BigInteger.TEN))));
        expected.put(ok(Tx.call(alice, c.weth(), ETHER, c.weth().data("deposit"))).getTransactionHash(),
            List.of(e(LegKind.NATIVE, a, c.weth().address(), Asset.NATIVE, ETHER), e(LegKind.WETH, Address.ZERO, a, weth, ETHER)));
        expected.put(ok(Tx.call(alice, c.weth(), c.weth().data("withdraw", uint(quarter)))).getTransactionHash(),
            List.of(e(LegKind.INTERNAL, c.weth().address(), a, Asset.NATIVE, quarter), e(LegKind.WETH, a, Address.ZERO, weth, quarter)));
        expected.put(ok(Tx.call(alice, c.weth(), c.weth().data("transfer", address(b), uint(quarter)))).getTransactionHash(),
            List.of(e(LegKind.ERC20, a, b, weth, quarter)));
        expected.put(ok(Tx.call(alice, c.splitter(), BigInteger.valueOf(500), c.splitter().data("forwardVia", address(split2), address(y)))).getTransactionHash(),
            List.of(e(LegKind.NATIVE, a, split, Asset.NATIVE, 500), e(LegKind.INTERNAL, split, split2, Asset.NATIVE, 500),
                e(LegKind.INTERNAL, split2, y, Asset.NATIVE, 500)));
        expected.put(ok(Tx.call(owner, c.multiToken(), c.multiToken().data("mint", address(a), uint(7), uint(10)))).getTransactionHash(),
            List.of(e(LegKind.ERC1155, Address.ZERO, a, Asset.nft(multi, BigInteger.valueOf(7)), 10)));
        expected.put(ok(Tx.call(owner, c.multiToken(), c.multiToken().data("mint", address(a), uint(8), uint(5)))).getTransactionHash(),
            List.of(e(LegKind.ERC1155, Address.ZERO, a, Asset.nft(multi, BigInteger.valueOf(8)), 5)));
        expected.put(ok(Tx.call(alice, c.multiToken(), c.multiToken().data("safeBatchTransferFrom", address(a), address(b),
                uints(List.of(BigInteger.valueOf(7), BigInteger.valueOf(8))), uints(List.of(BigInteger.ONE, BigInteger.TWO)), bytes(new byte[0]))))
                .getTransactionHash(),
            List.of(e(LegKind.ERC1155, a, b, Asset.nft(multi, BigInteger.valueOf(7)), 1), e(LegKind.ERC1155, a, b, Asset.nft(multi, BigInteger.valueOf(8)), 2)));
        expected.put(ok(Tx.call(owner, c.collectible(), c.collectible().data("mint", address(a), uint(42)))).getTransactionHash(),
            List.of(e(LegKind.ERC721, Address.ZERO, a, Asset.nft(nft, BigInteger.valueOf(42)), 1)));
        expected.put(ok(Tx.call(alice, c.collectible(), c.collectible().data("transferFrom", address(a), address(b), uint(42)))).getTransactionHash(),
            List.of(e(LegKind.ERC721, a, b, Asset.nft(nft, BigInteger.valueOf(42)), 1)));
        // sends 1000 internally, then reverts (the amounts do not add up to the value): only the fee remains
        TransactionReceipt reverted = devnet.sendAndWait(new Tx(alice, split, BigInteger.valueOf(3000),
            c.splitter().data("split", addresses(List.of(y, b)), uints(List.of(BigInteger.valueOf(1000), BigInteger.valueOf(1000)))), 300_000));
        assertThat(reverted.isStatusOK()).isFalse();
        expected.put(reverted.getTransactionHash(), List.of());

        List<Block> blocks = ingestAll(config(true, TraceMode.CALL_TRACER, 0));
        assertThat(blocks).isNotEmpty();
        assertThat(blocks.get(blocks.size() - 1).number()).isEqualTo(anvil.blockNumber());

        Map<String, List<Leg>> byTx = new HashMap<>();
        for (Block blk : blocks) {
            for (Leg l : blk.legs()) {
                byTx.computeIfAbsent(l.txHash().toString(), k -> new ArrayList<>()).add(l);
            }
        }
        for (Map.Entry<String, List<Expect>> x : expected.entrySet()) {
            List<Leg> legs = byTx.get(x.getKey());
            assertThat(legs).as("legs of " + x.getKey()).isNotNull();
            List<Expect> nonFee = legs.stream().filter(l -> l.kind() != LegKind.FEE)
                .map(l -> new Expect(l.kind(), l.from(), l.to(), l.asset(), l.amount())).toList();
            assertThat(nonFee).as("value legs of " + x.getKey()).containsExactlyElementsOf(x.getValue());
            JsonNode receipt = anvil.rpc("eth_getTransactionReceipt", x.getKey());
            BigInteger fee = Quantity.big(receipt.get("gasUsed").asText()).multiply(Quantity.big(receipt.get("effectiveGasPrice").asText()));
            assertThat(legs.stream().filter(l -> l.kind() == LegKind.FEE).map(Leg::amount).reduce(BigInteger.ZERO, BigInteger::add)).isEqualTo(fee);
            // fee legs come last, sub-indexes count up from 0
            assertThat(legs.get(legs.size() - 1).kind()).isEqualTo(LegKind.FEE);
            for (int i = 0; i < legs.size(); i++) {
                assertThat(legs.get(i).position().subIndex()).isEqualTo(i);
            }
        }

        // replaying each block's legs onto the previous block's balances gives the node's balances at the block
        int checked = 0;
        for (Block blk : blocks) {
            assertThat(blk.hasBalances()).isTrue();
            for (Balance bal : blk.balances()) {
                BigInteger before = balanceAt(bal.address(), bal.asset(), blk.number() - 1);
                BigInteger net = BigInteger.ZERO;
                for (Leg l : blk.legs()) {
                    if (l.asset().equals(bal.asset())) {
                        if (l.to().equals(bal.address())) {
                            net = net.add(l.amount());
                        }
                        if (l.from().equals(bal.address())) {
                            net = net.subtract(l.amount());
                        }
                    }
                }
                assertThat(before.add(net)).as("block " + blk.number() + " " + bal.address() + " " + bal.asset()).isEqualTo(bal.amount());
                assertThat(bal.amount()).isEqualTo(balanceAt(bal.address(), bal.asset(), blk.number()));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(tokensSeen).anySatisfy(t -> {
            assertThat(t.token()).isEqualTo(c.stable().address());
            assertThat(t.symbol()).isEqualTo("USDX");
            assertThat(t.decimals()).isEqualTo(6);
        });
        assertThat(tokensSeen).anySatisfy(t -> assertThat(t.token()).isNull());

        // the same legs from trace_block as from callTracer
        List<Block> parity = ingestAll(config(false, TraceMode.TRACE_BLOCK, 0));
        assertThat(parity).extracting(Block::legs).containsExactlyElementsOf(blocks.stream().map(Block::legs).toList());
    }

    static BigInteger balanceAt(Address a, Asset asset, long block) {
        if (asset.isNative()) {
            return Quantity.big(anvil.rpc("eth_getBalance", a.toString(), Quantity.hex(block)).asText());
        }
        byte[] w = new byte[32];
        a.writeTo(w, 12);
        JsonNode r = anvil.rpc("eth_call", Map.of("to", asset.contract().toString(), "data", "0x70a08231" + Hex.encode(w)), Quantity.hex(block));
        String hex = r.asText();
        return hex.length() <= 2 ? BigInteger.ZERO : Quantity.big(hex);
    }

    /** Own node: anvil_reorg drops transactions and rewinds nonces, which must not disturb the other test. */
    @Test
    void reorgDeeperThanConfirmationsIsDetectedAndOneWithinThemPublishesNothingWrong() {
        int confirmations = 3;
        try (Anvil node = Anvil.builder().accounts(2).start()) {
            Devnet net = Devnet.connect(node);
            Credentials from = net.devAccounts().get(0);
            Address to = Devnet.address(net.devAccounts().get(1));
            for (int i = 0; i < 6; i++) {
                net.transact(Tx.transfer(from, to, BigInteger.valueOf(1000 + i)), "transfer");
            }
            EvmChainConfig cfg = new EvmChainConfig(DEVNET, List.of(node.rpcUrl()), confirmations, false, "ETH", 18, Set.of(),
                TraceMode.CALL_TRACER, false, false, 5, Duration.ofMillis(50), 1, null, null);
            InMemoryBlockSink sink = new InMemoryBlockSink(null);
            JsonRpcClient rpc = new JsonRpcClient(cfg.endpoints(), RpcSettings.defaults(), IngestMetrics.noop());
            try (EvmRpcSource src = new EvmRpcSource(cfg, rpc, IngestMetrics.noop())) {
                IngestWorker w = new IngestWorker(DEVNET, src, sink, cfg.workerSettings(), IngestMetrics.noop());
                while (w.step() > 0) {
                    // to head - confirmations
                }
                assertThat(sink.published).hasSize((int) node.blockNumber() - confirmations);
                // a reorg within the confirmation depth: the replaced blocks were never published
                node.reorg(confirmations);
                net = Devnet.connect(node); // the reorg dropped transactions: nonces start over from the node
                for (int i = 0; i < 2; i++) {
                    net.transact(Tx.transfer(from, to, BigInteger.valueOf(7000 + i)), "transfer after reorg");
                }
                node.mine(confirmations);
                while (w.step() > 0) {
                    // to the new head - confirmations
                }
                for (Block blk : sink.published) {
                    String canonical = node.rpc("eth_getBlockByNumber", Quantity.hex(blk.number()), false).get("hash").asText();
                    assertThat(blk.hash()).as("block " + blk.number()).isEqualTo(Hash32.parse(canonical));
                }
                // a reorg deeper than the confirmations replaces a published block: detected, named, nothing more published
                int before = sink.published.size();
                Block lastPublished = sink.published.get(before - 1);
                node.reorg(confirmations + 2);
                node.mine(confirmations + 1);
                assertThatThrownBy(() -> {
                    for (int attempt = 0; attempt < 5; attempt++) {
                        try {
                            w.step();
                        } catch (TransientIngestException e) {
                            // the first sighting is fetched again before it is called a reorg
                        }
                    }
                }).isInstanceOf(ReorgDetectedException.class)
                    .hasMessageContaining("published block " + lastPublished.number() + " has hash " + lastPublished.hash());
                assertThat(sink.published).hasSize(before);
            }
        }
    }
}
