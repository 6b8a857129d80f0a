package io.taintwatch.model;

/** A 32-byte hash (block or transaction) held in four longs. */
public record Hash32(long a, long b, long c, long d) {
    public static final Hash32 ZERO = new Hash32(0, 0, 0, 0);

    public static Hash32 of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    public static Hash32 of(byte[] bytes, int off, int len) {
        if (len != 32) {
            throw new IllegalArgumentException("a hash has 32 bytes, got " + len);
        }
        return new Hash32(Address.readLong(bytes, off), Address.readLong(bytes, off + 8),
            Address.readLong(bytes, off + 16), Address.readLong(bytes, off + 24));
    }

    public static Hash32 parse(String hex) {
        byte[] b = Hex.decode(hex);
        if (b.length != 32) {
            throw new IllegalArgumentException("invalid hash '" + Hex.abbreviate(hex) + "': expected 64 hex digits");
        }
        return of(b);
    }

    public byte[] toBytes() {
        byte[] out = new byte[32];
        writeTo(out, 0);
        return out;
    }

    public void writeTo(byte[] out, int off) {
        Address.writeLong(out, off, a);
        Address.writeLong(out, off + 8, b);
        Address.writeLong(out, off + 16, c);
        Address.writeLong(out, off + 24, d);
    }

    @Override
    public String toString() {
        return Hex.encode0x(toBytes());
    }
}
