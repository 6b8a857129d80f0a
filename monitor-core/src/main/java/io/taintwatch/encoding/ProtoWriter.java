package io.taintwatch.encoding;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;

/**
 * Minimal protobuf writer over a growable array. Proto3 rules: scalar fields equal to their default
 * (0, empty, false) are not written; callers write fields in field-number order so that the output is
 * byte-identical to what protoc-generated code produces.
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int LEN = 2;

    private byte[] buf;
    private int pos;

    ProtoWriter(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    private void rawVarint(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            buf[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void tag(int field, int wireType) {
        rawVarint((field << 3) | wireType);
    }

    /** uint32/uint64/enum field; skipped when 0. */
    void uint(int field, long v) {
        if (v != 0) {
            tag(field, VARINT);
            rawVarint(v);
        }
    }

    void bool(int field, boolean v) {
        if (v) {
            tag(field, VARINT);
            rawVarint(1);
        }
    }

    void string(int field, String s) {
        if (s != null && !s.isEmpty()) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            tag(field, LEN);
            rawVarint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }
    }

    /** An element of a repeated bytes field: written even when empty. */
    void repeatedBytes(int field, byte[] b) {
        tag(field, LEN);
        rawVarint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** An element of repeated bytes holding a hash, or an empty element for null. */
    void repeatedHash(int field, Hash32 h) {
        tag(field, LEN);
        ensure(33);
        if (h == null) {
            buf[pos++] = 0;
            return;
        }
        buf[pos++] = 32;
        h.writeTo(buf, pos);
        pos += 32;
    }

    void address(int field, Address a) {
        if (a != null) {
            tag(field, LEN);
            ensure(21);
            buf[pos++] = 20;
            a.writeTo(buf, pos);
            pos += 20;
        }
    }

    void hash(int field, Hash32 h) {
        if (h != null) {
            tag(field, LEN);
            ensure(33);
            buf[pos++] = 32;
            h.writeTo(buf, pos);
            pos += 32;
        }
    }

    /** Unsigned big-endian without leading zero bytes; zero is skipped (proto3 default). */
    void unsigned(int field, BigInteger v, String what) {
        if (v.signum() != 0) {
            unsignedPresent(field, v, what);
        }
    }

    /** As {@link #unsigned} but always written (for {@code optional bytes}: zero is an empty, present value). */
    void unsignedPresent(int field, BigInteger v, String what) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException(what + " is negative: " + v);
        }
        tag(field, LEN);
        if (v.bitLength() <= 63) {
            long x = v.longValue();
            int n = (64 - Long.numberOfLeadingZeros(x) + 7) >>> 3;
            ensure(1 + n);
            buf[pos++] = (byte) n;
            for (int i = n - 1; i >= 0; i--) {
                buf[pos++] = (byte) (x >>> (8 * i));
            }
            return;
        }
        byte[] b = v.toByteArray();
        int off = b[0] == 0 ? 1 : 0;
        int n = b.length - off;
        if (n > 32) {
            throw new IllegalArgumentException(what + " has " + n + " bytes, at most 32 allowed: " + v);
        }
        ensure(1 + n);
        buf[pos++] = (byte) n;
        System.arraycopy(b, off, buf, pos, n);
        pos += n;
    }

    /** Starts an embedded message; returns a mark for {@link #endMessage}. */
    int beginMessage(int field) {
        tag(field, LEN);
        ensure(1);
        // one length byte reserved: most embedded messages are shorter than 128 bytes
        return pos++;
    }

    void endMessage(int mark) {
        int len = pos - mark - 1;
        if (len < 0x80) {
            buf[mark] = (byte) len;
            return;
        }
        int extra = varintSize(len) - 1;
        ensure(extra);
        System.arraycopy(buf, mark + 1, buf, mark + 1 + extra, len);
        pos += extra;
        int p = mark;
        long v = len;
        while ((v & ~0x7fL) != 0) {
            buf[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[p] = (byte) v;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
