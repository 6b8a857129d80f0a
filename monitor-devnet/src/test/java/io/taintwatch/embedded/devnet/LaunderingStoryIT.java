package io.taintwatch.embedded.devnet;

import static io.taintwatch.embedded.devnet.Abi.address;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.devnet.StoryStep.Kind;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/** Plays the default story on a real anvil and checks its manifest against the chain. */
class LaunderingStoryIT {
    private static final Set<Kind> INTERNAL = EnumSet.of(Kind.SWAP_PROCEEDS, Kind.SWEEP, Kind.MIXER_WITHDRAWAL);
    private static Anvil anvil;
    private static Devnet devnet;
    private static StoryManifest m;
    private static final List<String> rounds = new ArrayList<>();

    @BeforeAll
    static void play() {
        anvil = Anvil.start();
        devnet = Devnet.connect(anvil);
        m = LaunderingStory.play(devnet, LaunderingStory.Config.defaults(), (round, block, txs) -> rounds.add(round));
    }

    @AfterAll
    static void stop() {
        if (devnet != null) {
            devnet.close();
        }
        anvil.close();
    }

    @Test
    void tellsTheWholeStoryInOrder() {
        assertThat(m.steps()).extracting(StoryStep::kind).containsSubsequence(Kind.GAS_FUNDING, Kind.HACK, Kind.SWAP, Kind.SWAP_PROCEEDS,
                Kind.FAN_OUT, Kind.DUST, Kind.MIXER_DEPOSIT, Kind.BRIDGE_DEPOSIT, Kind.WRAP, Kind.PEEL_OFF, Kind.PEEL, Kind.EXCHANGE_DEPOSIT,
                Kind.SWEEP, Kind.MIXER_WITHDRAWAL);
        assertThat(m.steps(Kind.MIXER_DEPOSIT)).hasSize(6).allMatch(s -> s.amount().equals(BigInteger.TEN.multiply(Devnet.ETHER)));
        assertThat(m.steps(Kind.BRIDGE_DEPOSIT)).extracting(StoryStep::asset)
                .containsExactly(Asset.NATIVE, Asset.token(m.contracts().get("WrappedEther")));
        assertThat(m.steps(Kind.PEEL_OFF)).hasSize(3);
        assertThat(m.steps(Kind.EXCHANGE_DEPOSIT)).hasSize(1);
        assertThat(m.steps(Kind.FAN_OUT)).allMatch(s -> s.amount().mod(Devnet.ETHER).signum() == 0, "round amounts");
        assertThat(m.firstBlock()).isLessThan(m.hackBlock());
        assertThat(m.hackBlock()).isLessThan(m.lastBlock());
        assertThat(m.seed().address()).isEqualTo(m.hacker());
        assertThat(m.seed().validFrom()).isEqualTo(m.hackBlock());
        assertThat(m.transactions()).isGreaterThan(1000);
        assertThat(rounds).contains("hack", "swap", "fan-out", "sweep").hasSizeGreaterThan(10);
    }

    @Test
    void everyStepIsOnChainAsRecorded() {
        for (StoryStep s : m.steps()) {
            var receipt = devnet.awaitReceipts(List.of(s.txHash())).getFirst();
            assertThat(receipt.isStatusOK()).as("step %s succeeded", s).isTrue();
            assertThat(receipt.getBlockNumber().longValueExact()).as("block of %s", s).isEqualTo(s.block());
            assertThat(s.block()).isBetween(m.firstBlock(), m.lastBlock());
            if (!s.asset().isNative()) {
                assertThat(hasTransferLog(receipt.getLogs(), s)).as("Transfer log of %s", s).isTrue();
            } else if (s.kind() == Kind.HACK || INTERNAL.contains(s.kind())) {
                assertThat(internalTransfers(s.txHash(), s.block())).as("internal transfer of %s", s)
                        .contains(s.from() + "->" + s.to() + ":" + s.amount());
            } else {
                JsonNode tx = anvil.rpc("eth_getTransactionByHash", s.txHash());
                assertThat(Address.parse(tx.get("from").asText())).as("sender of %s", s).isEqualTo(s.from());
                assertThat(Address.parse(tx.get("to").asText())).as("recipient of %s", s).isEqualTo(s.to());
                assertThat(Numeric.toBigInt(tx.get("value").asText())).as("value of %s", s).isEqualTo(s.amount());
            }
        }
    }

    @Test
    void theHackersAddressesHoldExactlyWhatTheStepsLeaveThemMinusFees() {
        Set<Address> watched = new HashSet<>(m.launderingAddresses());
        watched.add(m.hacker());
        Map<Address, BigInteger> expected = new HashMap<>();
        for (StoryStep s : m.steps()) {
            if (s.asset().isNative()) {
                if (watched.contains(s.to())) {
                    expected.merge(s.to(), s.amount(), BigInteger::add);
                }
                if (watched.contains(s.from())) {
                    expected.merge(s.from(), s.amount().negate(), BigInteger::add);
                }
            }
        }
        // fees of every transaction these addresses sent, from the blocks themselves
        for (long b = m.firstBlock(); b <= m.lastBlock(); b++) {
            for (JsonNode tx : anvil.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(b), true).get("transactions")) {
                Address from = Address.parse(tx.get("from").asText());
                if (watched.contains(from)) {
                    JsonNode r = anvil.rpc("eth_getTransactionReceipt", tx.get("hash").asText());
                    BigInteger fee = Numeric.toBigInt(r.get("gasUsed").asText()).multiply(Numeric.toBigInt(r.get("effectiveGasPrice").asText()));
                    expected.merge(from, fee.negate(), BigInteger::add);
                }
            }
        }
        for (Address a : watched) {
            assertThat(devnet.balanceAt(a, m.lastBlock())).as("balance of %s", a).isEqualTo(expected.getOrDefault(a, BigInteger.ZERO));
        }
        // the wrapped ether left for the bridge, and the stablecoin issuer froze the hacker (after he had sold)
        DeployedContract weth = new DeployedContract(CompiledContract.load("WrappedEther"), m.contracts().get("WrappedEther"));
        for (Address a : watched) {
            assertThat(devnet.callUint(weth, "balanceOf", address(a))).isZero();
        }
        DeployedContract stable = new DeployedContract(CompiledContract.load("StableCoin"), m.contracts().get("StableCoin"));
        assertThat(devnet.callBool(stable, "frozen", address(m.hacker()))).isTrue();
        assertThat(devnet.callUint(stable, "balanceOf", address(m.hacker()))).isZero();
    }

    @Test
    void terminalDeliveriesGoToLabelledEntitiesOfTheirCategory() {
        assertThat(m.terminalDeliveries()).hasSize(6 + 2 + 3 + 1);
        for (StoryStep s : m.terminalDeliveries()) {
            Entity e = m.label(s.to());
            assertThat(e).as("label of %s", s.to()).isNotNull();
            assertThat(e.category()).isEqualTo(s.terminal());
        }
        assertThat(m.labels()).extracting(Entity::category).contains(Category.EXCHANGE_HOT_WALLET, Category.MIXER, Category.BRIDGE, Category.DEX,
                Category.EXCHANGE_DEPOSIT);
        assertThat(m.label(m.contracts().get("DexPool")).category()).isEqualTo(Category.DEX);
        assertThat(m.label(m.contracts().get("WrappedEther")).category()).isEqualTo(Category.DEX);
        assertThat(m.label(m.hacker())).isNull();
        for (Address a : m.bystanders()) {
            assertThat(m.label(a)).as("label of bystander %s", a).isNull();
        }
        for (StoryStep s : m.steps(Kind.SWEEP)) {
            assertThat(m.label(s.to()).category()).isEqualTo(Category.EXCHANGE_HOT_WALLET);
        }
    }

    @Test
    void bystandersNeverReceiveMoreThanDustFromTheHacker() {
        assertThat(m.bystanders()).hasSizeGreaterThan(300).doesNotContain(m.hacker());
        assertThat(m.bystanders()).doesNotContainAnyElementsOf(m.launderingAddresses()).doesNotContainAnyElementsOf(m.mixerRecipients());
        assertThat(m.bystanders()).containsAll(m.dustRecipients());
        assertThat(m.dustRecipients()).hasSize(4);
        for (StoryStep s : m.steps()) {
            if (m.bystanders().contains(s.to())) {
                assertThat(s.kind()).isEqualTo(Kind.DUST);
                assertThat(s.amount()).isLessThanOrEqualTo(m.dustAmount());
            }
            assertThat(m.bystanders()).doesNotContain(s.from());
        }
        assertThat(m.dustAmount()).isLessThanOrEqualTo(Devnet.ETHER.divide(BigInteger.valueOf(10_000)));
        // bystanders did trade with the pool the hacker sold into, and used the exchange
        String swap = EventEncoder.buildEventSignature("Swap(address,address,uint256,uint256,uint256,uint256)");
        int bystanderSwaps = 0;
        for (long b = m.hackBlock() + 1; b <= m.lastBlock(); b++) {
            for (JsonNode tx : anvil.rpc("eth_getBlockReceipts", "0x" + Long.toHexString(b))) {
                for (JsonNode l : tx.get("logs")) {
                    if (l.get("topics").get(0).asText().equals(swap) && m.bystanders().contains(Address.of(Numeric.hexStringToByteArray(l.get("topics").get(1).asText())))) {
                        bystanderSwaps++;
                    }
                }
            }
        }
        assertThat(bystanderSwaps).isPositive();
    }

    @Test
    void backgroundTrafficCarriesEveryKindOfLeg() {
        Map<String, Integer> events = new HashMap<>();
        Map<String, String> names = Map.of(
                EventEncoder.buildEventSignature("TransferSingle(address,address,address,uint256,uint256)"), "TransferSingle",
                EventEncoder.buildEventSignature("TransferBatch(address,address,address,uint256[],uint256[])"), "TransferBatch",
                EventEncoder.buildEventSignature("Deposit(address,uint256)"), "Deposit",
                EventEncoder.buildEventSignature("Withdrawal(address,uint256)"), "Withdrawal",
                EventEncoder.buildEventSignature("Split(address,uint256,uint256)"), "Split");
        String transfer = EventEncoder.buildEventSignature("Transfer(address,address,uint256)");
        for (long b = m.hackBlock(); b <= m.lastBlock(); b++) {
            for (JsonNode tx : anvil.rpc("eth_getBlockReceipts", "0x" + Long.toHexString(b))) {
                for (JsonNode l : tx.get("logs")) {
                    String t0 = l.get("topics").get(0).asText();
                    if (t0.equals(transfer)) {
                        events.merge(l.get("topics").size() == 4 ? "ERC721" : "ERC20", 1, Integer::sum);
                    } else if (names.containsKey(t0)) {
                        events.merge(names.get(t0), 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(events).containsKeys("ERC20", "ERC721", "TransferSingle", "TransferBatch", "Deposit", "Withdrawal", "Split");
        // the node mines as it did before the story
        assertThat(devnet.nodeAutomines()).isTrue();
    }

    private static boolean hasTransferLog(List<Log> logs, StoryStep s) {
        String transfer = EventEncoder.buildEventSignature("Transfer(address,address,uint256)");
        for (Log l : logs) {
            if (Address.parse(l.getAddress()).equals(s.asset().contract()) && l.getTopics().size() == 3 && l.getTopics().get(0).equals(transfer)
                    && Address.of(Numeric.hexStringToByteArray(l.getTopics().get(1))).equals(s.from())
                    && Address.of(Numeric.hexStringToByteArray(l.getTopics().get(2))).equals(s.to())
                    && Numeric.toBigInt(l.getData()).equals(s.amount())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> internalTransfers(String txHash, long block) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : anvil.rpc("debug_traceBlockByNumber", "0x" + Long.toHexString(block), Map.of("tracer", "callTracer"))) {
            if (t.get("txHash").asText().equals(txHash)) {
                for (JsonNode c : t.get("result").path("calls")) {
                    collect(c, out);
                }
            }
        }
        return out;
    }

    private static void collect(JsonNode f, List<String> out) {
        if (f.hasNonNull("value") && Numeric.toBigInt(f.get("value").asText()).signum() > 0) {
            out.add(Address.parse(f.get("from").asText()) + "->" + Address.parse(f.get("to").asText()) + ":" + Numeric.toBigInt(f.get("value").asText()));
        }
        for (JsonNode c : f.path("calls")) {
            collect(c, out);
        }
    }
}
