package io.taintwatch.taint;

import io.taintwatch.model.Address;

/**
 * A set of addresses over primitive arrays (open addressing, linear probing), probed with the three parts of
 * an {@link Address} so that a miss reads no object and allocates nothing. It only grows; the engine keeps it a
 * superset of its tracked addresses and sources and rebuilds it when removals have made it much larger.
 *
 * <p>Nearly every probe is a miss (a leg between bystanders), so a miss reads one array only: {@code tags} holds a
 * 64-bit hash of each slot's address (never 0; 0 marks an empty slot), and the address itself is compared only when
 * the hash matches. Probing a table of tens of thousands of addresses then touches one cache line instead of four.
 * In front of it, a filter of eight bits per slot (one bit set per address, from other bits of the same hash) answers most
 * misses from an array an eighth of the size of {@code tags}, which stays in cache while the consumer streams record
 * bytes through it.
 */
final class AddressIndex {
    private long[] filter;
    private long[] tags;
    private long[] his;
    private long[] mids;
    private int[] los;
    private int size;

    AddressIndex() {
        allocate(1024);
    }

    int size() {
        return size;
    }

    boolean contains(long hi, long mid, int lo) {
        long t = tag(hi, mid, lo);
        long[] f = filter;
        int bit = (int) (t >>> 1);
        if ((f[(bit >>> 6) & (f.length - 1)] & (1L << bit)) == 0) {
            return false;
        }
        long[] ts = tags;
        int mask = ts.length - 1;
        for (int i = (int) (t >>> 32) & mask; ; i = (i + 1) & mask) {
            long x = ts[i];
            if (x == 0) {
                return false;
            }
            if (x == t && holds(i, hi, mid, lo)) {
                return true;
            }
        }
    }

    void add(Address a) {
        if (2 * (size + 1) > tags.length) {
            grow();
        }
        if (insert(a.hi(), a.mid(), a.lo())) {
            size++;
        }
    }

    void clear() {
        allocate(1024);
    }

    private boolean insert(long hi, long mid, int lo) {
        long t = tag(hi, mid, lo);
        int mask = tags.length - 1;
        int i = (int) (t >>> 32) & mask;
        while (tags[i] != 0) {
            if (tags[i] == t && holds(i, hi, mid, lo)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        tags[i] = t;
        int bit = (int) (t >>> 1);
        filter[(bit >>> 6) & (filter.length - 1)] |= 1L << bit;
        his[i] = hi;
        mids[i] = mid;
        los[i] = lo;
        return true;
    }

    /** Whether slot {@code i}, whose tag matched, holds this address (two addresses can share a 64-bit tag). */
    private boolean holds(int i, long hi, long mid, int lo) {
        return los[i] == lo && mids[i] == mid && his[i] == hi;
    }

    private void grow() {
        long[] ot = tags;
        long[] oh = his;
        long[] om = mids;
        int[] ol = los;
        allocate(ot.length * 2);
        for (int j = 0; j < ot.length; j++) {
            if (ot[j] != 0) {
                insert(oh[j], om[j], ol[j]);
                size++;
            }
        }
    }

    private void allocate(int capacity) {
        filter = new long[capacity / 64 * 8];
        tags = new long[capacity];
        his = new long[capacity];
        mids = new long[capacity];
        los = new int[capacity];
        size = 0;
    }

    // synthetic and vanity addresses are far from uniform: mix all parts (a murmur3-style finaliser); the slot is taken
    // from the high half, and the low bit is set so that no address hashes to the empty mark
    private static long tag(long hi, long mid, int lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ mid * 0xC2B2AE3D27D4EB4FL ^ lo * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h | 1;
    }
}
