package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.testing.Chain;
import io.taintwatch.model.PolicyKind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.taintwatch.model.Asset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The engine's state records, as the topology persists and restores them, rebuild an engine that continues identically. */
class StateCodecTest {
    @Property(tries = 60)
    void anEngineRestoredFromItsRecordsContinuesIdentically(@ForAll long seed, @ForAll @IntRange(min = 2, max = 30) int blocks,
                                                            @ForAll @IntRange(min = 0, max = 2) int policy) {
        List<Block> chain = TaintInvariantsProperties.randomChain(seed, blocks, true);
        int cut = blocks / 2;
        PolicyKind p = PolicyKind.values()[policy];
        TaintEngine original = TaintInvariantsProperties.engine(p, 6, 0, 0);
        chain.subList(0, cut).forEach(original::process);

        TaintEngine restored = restoredFromRecords(original);
        // labels live in their own store as JSON; the test engine has one
        restored.putLabel(new Entity(Chain.addr("exchange"), "Exchange", Category.EXCHANGE_DEPOSIT, "test", 100));

        assertThat(restored.lastBlock()).isEqualTo(original.lastBlock());
        for (Block b : chain.subList(cut, chain.size())) {
            assertThat(restored.process(b).flows()).as("block %d", b.number()).isEqualTo(original.process(b).flows());
        }
        original.ledgers().forEach((s, byAsset) ->
            assertThat(StateCodec.encodeLedgers(s, restored.ledgers().get(s))).isEqualTo(StateCodec.encodeLedgers(s, byAsset)));
    }

    /** A new engine restored from the records the topology would persist for {@code original}: position, ledgers, accounts, seeds. */
    static TaintEngine restoredFromRecords(TaintEngine original) {
        TaintEngine restored = new TaintEngine(original.chain(), original.config());
        StateCodec.restorePosition(StateCodec.encodePosition(original), restored);
        original.ledgers().forEach((s, byAsset) -> StateCodec.restoreLedgers(StateCodec.encodeLedgers(s, byAsset), restored));
        MemoryAccountStore store = new MemoryAccountStore();
        for (Account a : original.accounts()) {
            store.records.put(StateCodec.accountKey(a.address()), StateCodec.encodeHeader(a));
            a.holdings().keySet().forEach(x -> store.records.put(StateCodec.holdingKey(a.address(), x), StateCodec.encodeHolding(a, x)));
        }
        StateCodec.restoreAccounts(store.records.entrySet().iterator(), restored);
        original.seeds().values().forEach(a -> restored.restoreSeed(StateCodec.decodeSeed(StateCodec.encodeSeed(a))));
        return restored;
    }

    @Test
    void aVersionOnePositionRecordStillRestoresItsLedgers() throws IOException {
        TaintEngine e = TaintInvariantsProperties.engine(PolicyKind.HAIRCUT, 6, 0, 0);
        TaintInvariantsProperties.randomChain(3, 12, false).forEach(e::process);
        assertThat(e.ledgers()).isNotEmpty();
        // the former layout: position followed by every source's ledgers, in one record
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] position = StateCodec.encodePosition(e);
            out.writeByte(1);
            out.write(position, 1, position.length - 1);
            out.writeInt(e.ledgers().size());
            for (String s : e.ledgers().keySet()) {
                byte[] l = StateCodec.encodeLedgers(s, e.ledgers().get(s));
                out.write(l, 1, l.length - 1);
            }
        }
        TaintEngine restored = new TaintEngine(e.chain(), e.config());
        StateCodec.restorePosition(bytes.toByteArray(), restored);
        assertThat(restored.lastBlock()).isEqualTo(e.lastBlock());
        assertThat(restored.ledgers().keySet()).isEqualTo(e.ledgers().keySet());
        e.ledgers().forEach((s, byAsset) ->
            assertThat(StateCodec.encodeLedgers(s, restored.ledgers().get(s))).isEqualTo(StateCodec.encodeLedgers(s, byAsset)));
    }

    @Test
    void accountRecordsThatDoNotFitAreRefusedNamingTheirKey() {
        TaintEngine e = TaintInvariantsProperties.engine(PolicyKind.HAIRCUT, 6, 0, 0);
        TaintInvariantsProperties.randomChain(5, 12, false).forEach(e::process);
        Account a = e.accounts().iterator().next();
        Asset x = a.holdings().keySet().iterator().next();
        byte[] header = StateCodec.accountKey(a.address());
        byte[] holding = StateCodec.holdingKey(a.address(), x);
        String hex = HexFormat.of().formatHex(holding);

        assertThatThrownBy(() -> restore(Map.of(holding, StateCodec.encodeHolding(a, x))))
            .hasMessageContaining(hex).hasMessageContaining("without its account's header record");
        assertThatThrownBy(() -> restore(Map.of(header, StateCodec.encodeAccount(a), holding, StateCodec.encodeHolding(a, x))))
            .hasMessageContaining(hex).hasMessageContaining("after a version-1 whole-account record");
        byte[] other = StateCodec.accountKey(Chain.addr("someone else"));
        assertThatThrownBy(() -> restore(Map.of(other, StateCodec.encodeHeader(a))))
            .hasMessageContaining(HexFormat.of().formatHex(other)).hasMessageContaining("the record is of account " + a.address());
        byte[] future = StateCodec.encodeHeader(a);
        future[0] = 3;
        assertThatThrownBy(() -> restore(Map.of(header, future))).hasMessageContaining("account record version 3 is not supported");
        byte[] truncated = java.util.Arrays.copyOf(StateCodec.encodeHolding(a, x), 5);
        assertThatThrownBy(() -> restore(Map.of(header, StateCodec.encodeHeader(a), holding, truncated)))
            .hasMessageContaining("corrupt taint engine state record under key " + hex);
        assertThatThrownBy(() -> StateCodec.encodeHolding(a, Chain.token("never held"))).hasMessageContaining("holds no");
    }

    /** Restores from records in key order, as the store gives them. */
    private static void restore(Map<byte[], byte[]> records) {
        TreeMap<byte[], byte[]> sorted = new TreeMap<>(java.util.Arrays::compareUnsigned);
        sorted.putAll(records);
        StateCodec.restoreAccounts(sorted.entrySet().iterator(), TaintInvariantsProperties.engine(PolicyKind.HAIRCUT, 6, 0, 0));
    }

    @Test
    void holdingKeysShareTheAddressPrefixAndSortAfterTheHeader() {
        io.taintwatch.model.Address a = Chain.addr("x");
        byte[] header = StateCodec.accountKey(a);
        List<byte[]> keys = List.of(StateCodec.holdingKey(a, Asset.NATIVE), StateCodec.holdingKey(a, Chain.token("usdt")),
            StateCodec.holdingKey(a, Asset.nft(Chain.addr("nft"), java.math.BigInteger.valueOf(7))),
            StateCodec.holdingKey(a, Asset.nft(Chain.addr("nft"), java.math.BigInteger.valueOf(700))));
        assertThat(keys.stream().map(HexFormat.of()::formatHex).distinct()).hasSize(keys.size());
        for (byte[] k : keys) {
            assertThat(java.util.Arrays.copyOf(k, 20)).isEqualTo(header);
            assertThat(java.util.Arrays.compareUnsigned(header, k)).isNegative();
        }
    }

    @Test
    void anUnknownVersionIsRefusedClearly() {
        assertThatThrownBy(() -> StateCodec.restorePosition(new byte[] {9, 0, 0}, TaintInvariantsProperties.engine(PolicyKind.HAIRCUT, 6, 0, 0)))
            .hasMessageContaining("position record version 9 is not supported");
    }
}
