package io.taintwatch.taint;

import java.util.Iterator;
import java.util.Map;

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
    }
}
