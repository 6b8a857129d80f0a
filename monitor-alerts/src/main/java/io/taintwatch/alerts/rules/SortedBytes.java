package io.taintwatch.alerts.rules;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sorted key-value store of byte arrays (keys ordered as unsigned bytes): what the {@link CounterpartyMemory} is
 * kept in. The alert service backs it with a changelogged Kafka Streams store; replays and tests with {@link #inMemory()}.
 */
public interface SortedBytes {
    /** The value of {@code key}, or null. */
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    void delete(byte[] key);

    /** Visits the entries with {@code from <= key < to} in key order until the visitor returns false. */
    void scan(byte[] from, byte[] to, Visitor visitor);

    /** One entry of a {@link #scan}; returns whether to go on. The store must not be changed during a scan. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(byte[] key, byte[] value);
    }

    /** A store in a {@link TreeMap}, for replays and tests. */
    static SortedBytes inMemory() {
        TreeMap<byte[], byte[]> m = new TreeMap<>(Arrays::compareUnsigned);
        return new SortedBytes() {
            @Override
            public byte[] get(byte[] key) {
                return m.get(key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                m.put(key.clone(), value.clone());
            }

            @Override
            public void delete(byte[] key) {
                m.remove(key);
            }

            @Override
            public void scan(byte[] from, byte[] to, Visitor visitor) {
                for (Map.Entry<byte[], byte[]> e : m.subMap(from, true, to, false).entrySet()) {
                    if (!visitor.visit(e.getKey(), e.getValue())) {
                        return;
                    }
                }
            }
        };
    }
}
