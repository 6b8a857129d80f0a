package io.taintwatch.ingest.evm;

import java.math.BigInteger;

/** Decodes JSON-RPC hex quantities ({@code 0x1a}) and plain decimals found in export files. */
public final class Quantity {
    private Quantity() {}

    /** Null for a null or empty input; otherwise the unsigned value of {@code 0x}-hex or decimal text. */
    public static BigInteger big(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.startsWith("0x") || s.startsWith("0X")) {
            String h = s.substring(2);
            return h.isEmpty() ? BigInteger.ZERO : new BigInteger(h, 16);
        }
        return new BigInteger(s);
    }

    public static long asLong(String s) {
        BigInteger b = big(s);
        if (b == null) {
            throw new IllegalArgumentException("quantity is missing");
        }
        return b.longValueExact();
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Reads an unsigned big-endian 32-byte word at {@code off}. */
    public static BigInteger word(byte[] data, int off) {
        byte[] w = new byte[33];
        System.arraycopy(data, off, w, 1, 32);
        return new BigInteger(w);
    }
}
