package io.taintwatch.taint;

import io.taintwatch.model.Address;

/**
 * A set of addresses over primitive arrays (open addressing, linear probing), probed with the three parts of
 * an {@link Address} so that a miss reads no object and allocates nothing. It only grows; the engine keeps it a
 * superset of its tracked addresses and sources and rebuilds it when removals have made it much larger.
 */
final class AddressIndex {
    private long[] his;
    private long[] mids;
    private int[] los;
    private boolean[] used;
    private int size;

    AddressIndex() {
        allocate(1024);
    }

    int size() {
        return size;
    }

    boolean contains(long hi, long mid, int lo) {
        int mask = used.length - 1;
        for (int i = slot(hi, mid, lo) & mask; used[i]; i = (i + 1) & mask) {
            if (los[i] == lo && mids[i] == mid && his[i] == hi) {
                return true;
            }
        }
        return false;
    }

    void add(Address a) {
        if (2 * (size + 1) > used.length) {
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
        int mask = used.length - 1;
        int i = slot(hi, mid, lo) & mask;
        while (used[i]) {
            if (los[i] == lo && mids[i] == mid && his[i] == hi) {
                return false;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        his[i] = hi;
        mids[i] = mid;
        los[i] = lo;
        return true;
    }

    private void grow() {
        long[] oh = his;
        long[] om = mids;
        int[] ol = los;
        boolean[] ou = used;
        allocate(ou.length * 2);
        for (int j = 0; j < ou.length; j++) {
            if (ou[j]) {
                insert(oh[j], om[j], ol[j]);
                size++;
            }
        }
    }

    private void allocate(int capacity) {
        his = new long[capacity];
        mids = new long[capacity];
        los = new int[capacity];
        used = new boolean[capacity];
        size = 0;
    }

    // synthetic and vanity addresses are far from uniform: mix all parts (a murmur3-style finaliser)
    private static int slot(long hi, long mid, int lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ mid * 0xC2B2AE3D27D4EB4FL ^ lo * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
