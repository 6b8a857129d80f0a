package io.taintwatch.taint;

import io.taintwatch.model.Address;

/**
 * The engine's membership index of tracked addresses and sources: a multiset of 64-bit hashes of addresses in one
 * primitive array (open addressing, linear probing), probed with the three parts of an {@link Address} so that a
 * probe reads no object and allocates nothing. No address is kept: a probe may answer yes for an address whose hash
 * equals a member's (about one in 2^62 per member), never no for a member, so the engine reads its state for an
 * address only after the index said yes. Nine bytes per slot (the hash and the filter's byte), the slots between three
 * eighths and three quarters full as it grows, keep it at 12-24 bytes per member; removals let it empty to an eighth
 * before it halves (docs/BENCHMARKS.md, "State beyond the heap").
 *
 * <p>Each entry is of one kind, {@link #TRACKED} or {@link #SOURCE} (one bit of the hash): an address that is both has
 * two entries, and the engine adds and removes each exactly once per address, so removing one never hides another
 * member that shares its hash. {@link #contains(long, long, int)} answers for either kind.
 *
 * <p>Nearly every probe is a miss (a leg between bystanders). In front of the slots, a filter of eight bits per slot
 * (one bit set per entry, from other bits of the hash) answers most misses from an array an eighth of the size, which
 * stays in cache while the consumer streams record bytes through it; it is rebuilt from the slots once removals have
 * left many of its bits stale.
 */
final class AddressIndex {
    static final int TRACKED = 0;
    static final int SOURCE = 2;
    private static final int MIN_CAPACITY = 1024;

    private long[] filter;
    private long[] tags;
    private int size;
    private int removedSinceFilter;

    AddressIndex() {
        allocate(MIN_CAPACITY);
    }

    /** Entries (of both kinds). */
    int size() {
        return size;
    }

    /** Heap bytes of the index's arrays. */
    long bytes() {
        return 8L * (tags.length + filter.length);
    }

    /** Whether an entry of either kind may be this address (a member always is). */
    boolean contains(long hi, long mid, int lo) {
        long t = tag(hi, mid, lo);
        long[] f = filter;
        int bit = (int) (t >>> 2);
        if ((f[(bit >>> 6) & (f.length - 1)] & (1L << bit)) == 0) {
            return false;
        }
        long[] ts = tags;
        int mask = ts.length - 1;
        long any = t | SOURCE;
        for (int i = (int) (t >>> 32) & mask; ; i = (i + 1) & mask) {
            long x = ts[i];
            if (x == 0) {
                return false;
            }
            if ((x | SOURCE) == any) {
                return true;
            }
        }
    }

    /** Whether an entry of this kind may be this address. */
    boolean contains(Address a, int kind) {
        long t = tag(a.hi(), a.mid(), a.lo()) | kind;
        int mask = tags.length - 1;
        for (int i = (int) (t >>> 32) & mask; ; i = (i + 1) & mask) {
            long x = tags[i];
            if (x == 0) {
                return false;
            }
            if (x == t) {
                return true;
            }
        }
    }

    /** Adds an entry of this kind for the address: once per address and kind (the caller knows it is new). */
    void add(Address a, int kind) {
        if (4L * (size + 1) > 3L * tags.length) {
            rehash(tags.length * 2);
        }
        insert(tag(a.hi(), a.mid(), a.lo()) | kind);
        size++;
    }

    /** Removes the entry of this kind added for the address; false when there is none. */
    boolean remove(Address a, int kind) {
        long t = tag(a.hi(), a.mid(), a.lo()) | kind;
        int mask = tags.length - 1;
        int i = (int) (t >>> 32) & mask;
        while (tags[i] != t) {
            if (tags[i] == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // backward-shift deletion: move later entries of the run into the hole when their home slot allows it
        for (int j = (i + 1) & mask; tags[j] != 0; j = (j + 1) & mask) {
            int home = (int) (tags[j] >>> 32) & mask;
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                tags[i] = tags[j];
                i = j;
            }
        }
        tags[i] = 0;
        size--;
        if (tags.length > MIN_CAPACITY && 8L * size < tags.length) {
            rehash(tags.length / 2);
        } else if (++removedSinceFilter > tags.length / 16) {
            rebuildFilter();
        }
        return true;
    }

    void clear() {
        allocate(MIN_CAPACITY);
    }

    private void insert(long t) {
        int mask = tags.length - 1;
        int i = (int) (t >>> 32) & mask;
        while (tags[i] != 0) {
            i = (i + 1) & mask;
        }
        tags[i] = t;
        setFilterBit(t);
    }

    private void setFilterBit(long t) {
        int bit = (int) (t >>> 2);
        filter[(bit >>> 6) & (filter.length - 1)] |= 1L << bit;
    }

    private void rebuildFilter() {
        java.util.Arrays.fill(filter, 0);
        for (long t : tags) {
            if (t != 0) {
                setFilterBit(t);
            }
        }
        removedSinceFilter = 0;
    }

    private void rehash(int capacity) {
        long[] old = tags;
        int n = size;
        allocate(capacity);
        for (long t : old) {
            if (t != 0) {
                insert(t);
            }
        }
        size = n;
    }

    private void allocate(int capacity) {
        filter = new long[capacity / 64 * 8];
        tags = new long[capacity];
        size = 0;
        removedSinceFilter = 0;
    }

    // synthetic and vanity addresses are far from uniform: mix all parts (a murmur3-style finaliser); the slot is taken
    // from the high half, bit 1 is the kind, and bit 0 is set so that no entry is the empty mark
    private static long tag(long hi, long mid, int lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ mid * 0xC2B2AE3D27D4EB4FL ^ lo * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h & ~SOURCE | 1;
    }
}
