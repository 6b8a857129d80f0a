package io.taintwatch.taint;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@link KeyValues} in a sorted map, keys in unsigned byte order as in RocksDB; counts reads and writes. */
final class MemoryKeyValues implements KeyValues {
    final TreeMap<byte[], byte[]> records = new TreeMap<>(Arrays::compareUnsigned);
    long gets;
    long scans;
    long puts;

    @Override
    public byte[] get(byte[] key) {
        gets++;
        return records.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        puts++;
        if (value == null) {
            records.remove(key);
        } else {
            records.put(key.clone(), value.clone());
        }
    }

    @Override
    public Scan scan(byte[] prefix) {
        scans++;
        SortedMap<byte[], byte[]> range = prefix.length == 0 ? records : records.subMap(prefix, after(prefix));
        Iterator<Map.Entry<byte[], byte[]>> it = new TreeMap<>(range).entrySet().iterator();
        return Scan.over(it, e -> Map.entry(e.getKey().clone(), e.getValue().clone()), () -> { });
    }

    /** The smallest key greater than every key with this prefix (a prefix of all 0xff bytes has none: 21 bytes of 0xff). */
    private static byte[] after(byte[] prefix) {
        byte[] k = prefix.clone();
        for (int i = k.length - 1; i >= 0; i--) {
            if (k[i] != (byte) 0xff) {
                k[i]++;
                return Arrays.copyOf(k, i + 1);
            }
        }
        byte[] max = new byte[prefix.length + 64];
        Arrays.fill(max, (byte) 0xff);
        return max;
    }
}
