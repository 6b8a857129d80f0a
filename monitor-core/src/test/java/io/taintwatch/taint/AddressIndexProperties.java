package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link AddressIndex} answers as a map from (address, kind) to the entries added and not removed, through growth,
 * shrinking, removals that shift entries back and rebuilt filters (these addresses share no 64-bit hash, so its answers
 * are exact here).
 */
class AddressIndexProperties {
    @Property(tries = 200)
    void containsExactlyWhatWasAddedAndNotRemoved(@ForAll long seed, @ForAll @IntRange(min = 0, max = 6000) int steps) {
        Random r = new Random(seed);
        AddressIndex index = new AddressIndex();
        Map<Address, int[]> expected = new HashMap<>();
        List<long[]> present = new ArrayList<>();
        int entries = 0;
        for (int i = 0; i < steps; i++) {
            // grow for a while, then mostly remove, so the table shrinks again
            boolean removing = i % 3000 > 1500 ? r.nextInt(10) > 0 : r.nextInt(4) == 0;
            if (removing && !present.isEmpty()) {
                long[] e = present.remove(r.nextInt(present.size()));
                Address a = new Address(e[0], e[1], (int) e[2]);
                int kind = (int) e[3];
                assertThat(index.remove(a, kind)).isTrue();
                expected.get(a)[kind / 2]--;
                entries--;
            } else {
                Address a = address(r);
                int kind = r.nextBoolean() ? AddressIndex.TRACKED : AddressIndex.SOURCE;
                int[] counts = expected.computeIfAbsent(a, k -> new int[2]);
                if (counts[kind / 2] > 0) {
                    continue; // the engine adds an entry of a kind once per address
                }
                index.add(a, kind);
                counts[kind / 2]++;
                present.add(new long[] {a.hi(), a.mid(), a.lo(), kind});
                entries++;
            }
        }
        assertThat(index.size()).isEqualTo(entries);
        for (Map.Entry<Address, int[]> e : expected.entrySet()) {
            Address a = e.getKey();
            int[] c = e.getValue();
            assertThat(index.contains(a.hi(), a.mid(), a.lo())).as("%s", a).isEqualTo(c[0] + c[1] > 0);
            assertThat(index.contains(a, AddressIndex.TRACKED)).as("%s tracked", a).isEqualTo(c[0] > 0);
            assertThat(index.contains(a, AddressIndex.SOURCE)).as("%s source", a).isEqualTo(c[1] > 0);
        }
        for (int i = 0; i < 5000; i++) {
            Address a = address(r);
            int[] c = expected.getOrDefault(a, new int[2]);
            assertThat(index.contains(a.hi(), a.mid(), a.lo())).as("probe %s", a).isEqualTo(c[0] + c[1] > 0);
        }
        Address absent = new Address(-1, -1, -1);
        if (!expected.containsKey(absent)) {
            assertThat(index.remove(absent, AddressIndex.TRACKED)).isFalse();
        }
    }

    /** Random, or one of a few structured shapes (all zero, one part varying) that a weak hash would cluster. */
    private static Address address(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> new Address(r.nextLong(), r.nextLong(), r.nextInt());
            case 1 -> new Address(0, 0, r.nextInt(64));
            case 2 -> new Address(r.nextInt(64), 0, 0);
            default -> new Address(0, r.nextInt(64), 0);
        };
    }
}
