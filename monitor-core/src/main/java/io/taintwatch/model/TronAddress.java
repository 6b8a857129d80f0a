package io.taintwatch.model;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Tron's address forms of the 20 bytes every part of taintwatch works with: Base58Check {@code T...} (version byte
 * {@code 0x41}, the 20 bytes, the first 4 bytes of SHA-256(SHA-256(version + bytes)); what users see and type) and the
 * 21-byte hex form {@code 41...} of java-tron's HTTP API. The Base58 codec is here rather than a library: the Maven
 * Central ones are either GPL (NovaCrypto Base58) or a large framework (bitcoinj: Guava, Bouncy Castle, protobuf-javalite
 * next to our protobuf-java); encoding 25 bytes takes a few lines over {@link BigInteger} (docs/labels.md).
 */
public final class TronAddress {
    /** The version byte of a Tron mainnet (and testnet) address. */
    public static final int PREFIX = 0x41;
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    /** Every 25-byte payload starting with 0x41 encodes to 34 characters starting with 'T'. */
    private static final int LENGTH = 34;

    private TronAddress() {}

    /** The {@code T...} form. */
    public static String encode(Address a) {
        byte[] payload = new byte[25];
        payload[0] = (byte) PREFIX;
        a.writeTo(payload, 1);
        System.arraycopy(checksum(payload, 21), 0, payload, 21, 4);
        StringBuilder sb = new StringBuilder(LENGTH);
        BigInteger n = new BigInteger(1, payload);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(BASE);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        // a leading zero byte would be a leading '1'; the version byte 0x41 is never zero
        return sb.reverse().toString();
    }

    /** True when the text has the shape of a Base58 Tron address (checksum not yet checked). */
    public static boolean looksLikeBase58(String s) {
        String t = s.strip();
        return t.length() == LENGTH && t.charAt(0) == 'T';
    }

    /**
     * Parses {@code T...}; a character outside Base58, a wrong length or version byte and a checksum that does not match
     * are each refused with the reason.
     */
    public static Address decode(String s) {
        String t = s.strip();
        if (t.length() != LENGTH || t.charAt(0) != 'T') {
            throw new IllegalArgumentException("invalid Tron address '" + Hex.abbreviate(s) + "': expected 'T' and 33 more Base58 characters, got "
                + t.length() + " characters");
        }
        BigInteger n = BigInteger.ZERO;
        for (int i = 0; i < t.length(); i++) {
            int d = ALPHABET.indexOf(t.charAt(i));
            if (d < 0) {
                throw new IllegalArgumentException("invalid Tron address '" + Hex.abbreviate(s) + "': '" + t.charAt(i) + "' is not a Base58 character");
            }
            n = n.multiply(BASE).add(BigInteger.valueOf(d));
        }
        byte[] raw = n.toByteArray();
        // BigInteger may add a sign byte; a 34-character 'T' string is always at least 25 bytes long
        byte[] payload = raw.length > 25 ? Arrays.copyOfRange(raw, raw.length - 25, raw.length) : raw;
        if (raw.length > 25 && raw[0] != 0 || payload.length != 25) {
            throw new IllegalArgumentException("invalid Tron address '" + Hex.abbreviate(s) + "': does not decode to 25 bytes");
        }
        if ((payload[0] & 0xff) != PREFIX) {
            throw new IllegalArgumentException("invalid Tron address '" + Hex.abbreviate(s) + "': version byte 0x"
                + Hex.encode(new byte[] {payload[0]}) + ", expected 0x41");
        }
        byte[] expected = checksum(payload, 21);
        if (!Arrays.equals(expected, 0, 4, payload, 21, 25)) {
            throw new IllegalArgumentException("invalid Tron address '" + Hex.abbreviate(s) + "': Base58Check checksum mismatch");
        }
        return Address.of(payload, 1, 20);
    }

    /**
     * java-tron's hex forms: {@code 41} + 40 hex digits (the HTTP API without {@code visible}), or the 20-byte
     * {@code 0x} form of its JSON-RPC and logs.
     */
    public static Address fromHex(String s) {
        String h = Hex.strip0x(s.strip());
        if (h.length() == 42) {
            if (!h.startsWith("41")) {
                throw new IllegalArgumentException("invalid Tron hex address '" + Hex.abbreviate(s) + "': 21 bytes must start with 41");
            }
            h = h.substring(2);
        }
        return Address.parse("0x" + h.toLowerCase(java.util.Locale.ROOT));
    }

    /** The first 4 bytes of SHA-256(SHA-256(b[0..len))). */
    private static byte[] checksum(byte[] b, int len) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(b, 0, len);
            byte[] once = sha.digest();
            return Arrays.copyOf(sha.digest(once), 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
