package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.testing.Chain;
import io.taintwatch.tokens.NativeAsset;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * An engine whose accounts and ledgers live in stores ({@link StoredAccounts}, {@link StoredLedgers}), read on demand
 * through caches of any bound (none at all, a few accounts, all of them) and restarted at random blocks from the stores
 * alone (the index rebuilt from the account keys), gives exactly what the engine with its whole state in memory gives:
 * the same flows and changes block by block, the store holding exactly the in-memory engine's state, the same ledgers.
 */
class StoredStateProperties {
    @Property(tries = 150)
    void anEngineOnStoresBehindBoundedCachesEqualsTheEngineInMemory(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks,
                                                                   @ForAll @IntRange(min = 0, max = 2) int policy,
                                                                   @ForAll @IntRange(min = 0, max = 2) int cacheSize,
                                                                   @ForAll boolean bystanders, @ForAll boolean balances) {
        PolicyKind p = PolicyKind.values()[policy];
        long cacheBytes = new long[] {0, 3_000, Long.MAX_VALUE}[cacheSize];
        List<Block> chain = bystanders ? PassOverProperties.chain(seed, blocks) : TaintInvariantsProperties.randomChain(seed, blocks, balances);
        Random random = new Random(seed);
        TaintEngine inMemory = TaintInvariantsProperties.engine(p, 6, 0, 0);
        MemoryKeyValues accountStore = new MemoryKeyValues();
        MemoryKeyValues metaStore = new MemoryKeyValues();
        Stored live = Stored.fresh(inMemory, accountStore, metaStore, cacheBytes);
        for (Block b : chain) {
            TaintEngine.BlockResult expected = inMemory.process(b);
            EncodedBlock e = BlockCodec.scan(BlockCodec.encode(b));
            TaintEngine.BlockResult actual = e.anyLegTouches(live.engine::mayBeAffectedBy) ? live.engine.process(e)
                : live.engine.passOver(e.chain(), e.number(), e.hash(), e.parentHash());
            assertThat(actual.flows()).as("flows of block %d", b.number()).isEqualTo(expected.flows());
            assertThat(actual.accounts()).as("changes of block %d", b.number()).isEqualTo(expected.accounts());
            assertThat(actual.ledgersChanged()).isEqualTo(expected.ledgersChanged());
            live.accounts.persist(actual.accounts());
            live.ledgers.persist();
            if (cacheBytes == 0) {
                assertThat(live.accounts.cachedAccounts()).as("nothing cached between blocks").isZero();
            }
            assertThat(live.engine.trackedCount()).isEqualTo(inMemory.trackedCount());
            assertThat(MemoryAccountStore.wholeAccounts(live.engine)).as("stored accounts after block %d", b.number())
                .isEqualTo(MemoryAccountStore.wholeAccounts(inMemory));
            if (random.nextInt(4) == 0) {
                live = Stored.restarted(live.engine, accountStore, metaStore, cacheBytes);
                assertThat(live.engine.trackedCount()).as("tracked after a restart at block %d", b.number()).isEqualTo(inMemory.trackedCount());
            }
        }
        TaintEngine last = live.engine;
        assertThat(last.ledgers().keySet()).isEqualTo(inMemory.ledgers().keySet());
        inMemory.ledgers().forEach((s, byAsset) ->
            assertThat(StateCodec.encodeLedgers(s, last.ledgersOf(s))).isEqualTo(StateCodec.encodeLedgers(s, byAsset)));
    }

    @Property(tries = 60)
    void ledgersInTheFormerLayoutAreReadAndRewrittenPerAssetAsTheyChange(@ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int blocks,
                                                                        @ForAll @IntRange(min = 0, max = 2) int policy,
                                                                        @ForAll boolean balances, @ForAll boolean cached) {
        PolicyKind p = PolicyKind.values()[policy];
        List<Block> chain = TaintInvariantsProperties.randomChain(seed, blocks, balances);
        int cut = blocks / 2;
        TaintEngine inMemory = TaintInvariantsProperties.engine(p, 6, 0, 0);
        chain.subList(0, cut).forEach(inMemory::process);
        // the state as the former layout left it: a record per source with every asset's ledger
        MemoryKeyValues accountStore = new MemoryKeyValues();
        MemoryKeyValues metaStore = new MemoryKeyValues();
        for (Account a : inMemory.accounts()) {
            accountStore.put(StateCodec.accountKey(a.address()), StateCodec.encodeHeader(a));
            for (io.taintwatch.model.Asset x : a.holdings().keySet()) {
                accountStore.put(StateCodec.holdingKey(a.address(), x), StateCodec.encodeHolding(a, x));
            }
        }
        inMemory.ledgers().forEach((s, byAsset) -> metaStore.put(StateCodec.ledgerKey(s), StateCodec.encodeLedgers(s, byAsset)));
        long cacheBytes = cached ? Long.MAX_VALUE : 0;
        Stored live = Stored.restarted(inMemory, accountStore, metaStore, cacheBytes);
        for (Block b : chain.subList(cut, blocks)) {
            TaintEngine.BlockResult expected = inMemory.process(b);
            TaintEngine.BlockResult actual = live.engine.process(b);
            assertThat(actual.flows()).as("flows of block %d", b.number()).isEqualTo(expected.flows());
            assertThat(actual.ledgersChanged()).isEqualTo(expected.ledgersChanged());
            live.accounts.persist(actual.accounts());
            live.ledgers.persist();
            for (String source : actual.ledgersChanged()) {
                assertThat(metaStore.records).as("the former record of %s is gone once it changed", source)
                    .doesNotContainKey(StateCodec.ledgerKey(source));
            }
            live = Stored.restarted(live.engine, accountStore, metaStore, cacheBytes);
            TaintEngine restored = live.engine;
            inMemory.ledgers().forEach((s, byAsset) ->
                assertThat(StateCodec.encodeLedgers(s, restored.ledgersOf(s))).as("ledgers of %s", s).isEqualTo(StateCodec.encodeLedgers(s, byAsset)));
        }
    }

    /** An engine on stores, with the stores' views it was made with. */
    record Stored(TaintEngine engine, StoredAccounts accounts, StoredLedgers ledgers) {
        /** A new engine configured as {@code like}, with its seeds and label, on empty stores. */
        static Stored fresh(TaintEngine like, MemoryKeyValues accountStore, MemoryKeyValues metaStore, long cacheBytes) {
            Stored s = of(like, accountStore, metaStore, cacheBytes);
            like.seeds().values().forEach(a -> s.engine.restoreSeed(a));
            return s;
        }

        /** What a topology does on start: position and seeds restored, the index rebuilt from the account store's keys. */
        static Stored restarted(TaintEngine before, MemoryKeyValues accountStore, MemoryKeyValues metaStore, long cacheBytes) {
            Stored s = of(before, accountStore, metaStore, cacheBytes);
            assertThat(StateCodec.restorePosition(StateCodec.encodePosition(before), s.engine)).isEmpty();
            before.seeds().values().forEach(a -> s.engine.restoreSeed(StateCodec.decodeSeed(StateCodec.encodeSeed(a))));
            assertThat(s.accounts.restore(s.engine)).isEqualTo(before.trackedCount());
            return s;
        }

        private static Stored of(TaintEngine like, MemoryKeyValues accountStore, MemoryKeyValues metaStore, long cacheBytes) {
            StoredAccounts accounts = new StoredAccounts(accountStore, cacheBytes);
            StoredLedgers ledgers = new StoredLedgers(metaStore, cacheBytes);
            TaintEngine e = new TaintEngine(like.chain(), like.config(), NativeAsset.defaultFor(like.chain()), accounts, ledgers);
            e.putLabel(new Entity(Chain.addr("exchange"), "Exchange", Category.EXCHANGE_DEPOSIT, "test", 100));
            return new Stored(e, accounts, ledgers);
        }
    }
}
