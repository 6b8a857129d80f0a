package io.taintwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real anvil: start, the RPC methods ingest relies on, and a clean stop. */
class AnvilIT {
    private static Anvil anvil;

    @BeforeAll
    static void start() {
        anvil = Anvil.builder().accounts(3).chainId(1337).start();
    }

    @AfterAll
    static void stop() {
        anvil.close();
    }

    @Test
    void answersOnLoopbackWithItsDevAccounts() {
        assertThat(anvil.rpcUrl()).isEqualTo("http://127.0.0.1:" + anvil.port());
        assertThat(anvil.rpc("eth_chainId").asText()).isEqualTo("0x539");
        assertThat(anvil.accounts()).hasSize(3);
        // anvil's default mnemonic: the first account is well known
        assertThat(anvil.accounts().getFirst().address()).isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
        assertThat(anvil.accounts().getFirst().toString()).doesNotContain(anvil.accounts().getFirst().privateKey().substring(2));
        JsonNode listed = anvil.rpc("eth_accounts");
        for (int i = 0; i < 3; i++) {
            assertThat(listed.get(i).asText().toLowerCase()).isEqualTo(anvil.accounts().get(i).address());
        }
    }

    @Test
    void tracesAValueTransferWithCallTracerAndTraceBlock() {
        String from = anvil.accounts().get(0).address();
        String to = anvil.accounts().get(1).address();
        String tx = anvil.rpc("eth_sendTransaction", Map.of("from", from, "to", to, "value", "0x2a")).asText();
        JsonNode receipt = anvil.receipt(tx);
        String block = receipt.get("blockNumber").asText();

        JsonNode calls = anvil.rpc("debug_traceBlockByNumber", block, Map.of("tracer", "callTracer"));
        JsonNode frame = findTx(calls, tx).get("result");
        assertThat(frame.get("type").asText()).isEqualTo("CALL");
        assertThat(frame.get("from").asText()).isEqualTo(from);
        assertThat(frame.get("to").asText()).isEqualTo(to);
        assertThat(frame.get("value").asText()).isEqualTo("0x2a");

        JsonNode traces = anvil.rpc("trace_block", block);
        JsonNode action = null;
        for (JsonNode t : traces) {
            if (t.get("transactionHash").asText().equals(tx)) {
                action = t.get("action");
            }
        }
        assertThat(action).as("trace_block entry of %s", tx).isNotNull();
        assertThat(action.get("value").asText()).isEqualTo("0x2a");
        assertThat(action.get("to").asText()).isEqualTo(to);
    }

    @Test
    void reorgReplacesTheLastBlocksAndDropsTheirTransactions() {
        String from = anvil.accounts().get(2).address();
        String tx = anvil.rpc("eth_sendTransaction", Map.of("from", from, "to", from, "value", "0x1")).asText();
        long txBlock = Long.decode(anvil.receipt(tx).get("blockNumber").asText());
        assertThat(anvil.blockNumber()).isEqualTo(txBlock);
        long head = txBlock;
        anvil.mine(2);
        String before = anvil.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(txBlock), false).get("hash").asText();

        anvil.reorg(3);

        assertThat(anvil.blockNumber()).isEqualTo(head + 2);
        JsonNode after = anvil.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(txBlock), false);
        assertThat(after.get("hash").asText()).isNotEqualTo(before);
        assertThat(anvil.rpc("eth_getTransactionReceipt", tx).isNull()).isTrue();
    }

    @Test
    void anRpcErrorIsReportedWithTheMethod() {
        assertThatThrownBy(() -> anvil.rpc("no_such_method")).isInstanceOf(Anvil.AnvilException.class).hasMessageContaining("no_such_method");
    }

    @Test
    void closeKillsTheProcessAndFreesThePort() throws Exception {
        Anvil other = Anvil.builder().accounts(1).noMining().start();
        long pid = other.pid();
        int port = other.port();
        List<ProcessHandle> before = ProcessHandle.of(pid).orElseThrow().descendants().toList();
        other.close();
        other.close(); // idempotent
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(before).noneMatch(ProcessHandle::isAlive);
        assertThat(connects(port)).isFalse();
    }

    private static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode findTx(JsonNode blockTrace, String tx) {
        for (JsonNode t : blockTrace) {
            if (t.get("txHash").asText().equals(tx)) {
                return t;
            }
        }
        throw new AssertionError("no trace for " + tx + " in " + blockTrace);
    }
}
