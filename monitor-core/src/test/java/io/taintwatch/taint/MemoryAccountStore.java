package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.testing.Chain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code taint-accounts} store as the topology keeps it, in memory: records by key in unsigned byte order (the
 * order of Kafka Streams' {@code Bytes} keys and RocksDB), written and deleted from each block's {@link AccountChange}s
 * exactly as {@code TaintProcessor} does, and restored from the same way.
 */
final class MemoryAccountStore {
    final TreeMap<byte[], byte[]> records = new TreeMap<>(Arrays::compareUnsigned);
    long puts;
    long deletes;
    long bytesWritten;

    void apply(TaintEngine e, List<AccountChange> changes) {
        for (AccountChange c : changes) {
            Address address = c.address();
            if (c.removed()) {
                delete(StateCodec.accountKey(address));
            } else {
                Account a = e.account(address);
                if (c.header()) {
                    put(StateCodec.accountKey(address), StateCodec.encodeHeader(a));
                }
                for (Asset x : c.written()) {
                    put(StateCodec.holdingKey(address, x), StateCodec.encodeHolding(a, x));
                }
            }
            for (Asset x : c.deleted()) {
                delete(StateCodec.holdingKey(address, x));
            }
        }
    }

    /** The former layout: every account as one version-1 record under its address. */
    static MemoryAccountStore versionOne(TaintEngine e) {
        MemoryAccountStore s = new MemoryAccountStore();
        for (Account a : e.accounts()) {
            s.records.put(StateCodec.accountKey(a.address()), StateCodec.encodeAccount(a));
        }
        return s;
    }

    private void put(byte[] key, byte[] value) {
        records.put(key, value);
        puts++;
        bytesWritten += key.length + value.length;
    }

    private void delete(byte[] key) {
        records.remove(key);
        deletes++;
    }

    /**
     * A fresh engine like {@code like} (same chain, configuration, position, ledgers, seeds, and the test label) whose
     * accounts come from this store alone.
     */
    TaintEngine restore(TaintEngine like) {
        TaintEngine e = new TaintEngine(like.chain(), like.config());
        StateCodec.restorePosition(StateCodec.encodePosition(like), e);
        like.ledgers().forEach((s, byAsset) -> StateCodec.restoreLedgers(StateCodec.encodeLedgers(s, byAsset), e));
        like.seeds().values().forEach(a -> e.restoreSeed(StateCodec.decodeSeed(StateCodec.encodeSeed(a))));
        e.putLabel(new Entity(Chain.addr("exchange"), "Exchange", Category.EXCHANGE_DEPOSIT, "test", 100));
        StateCodec.restoreAccounts(records.entrySet().iterator(), e);
        return e;
    }

    /** The keys this store must hold for {@code e}'s accounts: a header per account, a record per holding (hex, sorted). */
    static TreeSet<String> keysFor(TaintEngine e, MemoryAccountStore legacyFrom) {
        TreeSet<String> keys = new TreeSet<>();
        for (Account a : e.accounts()) {
            byte[] header = StateCodec.accountKey(a.address());
            keys.add(HexFormat.of().formatHex(header));
            byte[] current = legacyFrom == null ? null : legacyFrom.records.get(header);
            if (current != null && current[0] == 1) {
                continue; // still the version-1 record, holdings inside
            }
            for (Asset x : a.holdings().keySet()) {
                keys.add(HexFormat.of().formatHex(StateCodec.holdingKey(a.address(), x)));
            }
        }
        return keys;
    }

    TreeSet<String> keys() {
        TreeSet<String> keys = new TreeSet<>();
        records.keySet().forEach(k -> keys.add(HexFormat.of().formatHex(k)));
        return keys;
    }

    /** Every account of {@code e} in the version-1 whole-account encoding, by address: a canonical form of its state. */
    static Map<Address, String> wholeAccounts(TaintEngine e) {
        TreeMap<Address, String> out = new TreeMap<>();
        for (Account a : e.accounts()) {
            out.put(a.address(), HexFormat.of().formatHex(StateCodec.encodeAccount(a)));
        }
        return out;
    }

    static List<String> flows(TaintEngine.BlockResult r) {
        List<String> out = new ArrayList<>();
        r.flows().forEach(f -> out.add(f.toString()));
        return out;
    }
}
