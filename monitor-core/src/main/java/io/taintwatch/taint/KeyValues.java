package io.taintwatch.taint;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * The engine state's view of a persistent key-value store whose keys sort in unsigned byte order, as the taint
 * topology's RocksDB state stores do: {@link StoredAccounts} and {@link StoredLedgers} read and write through it.
 */
public interface KeyValues {
    /** The value under {@code key}, or null. */
    byte[] get(byte[] key);

    /** Writes {@code value} under {@code key}; null deletes. */
    void put(byte[] key, byte[] value);

    /** The records whose keys start with {@code prefix} (every record for an empty prefix), in key order. */
    Scan scan(byte[] prefix);

    /** An open scan; closing it releases the store's iterator. */
    interface Scan extends Iterator<Map.Entry<byte[], byte[]>>, AutoCloseable {
        @Override
        void close();

        /** A scan over a store's iterator: each of its items as a record, {@code close} run when the scan is closed. */
        static <T> Scan over(Iterator<T> items, Function<T, Map.Entry<byte[], byte[]>> record, Runnable close) {
            return new Scan() {
                @Override
                public boolean hasNext() {
                    return items.hasNext();
                }

                @Override
                public Map.Entry<byte[], byte[]> next() {
                    return record.apply(items.next());
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }
}
