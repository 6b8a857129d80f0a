package io.taintwatch.model;

/** Hex helpers shared by the domain types; lower-case output, tolerant of a 0x prefix on input. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    public static String encode(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = DIGITS[(b[i] >>> 4) & 0xf];
            out[2 * i + 1] = DIGITS[b[i] & 0xf];
        }
        return new String(out);
    }

    public static String encode0x(byte[] b) {
        return "0x" + encode(b);
    }

    /** Decodes hex with an optional 0x prefix; odd lengths are left-padded with a zero nibble. */
    public static byte[] decode(String s) {
        String h = strip0x(s);
        if ((h.length() & 1) == 1) {
            h = "0" + h;
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = nibble(h.charAt(2 * i));
            int lo = nibble(h.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: '" + abbreviate(s) + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** The value of an ASCII hex digit, or -1 (also for the non-ASCII digits that {@link Character#digit} accepts). */
    public static int nibble(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    public static String strip0x(String s) {
        if (s == null) {
            throw new IllegalArgumentException("hex value is missing");
        }
        return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    }

    /** At most 80 characters of {@code s}, for error messages about untrusted input. */
    public static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
