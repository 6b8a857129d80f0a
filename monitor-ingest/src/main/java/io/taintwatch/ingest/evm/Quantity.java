package io.taintwatch.ingest.evm;

import io.taintwatch.model.Hex;
import java.math.BigInteger;

/**
 * Decodes JSON-RPC hex quantities ({@code 0x1a}) and plain decimals found in export files, strictly: unsigned digits
 * only, at most the 256 bits an EVM word holds. {@code new BigInteger} alone would take {@code 0x-5}, {@code 0x+5} and
 * ten thousand digits; web3j's {@code Numeric.decodeQuantity} takes the same (and bare decimals), which is why raw
 * response fields are read through here.
 */
public final class Quantity {
    /** 256 bits. */
    static final int MAX_HEX_DIGITS = 64;
    /** 2^256 - 1 has 78 decimal digits. */
    static final int MAX_DECIMAL_DIGITS = 78;

    private Quantity() {}

    /** Null for a null or empty input; otherwise the unsigned value of {@code 0x}-hex or decimal text. */
    public static BigInteger big(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        String digits = hex ? s.substring(2) : s;
        if (digits.isEmpty()) {
            if (hex) {
                return BigInteger.ZERO;
            }
            throw new IllegalArgumentException("quantity is empty");
        }
        int max = hex ? MAX_HEX_DIGITS : MAX_DECIMAL_DIGITS;
        if (digits.length() > max) {
            throw new IllegalArgumentException("quantity has " + digits.length() + (hex ? " hex" : "") + " digits, more than the "
                + max + " of a 256-bit value");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (hex ? Hex.nibble(c) < 0 : c < '0' || c > '9') {
                throw new IllegalArgumentException("quantity '" + Hex.abbreviate(s) + "' has '" + c + "' where only "
                    + (hex ? "hex" : "decimal") + " digits may be (no sign)");
            }
        }
        BigInteger v = new BigInteger(digits, hex ? 16 : 10);
        if (v.bitLength() > 256) {
            throw new IllegalArgumentException("quantity '" + Hex.abbreviate(s) + "' exceeds 256 bits");
        }
        return v;
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
