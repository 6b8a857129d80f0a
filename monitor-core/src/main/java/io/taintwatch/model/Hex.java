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
            int hi = Character.digit(h.charAt(2 * i), 16);
            int lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: '" + abbreviate(s) + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    public static String strip0x(String s) {
        if (s == null) {
            throw new IllegalArgumentException("hex value is missing");
        }
        return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
