package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Seed;
import io.taintwatch.testing.Chain;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The topology's fast paths: a block none of whose legs touches {@link TaintEngine#mayBeAffectedBy} is passed over
 * without building its legs, and the others are processed from their encoded form, building only the legs that touch
 * a tracked address or a source. Over random chains, with seeds arriving mid-stream, that gives exactly what
 * processing every block in full gives: the same results block by block and the same persisted state.
 */
class PassOverProperties {
    /**
     * Half of the blocks move money among bystanders only; the others mix a small core (with the seeds) into them; a
     * third carry end-of-block balances.
     */
    static List<Block> chain(long seed, int blocks) {
        Random r = new Random(seed);
        Chain c = new Chain(1);
        for (int b = 0; b < blocks; b++) {
            Chain.BlockBuilder bb = c.block();
            boolean bystandersOnly = r.nextBoolean();
            for (int t = 0, txs = 1 + r.nextInt(5); t < txs; t++) {
                bb.tx();
                for (int l = 0, legs = 1 + r.nextInt(3); l < legs; l++) {
                    String from = bystandersOnly || r.nextInt(3) > 0 ? "b" + r.nextInt(400) : "a" + r.nextInt(6);
                    String to = r.nextInt(12) == 0 ? "exchange" : bystandersOnly || r.nextBoolean() ? "b" + r.nextInt(400) : "a" + r.nextInt(6);
                    LegKind kind = r.nextInt(8) == 0 ? LegKind.FEE : LegKind.NATIVE;
                    bb.leg(kind, from, kind == LegKind.FEE ? "miner" : to,
                        TaintInvariantsProperties.ASSETS[r.nextInt(TaintInvariantsProperties.ASSETS.length)], 1 + r.nextInt(1_000_000));
                }
            }
            if (r.nextInt(3) == 0) {
                // end-of-block balances: a holding opened in this block starts from them (walking the block's legs)
                for (int k = 0; k < 6; k++) {
                    bb.balance((r.nextBoolean() ? "a" : "b") + r.nextInt(6),
                        TaintInvariantsProperties.ASSETS[r.nextInt(TaintInvariantsProperties.ASSETS.length)], r.nextInt(3_000_000));
                }
            }
            bb.build();
        }
        return c.blocks();
    }

    @Property(tries = 120)
    void passingOverUntouchedBlocksChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks,
                                                  @ForAll @IntRange(min = 0, max = 2) int policy,
                                                  @ForAll @IntRange(min = 0, max = 40) int lateSeedAt) {
        PolicyKind p = PolicyKind.values()[policy];
        TaintEngine full = TaintInvariantsProperties.engine(p, 6, 0, 0);
        TaintEngine fast = TaintInvariantsProperties.engine(p, 6, 0, 0);
        Seed late = new Seed(Chain.addr("b7"), "case:late", Category.THEFT, 0, "");
        int passedOver = 0;
        List<Block> chain = chain(seed, blocks);
        MemoryAccountStore fullStore = new MemoryAccountStore();
        MemoryAccountStore fastStore = new MemoryAccountStore();
        for (int i = 0; i < chain.size(); i++) {
            if (i == lateSeedAt) {
                full.putSeed(late);
                fast.putSeed(late);
            }
            Block b = chain.get(i);
            TaintEngine.BlockResult expected = full.process(b);
            EncodedBlock e = BlockCodec.scan(BlockCodec.encode(b));
            TaintEngine.BlockResult actual;
            if (e.anyLegTouches(fast::mayBeAffectedBy)) {
                actual = fast.process(e);
            } else {
                actual = fast.passOver(e.chain(), e.number(), e.hash(), e.parentHash());
                passedOver++;
            }
            assertThat(actual.flows()).as("flows of block %d", b.number()).isEqualTo(expected.flows());
            assertThat(actual.accounts()).isEqualTo(expected.accounts());
            fullStore.apply(full, expected.accounts());
            fastStore.apply(fast, actual.accounts());
            assertThat(hex(fastStore)).as("records written after block %d", b.number()).isEqualTo(hex(fullStore));
            assertThat(actual.skipped()).isEqualTo(expected.skipped());
            assertThat(actual.ledgersChanged()).isEqualTo(expected.ledgersChanged());
        }
        assertThat(encoded(fast.accounts())).isEqualTo(encoded(full.accounts()));
        assertThat(StateCodec.encodePosition(fast)).isEqualTo(StateCodec.encodePosition(full));
        assertThat(fast.ledgers().keySet()).isEqualTo(full.ledgers().keySet());
        full.ledgers().forEach((s, byAsset) ->
            assertThat(StateCodec.encodeLedgers(s, fast.ledgers().get(s))).isEqualTo(StateCodec.encodeLedgers(s, byAsset)));
        // a duplicate delivery is skipped by both paths
        Block last = chain.get(chain.size() - 1);
        assertThat(fast.passOver(last.chain(), last.number(), last.hash(), last.parentHash()).skipped()).isTrue();
        if (blocks >= 30) {
            assertThat(passedOver).as("the bystander-only blocks take the fast path").isPositive();
        }
    }

    private static Map<String, String> hex(MemoryAccountStore store) {
        TreeMap<String, String> out = new TreeMap<>();
        store.records.forEach((k, v) -> out.put(HexFormat.of().formatHex(k), HexFormat.of().formatHex(v)));
        return out;
    }

    private static List<List<Byte>> encoded(Iterable<Account> accounts) {
        List<List<Byte>> out = new ArrayList<>();
        for (Account a : accounts) {
            List<Byte> bytes = new ArrayList<>();
            for (byte x : StateCodec.encodeAccount(a)) {
                bytes.add(x);
            }
            out.add(bytes);
        }
        out.sort((x, y) -> x.toString().compareTo(y.toString()));
        return out;
    }
}
