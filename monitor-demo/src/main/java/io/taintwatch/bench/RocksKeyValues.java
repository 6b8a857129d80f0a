package io.taintwatch.bench;

import io.taintwatch.taint.KeyValues;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.NoSuchElementException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * A plain RocksDB database as the engine state's {@link KeyValues}, for the engine in process on the same state layout
 * as the topology's stores: the write-ahead log off (as Kafka Streams runs its stores: the changelog is the log) and the
 * block cache and memtables within one budget, as {@code BoundedRocksDb} gives the topology. No changelog.
 */
final class RocksKeyValues implements KeyValues, AutoCloseable {
    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;
    private final Options options;
    private final WriteOptions writes;
    private final RocksDB db;

    RocksKeyValues(Path dir, long memoryBytes) {
        RocksDB.loadLibrary();
        cache = new LRUCache(memoryBytes, -1, false, 0.1);
        writeBuffers = new WriteBufferManager(memoryBytes / 4, cache);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache).setCacheIndexAndFilterBlocks(true)
            .setPinTopLevelIndexAndFilter(true);
        options = new Options().setCreateIfMissing(true).setTableFormatConfig(table).setWriteBufferManager(writeBuffers);
        writes = new WriteOptions().setDisableWAL(true);
        try {
            java.nio.file.Files.createDirectories(dir);
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException | java.io.IOException e) {
            throw new IllegalStateException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB get: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try {
            if (value == null) {
                db.delete(writes, key);
            } else {
                db.put(writes, key, value);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB put: " + e.getMessage(), e);
        }
    }

    @Override
    public Scan scan(byte[] prefix) {
        RocksIterator it = db.newIterator();
        it.seek(prefix);
        return new Scan() {
            @Override
            public boolean hasNext() {
                return it.isValid() && startsWith(it.key(), prefix);
            }

            @Override
            public Map.Entry<byte[], byte[]> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<byte[], byte[]> e = Map.entry(it.key(), it.value());
                it.next();
                return e;
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() {
        db.close();
        writes.close();
        options.close();
        writeBuffers.close();
        cache.close();
    }
}
