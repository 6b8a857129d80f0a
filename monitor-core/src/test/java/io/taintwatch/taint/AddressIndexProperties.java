package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link AddressIndex} answers exactly as a {@code HashSet<Address>} does, through growth and clearing. */
class AddressIndexProperties {
    @Property(tries = 200)
    void containsExactlyWhatWasAdded(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5000) int adds) {
        Random r = new Random(seed);
        AddressIndex index = new AddressIndex();
        Set<Address> expected = new HashSet<>();
        for (int i = 0; i < adds; i++) {
            Address a = address(r);
            index.add(a);
            expected.add(a);
            if (r.nextInt(2000) == 0) {
                index.clear();
                expected.clear();
            }
        }
        assertThat(index.size()).isEqualTo(expected.size());
        for (Address a : expected) {
            assertThat(index.contains(a.hi(), a.mid(), a.lo())).as("added %s", a).isTrue();
        }
        for (int i = 0; i < 5000; i++) {
            Address a = address(r);
            assertThat(index.contains(a.hi(), a.mid(), a.lo())).as("probe %s", a).isEqualTo(expected.contains(a));
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
