package io.taintwatch.model;

/**
 * A 20-byte address held in three primitives, so that probing an index with it allocates nothing. EVM chains and Tron
 * both address accounts by these 20 bytes; how a chain writes them for people is its {@link ChainKind}'s business.
 * Parsing accepts lower- or upper-case hex (validating the EIP-55 checksum of mixed-case input) and Tron's Base58Check
 * {@code T...} form (validating its checksum).
 */
public record Address(long hi, long mid, int lo) implements Comparable<Address> {
    public static final Address ZERO = new Address(0, 0, 0);

    public static Address of(byte[] b) {
        return of(b, 0, b.length);
    }

    /** Reads 20 bytes; a 32-byte word (an ABI-encoded topic) is accepted if its first 12 bytes are zero. */
    public static Address of(byte[] b, int off, int len) {
        if (len == 32) {
            for (int i = 0; i < 12; i++) {
                if (b[off + i] != 0) {
                    throw new IllegalArgumentException("32-byte word is not an address: high bytes are set");
                }
            }
            off += 12;
            len = 20;
        }
        if (len != 20) {
            throw new IllegalArgumentException("an address has 20 bytes, got " + len);
        }
        return new Address(readLong(b, off), readLong(b, off + 8), readInt(b, off + 16));
    }

    /**
     * Parses {@code 0x} + 40 hex digits (mixed case must carry a valid EIP-55 checksum) or a Tron {@code T...} address
     * (its Base58Check checksum must match). Which kind of chain the text was written for: {@link ChainKind#ofText}.
     */
    public static Address parse(String s) {
        if (s != null && TronAddress.looksLikeBase58(s)) {
            return TronAddress.decode(s);
        }
        String h = Hex.strip0x(s.strip());
        if (h.length() != 40) {
            throw new IllegalArgumentException("invalid address '" + Hex.abbreviate(s) + "': expected 40 hex digits, got " + h.length());
        }
        for (int i = 0; i < 40; i++) {
            // ASCII only: Character.digit also accepts fullwidth and other scripts' digits, which would make a
            // look-alike string parse as a real address
            if (Hex.nibble(h.charAt(i)) < 0) {
                throw new IllegalArgumentException("invalid address '" + Hex.abbreviate(s) + "': '" + h.charAt(i) + "' is not a hex digit");
            }
        }
        boolean hasLower = !h.equals(h.toUpperCase());
        boolean hasUpper = !h.equals(h.toLowerCase());
        Address a = of(Hex.decode(h));
        if (hasLower && hasUpper && !a.toChecksumHex().substring(2).equals(h)) {
            throw new IllegalArgumentException("invalid address '" + Hex.abbreviate(s) + "': EIP-55 checksum mismatch (expected " + a.toChecksumHex() + ")");
        }
        return a;
    }

    public byte[] toBytes() {
        byte[] b = new byte[20];
        writeTo(b, 0);
        return b;
    }

    public void writeTo(byte[] b, int off) {
        writeLong(b, off, hi);
        writeLong(b, off + 8, mid);
        for (int i = 0; i < 4; i++) {
            b[off + 16 + i] = (byte) (lo >>> (24 - 8 * i));
        }
    }

    public boolean isZero() {
        return hi == 0 && mid == 0 && lo == 0;
    }

    /** EIP-55 mixed-case form (web3j's {@code Keys.toChecksumAddress}). */
    public String toChecksumHex() {
        return org.web3j.crypto.Keys.toChecksumAddress(toString());
    }

    @Override
    public int hashCode() {
        // addresses are uniformly distributed: the low bits are a good hash already
        return lo ^ (int) mid;
    }

    @Override
    public int compareTo(Address o) {
        int c = Long.compareUnsigned(hi, o.hi);
        if (c == 0) {
            c = Long.compareUnsigned(mid, o.mid);
        }
        return c != 0 ? c : Integer.compareUnsigned(lo, o.lo);
    }

    /** Lower-case {@code 0x}-prefixed hex. */
    @Override
    public String toString() {
        return Hex.encode0x(toBytes());
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static void writeLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }
}
