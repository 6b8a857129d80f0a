package io.taintwatch.topology;

import io.taintwatch.taint.KeyValues;
import java.util.Map;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A Kafka Streams state store as the engine state's {@link KeyValues}; a write goes to the store and its changelog. Read
 * only ({@link #readOnly}) for a store read through interactive queries.
 */
final class StoreKeyValues implements KeyValues {
    private static final BytesSerializer KEYS = new BytesSerializer();
    private final ReadOnlyKeyValueStore<Bytes, byte[]> reads;
    private final KeyValueStore<Bytes, byte[]> store;

    StoreKeyValues(KeyValueStore<Bytes, byte[]> store) {
        this.reads = store;
        this.store = store;
    }

    private StoreKeyValues(ReadOnlyKeyValueStore<Bytes, byte[]> reads) {
        this.reads = reads;
        this.store = null;
    }

    /** A store as the queries see it: reads only. */
    static StoreKeyValues readOnly(ReadOnlyKeyValueStore<Bytes, byte[]> store) {
        return new StoreKeyValues(store);
    }

    @Override
    public byte[] get(byte[] key) {
        return reads.get(Bytes.wrap(key));
    }

    /** A delete is a put of null: the same tombstone in the store and its changelog, without {@code delete}'s read of the old value. */
    @Override
    public void put(byte[] key, byte[] value) {
        if (store == null) {
            throw new UnsupportedOperationException("queries do not write the engine's state");
        }
        store.put(Bytes.wrap(key), value);
    }

    @Override
    public Scan scan(byte[] prefix) {
        KeyValueIterator<Bytes, byte[]> it = prefix.length == 0 ? reads.all() : reads.prefixScan(Bytes.wrap(prefix), KEYS);
        return Scan.over(it, kv -> Map.entry(kv.key.get(), kv.value), it::close);
    }
}
