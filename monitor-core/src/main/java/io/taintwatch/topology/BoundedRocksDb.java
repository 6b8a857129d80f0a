package io.taintwatch.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One native-memory budget for every RocksDB state store in the process. Kafka Streams' default gives each store its
 * own 50 MB block cache and up to three 16 MB memtables, so resident memory grows with the number of stores and with
 * time until every memtable has filled once. Here all stores share one block cache, index and filter blocks are
 * charged to it, and memtables are counted against it (a quarter of the budget) through a write-buffer manager that
 * flushes them when they reach their share.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** 64 MiB: the taint engine's hot working set is the in-memory engine, RocksDB holds its persisted copy. */
    public static final long DEFAULT_BYTES = 64L << 20;

    private static long budget = DEFAULT_BYTES;
    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    /** Sets the budget; only before the first store of the process opens (the cache is shared and sized once). */
    public static synchronized void budget(long bytes) {
        if (bytes < 8L << 20) {
            throw new IllegalArgumentException("a RocksDB memory budget of " + bytes + " bytes is too small: at least 8 MiB");
        }
        if (cache != null && bytes != budget) {
            throw new IllegalStateException("the RocksDB memory budget is already " + budget + " bytes: set it before the first state store opens");
        }
        budget = bytes;
    }

    /** The budget in effect. */
    public static synchronized long budget() {
        return budget;
    }

    /** Bytes in the shared cache now, memtables included (0 before the first store opens): the gauge of the budget. */
    public static synchronized long usage() {
        return cache == null ? 0 : cache.getUsage();
    }

    private static synchronized void open() {
        if (cache == null) {
            RocksDB.loadLibrary();
            // 10% of the cache reserved for index and filter blocks, so data blocks do not evict them
            cache = new LRUCache(budget, -1, false, 0.1);
            writeBuffers = new WriteBufferManager(budget / 4, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        open();
        // keep Streams' table settings (bloom filters, block size) and replace only the cache
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(writeBuffers);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store of the process and live as long as it
    }
}
