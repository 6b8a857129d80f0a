package io.taintwatch.alerts;

import io.taintwatch.model.Address;
import io.taintwatch.testing.Chain;

/** Lookalike addresses for tests, made directly (nobody needs the key of an address that only receives forged transfers). */
public final class LookalikeAddresses {
    private LookalikeAddresses() {}

    /** An address with exactly the first {@code prefix} and last {@code suffix} hex digits of {@code a}, the rest from {@code salt}. */
    public static Address of(Address a, int prefix, int suffix, String salt) {
        char[] real = a.toString().substring(2).toCharArray();
        char[] other = Chain.addr(salt).toString().substring(2).toCharArray();
        for (int i = 0; i < 40; i++) {
            if (i < prefix || i >= 40 - suffix) {
                other[i] = real[i];
            } else if (other[i] == real[i] && (i == prefix || i == 39 - suffix)) {
                other[i] = real[i] == '0' ? '1' : '0';
            }
        }
        return Address.parse("0x" + new String(other));
    }
}
