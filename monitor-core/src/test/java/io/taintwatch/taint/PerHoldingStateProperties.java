package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.testing.Chain;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The per-holding layout of {@code taint-accounts}: applying each block's {@link AccountChange}s to a sorted store
 * leaves exactly the records of the engine's state (a header per account, a record per holding, nothing stale), an
 * engine restored from that store at any block equals the uninterrupted one, and one restarted from it at random
 * points gives the same flows and changes. A store of version-1 whole-account records migrates on first change.
 */
class PerHoldingStateProperties {
    @Property(tries = 100)
    void theStoreWrittenBlockByBlockRestoresTheEngineAtEveryBlock(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int blocks,
                                                                  @ForAll @IntRange(min = 0, max = 2) int policy,
                                                                  @ForAll boolean balances, @ForAll boolean bystanders) {
        PolicyKind p = PolicyKind.values()[policy];
        List<Block> chain = bystanders ? PassOverProperties.chain(seed, blocks) : TaintInvariantsProperties.randomChain(seed, blocks, balances);
        TaintEngine original = TaintInvariantsProperties.engine(p, 6, 0, 0);
        TaintEngine live = TaintInvariantsProperties.engine(p, 6, 0, 0);
        continueWithRestarts(chain, original, live, new MemoryAccountStore(), new Random(seed), false);
    }

    @Property(tries = 60)
    void aVersionOneStoreIsRewrittenInTheNewLayoutAsAccountsChange(@ForAll long seed, @ForAll @IntRange(min = 2, max = 30) int blocks,
                                                                  @ForAll @IntRange(min = 0, max = 2) int policy,
                                                                  @ForAll boolean balances) {
        PolicyKind p = PolicyKind.values()[policy];
        List<Block> chain = TaintInvariantsProperties.randomChain(seed, blocks, balances);
        int cut = blocks / 2;
        TaintEngine original = TaintInvariantsProperties.engine(p, 6, 0, 0);
        chain.subList(0, cut).forEach(original::process);
        MemoryAccountStore store = MemoryAccountStore.versionOne(original);
        TaintEngine live = store.restore(original);
        assertThat(MemoryAccountStore.wholeAccounts(live)).isEqualTo(MemoryAccountStore.wholeAccounts(original));
        continueWithRestarts(chain.subList(cut, blocks), original, live, store, new Random(seed), true);
    }

    private static void continueWithRestarts(List<Block> chain, TaintEngine original, TaintEngine live, MemoryAccountStore store,
                                             Random restarts, boolean legacy) {
        for (Block b : chain) {
            TaintEngine.BlockResult expected = original.process(b);
            TaintEngine.BlockResult actual = live.process(b);
            assertThat(actual.flows()).as("flows of block %d", b.number()).isEqualTo(expected.flows());
            if (!legacy) {
                // an account restored from a version-1 record is rewritten whole on first change; the original's is not
                assertThat(actual.accounts()).as("changes of block %d", b.number()).isEqualTo(expected.accounts());
            }
            assertThat(actual.accounts()).extracting(AccountChange::address).isSorted().doesNotHaveDuplicates();
            store.apply(live, actual.accounts());
            assertThat(store.keys()).as("store keys after block %d", b.number())
                .isEqualTo(MemoryAccountStore.keysFor(original, legacy ? store : null));
            TaintEngine restored = store.restore(live);
            assertThat(MemoryAccountStore.wholeAccounts(restored)).as("restored after block %d", b.number())
                .isEqualTo(MemoryAccountStore.wholeAccounts(original));
            assertThat(restored.trackedCount()).isEqualTo(original.trackedCount());
            if (restarts.nextInt(3) == 0) {
                live = restored;
            }
        }
        TaintEngine last = live;
        assertThat(MemoryAccountStore.wholeAccounts(last)).isEqualTo(MemoryAccountStore.wholeAccounts(original));
        assertThat(StateCodec.encodePosition(last)).isEqualTo(StateCodec.encodePosition(original));
        original.ledgers().forEach((s, byAsset) ->
            assertThat(StateCodec.encodeLedgers(s, last.ledgers().get(s))).isEqualTo(StateCodec.encodeLedgers(s, byAsset)));
    }

    @Test
    void anAccountRestoredFromAVersionOneRecordKeepsItsOtherHoldingsAfterItsFirstChange() {
        Asset usdt = TaintInvariantsProperties.ASSETS[1];
        Chain c = new Chain(1);
        c.block().send("a0", "x", 1_000).leg(io.taintwatch.model.LegKind.ERC20, "a0", "x", usdt, 2_000).build();
        c.block().send("bystander", "x", 500).build();
        TaintEngine original = TaintInvariantsProperties.engine(PolicyKind.HAIRCUT, 6, 0, 0);
        original.process(c.blocks().get(0));
        MemoryAccountStore store = MemoryAccountStore.versionOne(original);
        TaintEngine live = store.restore(original);

        // only the native holding changes (a clean inflow), yet the v1 record goes: everything is written anew
        TaintEngine.BlockResult r = live.process(c.blocks().get(1));
        original.process(c.blocks().get(1));
        assertThat(r.accounts()).containsExactly(new AccountChange(Chain.addr("x"), false, true, List.of(Asset.NATIVE, usdt), List.of()));
        store.apply(live, r.accounts());
        TaintEngine restarted = store.restore(live);
        assertThat(restarted.account(Chain.addr("x")).holdings()).containsOnlyKeys(Asset.NATIVE, usdt);
        assertThat(MemoryAccountStore.wholeAccounts(restarted)).isEqualTo(MemoryAccountStore.wholeAccounts(original));
    }

    @Test
    void aBlockRewritesOnlyTheHoldingsItChanged() {
        Chain c = new Chain(1);
        Chain.BlockBuilder first = c.block();
        for (int i = 0; i < 5; i++) {
            first.leg(io.taintwatch.model.LegKind.ERC20, "a0", "x", Chain.token("t" + i), 1_000);
        }
        first.build();
        c.block().send("bystander", "x", 500).build();
        c.block().leg(io.taintwatch.model.LegKind.ERC20, "x", "y", Chain.token("t3"), 1_000).build();
        TaintEngine e = TaintInvariantsProperties.engine(PolicyKind.HAIRCUT, 6, 0, 0);
        MemoryAccountStore store = new MemoryAccountStore();

        TaintEngine.BlockResult created = e.process(c.blocks().get(0));
        assertThat(created.accounts()).singleElement().satisfies(a -> {
            assertThat(a.header()).isTrue();
            assertThat(a.written()).hasSize(5);
        });
        store.apply(e, created.accounts());
        TaintEngine.BlockResult diluted = e.process(c.blocks().get(1));
        assertThat(diluted.accounts()).containsExactly(new AccountChange(Chain.addr("x"), false, false, List.of(Asset.NATIVE), List.of()));
        store.apply(e, diluted.accounts());
        // x pays all of t3 on: that holding is clean and empty, so its record goes; y is new
        TaintEngine.BlockResult spent = e.process(c.blocks().get(2));
        assertThat(spent.accounts()).containsExactlyInAnyOrder(
            new AccountChange(Chain.addr("x"), false, false, List.of(), List.of(Chain.token("t3"))),
            new AccountChange(Chain.addr("y"), false, true, List.of(Chain.token("t3")), List.of()));
        store.apply(e, spent.accounts());
        assertThat(store.keys()).isEqualTo(MemoryAccountStore.keysFor(e, null)).hasSize(1 + 5 + 1 + 1);
        assertThat(MemoryAccountStore.wholeAccounts(store.restore(e))).isEqualTo(MemoryAccountStore.wholeAccounts(e));
    }
}
