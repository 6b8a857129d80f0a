package io.taintwatch.alerts.rules;

import io.taintwatch.model.Address;

/** Hex-digit comparisons of addresses, as a wallet shows them ({@code 0x1a2b3c…9d8e}). */
public final class Lookalikes {
    private Lookalikes() {}

    /** Whether {@code a} and {@code b} differ but share their first {@code prefix} and last {@code suffix} hex digits. */
    public static boolean lookAlike(Address a, Address b, int prefix, int suffix) {
        if (a.equals(b)) {
            return false;
        }
        byte[] x = a.toBytes();
        byte[] y = b.toBytes();
        return leading(x, y) >= prefix && trailing(x, y) >= suffix;
    }

    /** How many leading hex digits two 20-byte addresses share (0..40). */
    public static int leading(byte[] x, byte[] y) {
        for (int i = 0; i < 40; i++) {
            if (digit(x, i) != digit(y, i)) {
                return i;
            }
        }
        return 40;
    }

    /** How many trailing hex digits two 20-byte addresses share (0..40). */
    public static int trailing(byte[] x, byte[] y) {
        for (int i = 0; i < 40; i++) {
            if (digit(x, 39 - i) != digit(y, 39 - i)) {
                return i;
            }
        }
        return 40;
    }

    /** Hex digit {@code i} (0 = the first after {@code 0x}). */
    static int digit(byte[] b, int i) {
        int v = b[i >> 1] & 0xff;
        return (i & 1) == 0 ? v >>> 4 : v & 0x0f;
    }
}
