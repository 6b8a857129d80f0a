package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.SortedBytes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link SortedBytes} over a Kafka Streams store (RocksDB orders {@link Bytes} keys as unsigned bytes, as the interface does). */
final class StoreSortedBytes implements SortedBytes {
    private final KeyValueStore<Bytes, byte[]> store;

    StoreSortedBytes(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    @Override
    public byte[] get(byte[] key) {
        return store.get(Bytes.wrap(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        store.put(Bytes.wrap(key), value);
    }

    @Override
    public void delete(byte[] key) {
        store.delete(Bytes.wrap(key));
    }

    @Override
    public void scan(byte[] from, byte[] to, Visitor visitor) {
        Bytes end = Bytes.wrap(to);
        // range() includes its upper bound; the interface's is exclusive
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(from), end)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (kv.key.compareTo(end) >= 0 || !visitor.visit(kv.key.get(), kv.value)) {
                    return;
                }
            }
        }
    }
}
