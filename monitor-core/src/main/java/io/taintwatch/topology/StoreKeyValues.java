package io.taintwatch.topology;

import io.taintwatch.taint.KeyValues;
import java.util.Map;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A Kafka Streams state store as the engine state's {@link KeyValues}; a write goes to the store and its changelog. */
final class StoreKeyValues implements KeyValues {
    private static final BytesSerializer KEYS = new BytesSerializer();
    private final KeyValueStore<Bytes, byte[]> store;

    StoreKeyValues(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    @Override
    public byte[] get(byte[] key) {
        return store.get(Bytes.wrap(key));
    }

    /** A delete is a put of null: the same tombstone in the store and its changelog, without {@code delete}'s read of the old value. */
    @Override
    public void put(byte[] key, byte[] value) {
        store.put(Bytes.wrap(key), value);
    }

    @Override
    public Scan scan(byte[] prefix) {
        KeyValueIterator<Bytes, byte[]> it = prefix.length == 0 ? store.all() : store.prefixScan(Bytes.wrap(prefix), KEYS);
        return new Scan() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map.Entry<byte[], byte[]> next() {
                KeyValue<Bytes, byte[]> kv = it.next();
                return Map.entry(kv.key.get(), kv.value);
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }
}
