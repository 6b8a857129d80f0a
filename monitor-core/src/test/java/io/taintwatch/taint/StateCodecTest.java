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
import java.util.List;
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

        TaintEngine restored = new TaintEngine(original.chain(), original.config());
        StateCodec.restorePosition(StateCodec.encodePosition(original), restored);
        original.ledgers().forEach((s, byAsset) -> StateCodec.restoreLedgers(StateCodec.encodeLedgers(s, byAsset), restored));
        original.accounts().forEach(a -> restored.restoreAccount(StateCodec.decodeAccount(StateCodec.encodeAccount(a))));
        original.seeds().values().forEach(a -> restored.restoreSeed(StateCodec.decodeSeed(StateCodec.encodeSeed(a))));
        // labels live in their own store as JSON; the test engine has one
        restored.putLabel(new Entity(Chain.addr("exchange"), "Exchange", Category.EXCHANGE_DEPOSIT, "test", 100));

        assertThat(restored.lastBlock()).isEqualTo(original.lastBlock());
        for (Block b : chain.subList(cut, chain.size())) {
            assertThat(restored.process(b).flows()).as("block %d", b.number()).isEqualTo(original.process(b).flows());
        }
        original.ledgers().forEach((s, byAsset) ->
            assertThat(StateCodec.encodeLedgers(s, restored.ledgers().get(s))).isEqualTo(StateCodec.encodeLedgers(s, byAsset)));
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
    void anUnknownVersionIsRefusedClearly() {
        assertThatThrownBy(() -> StateCodec.restorePosition(new byte[] {9, 0, 0}, TaintInvariantsProperties.engine(PolicyKind.HAIRCUT, 6, 0, 0)))
            .hasMessageContaining("position record version 9 is not supported");
    }
}
