package io.taintwatch.embedded.devnet;

import static io.taintwatch.embedded.devnet.Abi.address;
import static io.taintwatch.embedded.devnet.Abi.addresses;
import static io.taintwatch.embedded.devnet.Abi.bytes;
import static io.taintwatch.embedded.devnet.Abi.bytes32;
import static io.taintwatch.embedded.devnet.Abi.uint;
import static io.taintwatch.embedded.devnet.Abi.uints;
import static io.taintwatch.embedded.devnet.Devnet.ETHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.devnet.Devnet.Tx;
import io.taintwatch.model.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/** Each demo contract deployed on a real anvil, doing what the ingest and the story rely on. */
class DemoContractsIT {
    private static final BigInteger USD = BigInteger.TEN.pow(6);
    private static final BigInteger DENOMINATION = ETHER.multiply(BigInteger.TEN);
    private static Anvil anvil;
    private static Devnet devnet;
    private static DemoContracts c;
    private static Credentials owner;
    private static Credentials alice;
    private static Credentials bob;

    @BeforeAll
    static void deploy() {
        anvil = Anvil.builder().accounts(3).start();
        devnet = Devnet.connect(anvil);
        owner = devnet.devAccounts().get(0);
        alice = devnet.devAccounts().get(1);
        bob = devnet.devAccounts().get(2);
        c = DemoContracts.deploy(devnet, owner, Devnet.address(Devnet.derive(1, "hot", 0)), DENOMINATION);
    }

    @AfterAll
    static void stop() {
        if (devnet != null) {
            devnet.close();
        }
        anvil.close();
    }

    @Test
    void stablecoinTransfersAndAFrozenAddressCanNeitherSendNorReceive() {
        Address a = Devnet.address(alice);
        Address b = Devnet.address(bob);
        ok(Tx.call(owner, c.stable(), c.stable().data("mint", address(a), uint(USD.multiply(BigInteger.valueOf(1000))))));
        TransactionReceipt t = ok(Tx.call(alice, c.stable(), c.stable().data("transfer", address(b), uint(USD.multiply(BigInteger.TEN)))));
        Log transfer = only(t, "Transfer(address,address,uint256)");
        assertThat(topicAddress(transfer, 1)).isEqualTo(a);
        assertThat(topicAddress(transfer, 2)).isEqualTo(b);
        assertThat(Numeric.toBigInt(transfer.getData())).isEqualTo(USD.multiply(BigInteger.TEN));

        ok(Tx.call(owner, c.stable(), c.stable().data("freeze", address(b))));
        assertThat(devnet.callBool(c.stable(), "frozen", address(b))).isTrue();
        BigInteger before = devnet.callUint(c.stable(), "balanceOf", address(b));
        assertThat(send(Tx.call(bob, c.stable(), c.stable().data("transfer", address(a), uint(1)))).isStatusOK()).isFalse();
        assertThat(send(Tx.call(alice, c.stable(), c.stable().data("transfer", address(b), uint(1)))).isStatusOK()).isFalse();
        assertThat(devnet.callUint(c.stable(), "balanceOf", address(b))).isEqualTo(before);
        // a non-owner cannot freeze
        assertThat(send(Tx.call(alice, c.stable(), c.stable().data("freeze", address(a)))).isStatusOK()).isFalse();
        ok(Tx.call(owner, c.stable(), c.stable().data("unfreeze", address(b))));
        ok(Tx.call(bob, c.stable(), c.stable().data("transfer", address(a), uint(1))));
    }

    @Test
    void wethEmitsDepositAndWithdrawalAndPaysBackInEther() {
        Address a = Devnet.address(alice);
        TransactionReceipt d = ok(Tx.call(alice, c.weth(), ETHER, c.weth().data("deposit")));
        Log dep = only(d, "Deposit(address,uint256)");
        assertThat(topicAddress(dep, 1)).isEqualTo(a);
        assertThat(Numeric.toBigInt(dep.getData())).isEqualTo(ETHER);
        BigInteger wad = ETHER.divide(BigInteger.valueOf(4));
        TransactionReceipt w = ok(Tx.call(alice, c.weth(), c.weth().data("withdraw", uint(wad))));
        Log wd = only(w, "Withdrawal(address,uint256)");
        assertThat(Numeric.toBigInt(wd.getData())).isEqualTo(wad);
        JsonNode frame = callTrace(w);
        assertThat(internalValueTransfers(frame)).containsExactly(c.weth().address() + "->" + a + ":" + wad);
    }

    @Test
    void splitterForwardsEtherInInternalTransfersSeenByCallTracer() {
        Address x = Devnet.address(Devnet.derive(2, "x", 0));
        Address y = Devnet.address(Devnet.derive(2, "y", 0));
        TransactionReceipt r = ok(Tx.call(alice, c.splitter(), BigInteger.valueOf(3000),
                c.splitter().data("split", addresses(List.of(x, y)), uints(List.of(BigInteger.valueOf(1000), BigInteger.valueOf(2000))))));
        assertThat(internalValueTransfers(callTrace(r)))
                .containsExactly(c.splitter().address() + "->" + x + ":1000", c.splitter().address() + "->" + y + ":2000");
        assertThat(devnet.balance(x)).isEqualTo(1000);

        // nested: splitter -> splitter2 -> y
        TransactionReceipt nested = ok(Tx.call(alice, c.splitter(), BigInteger.valueOf(500),
                c.splitter().data("forwardVia", address(c.splitter2().address()), address(y))));
        assertThat(internalValueTransfers(callTrace(nested)))
                .containsExactly(c.splitter().address() + "->" + c.splitter2().address() + ":500", c.splitter2().address() + "->" + y + ":500");
        // the same transfers in trace_block (the parity format)
        int calls = 0;
        for (JsonNode t : anvil.rpc("trace_block", "0x" + nested.getBlockNumber().toString(16))) {
            if (t.get("transactionHash").asText().equals(nested.getTransactionHash()) && !t.get("traceAddress").isEmpty()) {
                calls++;
                assertThat(Numeric.toBigInt(t.get("action").get("value").asText())).isEqualTo(500);
            }
        }
        assertThat(calls).isEqualTo(2);
    }

    @Test
    void multiTokenEmitsTransferSingleAndTransferBatch() {
        Address a = Devnet.address(alice);
        Address b = Devnet.address(bob);
        ok(Tx.call(owner, c.multiToken(), c.multiToken().data("mint", address(a), uint(7), uint(10))));
        ok(Tx.call(owner, c.multiToken(), c.multiToken().data("mint", address(a), uint(8), uint(5))));
        TransactionReceipt single = ok(Tx.call(alice, c.multiToken(),
                c.multiToken().data("safeTransferFrom", address(a), address(b), uint(7), uint(3), bytes(new byte[0]))));
        Log s = only(single, "TransferSingle(address,address,address,uint256,uint256)");
        assertThat(s.getTopics()).hasSize(4);
        assertThat(topicAddress(s, 2)).isEqualTo(a);
        assertThat(topicAddress(s, 3)).isEqualTo(b);
        TransactionReceipt batch = ok(Tx.call(alice, c.multiToken(), c.multiToken().data("safeBatchTransferFrom", address(a), address(b),
                uints(List.of(BigInteger.valueOf(7), BigInteger.valueOf(8))), uints(List.of(BigInteger.ONE, BigInteger.TWO)), bytes(new byte[0]))));
        only(batch, "TransferBatch(address,address,address,uint256[],uint256[])");
        assertThat(devnet.callUint(c.multiToken(), "balanceOf", uint(8), address(b))).isEqualTo(2);
        assertThat(send(Tx.call(bob, c.multiToken(),
                c.multiToken().data("safeTransferFrom", address(a), address(b), uint(7), uint(1), bytes(new byte[0])))).isStatusOK()).isFalse();
    }

    @Test
    void collectibleTransferCarriesTheTokenIdAsThirdTopic() {
        Address a = Devnet.address(alice);
        Address b = Devnet.address(bob);
        ok(Tx.call(owner, c.collectible(), c.collectible().data("mint", address(a), uint(42))));
        TransactionReceipt t = ok(Tx.call(alice, c.collectible(), c.collectible().data("transferFrom", address(a), address(b), uint(42))));
        Log l = only(t, "Transfer(address,address,uint256)");
        assertThat(l.getTopics()).hasSize(4);
        assertThat(Numeric.toBigInt(l.getTopics().get(3))).isEqualTo(42);
        assertThat(devnet.callUint(c.collectible(), "ownerOf", uint(42))).isEqualTo(Numeric.toBigInt(b.toString()));
    }

    @Test
    void dexPoolSwapsAtTheConstantProductPrice() {
        Address b = Devnet.address(bob);
        BigInteger tokens = USD.multiply(BigInteger.valueOf(200_000));
        ok(Tx.call(owner, c.stable(), c.stable().data("mint", address(Devnet.address(owner)), uint(tokens))));
        ok(Tx.call(owner, c.stable(), c.stable().data("approve", address(c.dexPool().address()), uint(tokens))));
        ok(Tx.call(owner, c.dexPool(), ETHER.multiply(BigInteger.valueOf(100)), c.dexPool().data("addLiquidity", uint(tokens))));

        BigInteger rEth = devnet.callUint(c.dexPool(), "reserveEth");
        BigInteger rTok = devnet.callUint(c.dexPool(), "reserveToken");
        BigInteger expected = ETHER.multiply(BigInteger.valueOf(997)).multiply(rTok)
                .divide(rEth.multiply(BigInteger.valueOf(1000)).add(ETHER.multiply(BigInteger.valueOf(997))));
        BigInteger before = devnet.callUint(c.stable(), "balanceOf", address(b));
        TransactionReceipt buy = ok(Tx.call(bob, c.dexPool(), ETHER, c.dexPool().data("swapEthForTokens", uint(1), address(b))));
        BigInteger got = devnet.callUint(c.stable(), "balanceOf", address(b)).subtract(before);
        assertThat(got).isEqualTo(expected);
        assertThat(topicAddress(only(buy, "Transfer(address,address,uint256)"), 1)).isEqualTo(c.dexPool().address());

        // sell them back: tokens in by Transfer, ether out as an internal transfer from the pool
        ok(Tx.call(bob, c.stable(), c.stable().data("approve", address(c.dexPool().address()), uint(got))));
        TransactionReceipt sell = ok(Tx.call(bob, c.dexPool(), c.dexPool().data("swapTokensForEth", uint(got), uint(1), address(b))));
        List<String> moves = internalValueTransfers(callTrace(sell));
        assertThat(moves).hasSize(1);
        assertThat(moves.getFirst()).startsWith(c.dexPool().address() + "->" + b + ":");
        // a price worse than asked reverts
        assertThat(send(Tx.call(bob, c.dexPool(), ETHER, c.dexPool().data("swapEthForTokens", uint(tokens), address(b)))).isStatusOK()).isFalse();
    }

    @Test
    void mixerTakesExactlyTheDenominationAndPaysEachNoteOnce() {
        byte[] note = Hash.sha3("note-1".getBytes());
        byte[] commitment = Hash.sha3(note);
        assertThat(send(Tx.call(alice, c.mixer(), ETHER, c.mixer().data("deposit", bytes32(commitment)))).isStatusOK()).isFalse();
        TransactionReceipt d = ok(Tx.call(alice, c.mixer(), DENOMINATION, c.mixer().data("deposit", bytes32(commitment))));
        assertThat(only(d, "Deposit(bytes32,uint32,uint256)").getTopics().get(1)).isEqualTo(Numeric.toHexString(commitment));

        Address recipient = Devnet.address(Devnet.derive(3, "fresh", 0));
        Address relayer = Devnet.address(Devnet.derive(3, "relayer", 0));
        BigInteger fee = ETHER.divide(BigInteger.TEN);
        TransactionReceipt w = ok(Tx.call(bob, c.mixer(), c.mixer().data("withdraw", bytes32(note), address(recipient), address(relayer), uint(fee))));
        only(w, "Withdrawal(address,bytes32,address,uint256)");
        assertThat(devnet.balance(recipient)).isEqualTo(DENOMINATION.subtract(fee));
        assertThat(devnet.balance(relayer)).isEqualTo(fee);
        assertThat(internalValueTransfers(callTrace(w))).containsExactly(
                c.mixer().address() + "->" + recipient + ":" + DENOMINATION.subtract(fee), c.mixer().address() + "->" + relayer + ":" + fee);
        assertThat(send(Tx.call(bob, c.mixer(), c.mixer().data("withdraw", bytes32(note), address(recipient), address(relayer), uint(0))))
                .isStatusOK()).isFalse();
    }

    @Test
    void bridgeLocksEtherAndNamesTheDestination() {
        Address dest = Devnet.address(Devnet.derive(4, "dest", 0));
        BigInteger before = devnet.balance(c.bridge().address());
        TransactionReceipt r = ok(Tx.call(alice, c.bridge(), ETHER.multiply(BigInteger.TWO), c.bridge().data("depositETH", uint(42161), address(dest))));
        Log l = only(r, "DepositInitiated(uint256,address,address,uint256,uint256,address)");
        assertThat(topicAddress(l, 2)).isEqualTo(Devnet.address(alice));
        String data = Numeric.cleanHexPrefix(l.getData());
        assertThat(new BigInteger(data.substring(0, 64), 16)).isEqualTo(ETHER.multiply(BigInteger.TWO));
        assertThat(new BigInteger(data.substring(64, 128), 16)).isEqualTo(42161);
        assertThat(Address.parse("0x" + data.substring(128 + 24, 192))).isEqualTo(dest);
        assertThat(devnet.balance(c.bridge().address()).subtract(before)).isEqualTo(ETHER.multiply(BigInteger.TWO));
    }

    @Test
    void depositAddressesSweepIntoTheHotWallet() {
        TransactionReceipt created = ok(Tx.call(owner, c.exchange(), c.exchange().data("createDepositAddress", bytes32(Hash.sha3("cust-1".getBytes())))));
        Address deposit = topicAddress(only(created, "DepositAddressCreated(address,bytes32)"), 1);
        assertThat(devnet.hasCode(deposit)).isTrue();
        TransactionReceipt paid = ok(Tx.transfer(alice, deposit, ETHER.multiply(BigInteger.valueOf(3))));
        assertThat(paid.getGasUsed()).isGreaterThan(BigInteger.valueOf(21_000));
        BigInteger hotBefore = devnet.balance(c.hotWallet());
        TransactionReceipt swept = ok(Tx.call(owner, c.exchange(), c.exchange().data("sweep", addresses(List.of(deposit)))));
        assertThat(devnet.balance(c.hotWallet()).subtract(hotBefore)).isEqualTo(ETHER.multiply(BigInteger.valueOf(3)));
        assertThat(devnet.balance(deposit)).isZero();
        assertThat(internalValueTransfers(callTrace(swept))).containsExactly(deposit + "->" + c.hotWallet() + ":" + ETHER.multiply(BigInteger.valueOf(3)));
        // only the exchange sweeps
        assertThat(send(Tx.call(alice, c.exchange(), c.exchange().data("sweep", addresses(List.of(deposit))))).isStatusOK()).isFalse();
    }

    @Test
    void theVaultBugLetsAnyoneTakeEverything() {
        Credentials attacker = Devnet.derive(5, "attacker", 0);
        ok(Tx.transfer(owner, Devnet.address(attacker), ETHER));
        ok(Tx.call(alice, c.vault(), ETHER.multiply(BigInteger.valueOf(5)), c.vault().data("depositEth")));
        BigInteger held = devnet.balance(c.vault().address());
        BigInteger before = devnet.balance(Devnet.address(attacker));
        TransactionReceipt r = ok(Tx.call(attacker, c.vault(), c.vault().data("migrate", address(Devnet.address(attacker)))));
        assertThat(devnet.balance(c.vault().address())).isZero();
        BigInteger fee = r.getGasUsed().multiply(Numeric.toBigInt(r.getEffectiveGasPrice()));
        assertThat(devnet.balance(Devnet.address(attacker))).isEqualTo(before.add(held).subtract(fee));
    }

    @Test
    void aMisspelledFunctionFailsBeforeSending() {
        assertThatThrownBy(() -> c.stable().data("transfer", uint(1))).hasMessageContaining("StableCoin has no function transfer(uint256)");
    }

    private static TransactionReceipt send(Tx tx) {
        return devnet.sendAndWait(tx);
    }

    private static TransactionReceipt ok(Tx tx) {
        return devnet.transact(tx, tx.toString());
    }

    private static Log only(TransactionReceipt r, String eventSignature) {
        String topic = EventEncoder.buildEventSignature(eventSignature);
        List<Log> logs = r.getLogs().stream().filter(l -> !l.getTopics().isEmpty() && l.getTopics().getFirst().equals(topic)).toList();
        assertThat(logs).as("%s logs in %s", eventSignature, r.getTransactionHash()).hasSize(1);
        return logs.getFirst();
    }

    private static Address topicAddress(Log l, int i) {
        return Address.of(Numeric.hexStringToByteArray(l.getTopics().get(i)));
    }

    private static JsonNode callTrace(TransactionReceipt r) {
        JsonNode block = anvil.rpc("debug_traceBlockByNumber", "0x" + r.getBlockNumber().toString(16), Map.of("tracer", "callTracer"));
        for (JsonNode t : block) {
            if (t.get("txHash").asText().equals(r.getTransactionHash())) {
                return t.get("result");
            }
        }
        throw new AssertionError("no trace of " + r.getTransactionHash());
    }

    /** Value-carrying frames below the top one, depth first: "from->to:value". */
    private static List<String> internalValueTransfers(JsonNode root) {
        List<String> out = new ArrayList<>();
        for (JsonNode child : root.path("calls")) {
            collect(child, out);
        }
        return out;
    }

    private static void collect(JsonNode frame, List<String> out) {
        BigInteger v = frame.hasNonNull("value") ? Numeric.toBigInt(frame.get("value").asText()) : BigInteger.ZERO;
        if (v.signum() > 0) {
            out.add(Address.parse(frame.get("from").asText()) + "->" + Address.parse(frame.get("to").asText()) + ":" + v);
        }
        for (JsonNode child : frame.path("calls")) {
            collect(child, out);
        }
    }
}
