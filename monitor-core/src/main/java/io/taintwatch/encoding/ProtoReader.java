package io.taintwatch.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;

/**
 * Minimal protobuf reader over {@code buf[pos, limit)}. Errors are {@link DecodeException}s naming the
 * field and the byte offset; callers add where in the record they were (leg 12, path 0 hop 3, ...).
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int SGROUP = 3;
    static final int EGROUP = 4;
    static final int I32 = 5;

    // one bounds-checked 8- or 4-byte load instead of a loop of byte shifts
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    final byte[] buf;
    int pos;
    int limit;

    ProtoReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Reads a field tag; rejects field number 0 and the reserved wire types 6 and 7. */
    int readTag() {
        int at = pos;
        long t = readVarint("field tag");
        if (t >>> 32 != 0 || (t >>> 3) == 0) {
            throw new DecodeException("invalid field tag " + t + " at offset " + at);
        }
        int wt = (int) t & 7;
        if (wt == 6 || wt == 7) {
            throw new DecodeException("invalid wire type " + wt + " at offset " + at);
        }
        return (int) t;
    }

    long readVarint(String what) {
        int p = pos;
        if (p >= limit) {
            throw truncated(what, 1);
        }
        byte b = buf[p++];
        if (b >= 0) {
            pos = p;
            return b;
        }
        long result = b & 0x7f;
        for (int shift = 7; ; shift += 7) {
            if (p >= limit) {
                throw truncated(what, 1);
            }
            b = buf[p++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                pos = p;
                return result;
            }
            if (shift >= 63) {
                throw new DecodeException(what + ": malformed varint (more than 10 bytes) at offset " + pos);
            }
        }
    }

    /** Reads a length prefix and checks that the content fits; {@code pos} is then at the content. */
    int readLength(String what) {
        int at = pos;
        // fast path: one-byte length (addresses, hashes, amounts, most legs)
        if (at < limit) {
            int b = buf[at];
            if (b >= 0) {
                if (b > limit - at - 1) {
                    throw new DecodeException("truncated input: " + what + " at offset " + at + " declares " + b
                        + " bytes but only " + (limit - at - 1) + " remain");
                }
                pos = at + 1;
                return b;
            }
        }
        long len = readVarint(what);
        if (len < 0 || len > limit - pos) {
            throw new DecodeException("truncated input: " + what + " at offset " + at + " declares " + Long.toUnsignedString(len)
                + " bytes but only " + (limit - pos) + " remain");
        }
        return (int) len;
    }

    DecodeException truncated(String what, int need) {
        return new DecodeException("truncated input: " + what + " needs " + need + " more byte(s) at offset " + pos);
    }

    void expect(int tag, int wireType, String what) {
        if ((tag & 7) != wireType) {
            throw new DecodeException(what + " (field " + (tag >>> 3) + ") has wire type " + (tag & 7) + ", expected " + wireType
                + " at offset " + pos);
        }
    }

    /** uint32 field; values beyond Integer.MAX_VALUE cannot be positions and are rejected. */
    int uint32(int tag, String what) {
        expect(tag, VARINT, what);
        long v = readVarint(what);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new DecodeException(what + " is out of range: " + Long.toUnsignedString(v));
        }
        return (int) v;
    }

    /** uint64 field that must fit a non-negative long. */
    long uint64(int tag, String what) {
        expect(tag, VARINT, what);
        long v = readVarint(what);
        if (v < 0) {
            throw new DecodeException(what + " is negative as a signed 64-bit value: " + Long.toUnsignedString(v));
        }
        return v;
    }

    boolean bool(int tag, String what) {
        expect(tag, VARINT, what);
        return readVarint(what) != 0;
    }

    String string(int tag, String what) {
        expect(tag, LEN, what);
        int len = readLength(what);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** A length-delimited field's content: returns its start; {@code pos} moves past it and {@link #lastLength} holds its length. */
    int bytes(int tag, String what) {
        expect(tag, LEN, what);
        int len = readLength(what);
        int start = pos;
        pos += len;
        lastLength = len;
        return start;
    }

    int lastLength;

    Address address(int tag, String what) {
        int start = bytes(tag, what);
        if (lastLength != 20) {
            throw new DecodeException(what + " has " + lastLength + " bytes, expected 20");
        }
        return addressAt(buf, start);
    }

    /** A 20-byte address field: its offset in {@link #buf} (nothing allocated). */
    int addressOffset(int tag, String what) {
        int start = bytes(tag, what);
        if (lastLength != 20) {
            throw new DecodeException(what + " has " + lastLength + " bytes, expected 20");
        }
        return start;
    }

    Hash32 hash(int tag, String what) {
        int start = bytes(tag, what);
        if (lastLength != 32) {
            throw new DecodeException(what + " has " + lastLength + " bytes, expected 32");
        }
        return hashAt(buf, start);
    }

    /** A token contract field: its offset, or -1 when empty (the native asset). */
    int token(int tag) {
        int start = bytes(tag, "token");
        if (lastLength == 20) {
            return start;
        }
        if (lastLength == 0) {
            return -1;
        }
        throw new DecodeException("token has " + lastLength + " bytes, expected 20 (or 0 for the native asset)");
    }

    /** A token id field: its offset ({@link #lastLength} holds its length, at most 32). */
    int tokenId(int tag) {
        int start = bytes(tag, "token_id");
        if (lastLength > 32) {
            throw new DecodeException("token_id has " + lastLength + " bytes, at most 32 allowed");
        }
        return start;
    }

    BigInteger unsigned(int tag, String what) {
        int start = bytes(tag, what);
        return unsigned(buf, start, lastLength, what);
    }

    static long longAt(byte[] b, int off) {
        return (long) LONG_BE.get(b, off);
    }

    static int intAt(byte[] b, int off) {
        return (int) INT_BE.get(b, off);
    }

    static Address addressAt(byte[] b, int off) {
        return new Address(longAt(b, off), longAt(b, off + 8), intAt(b, off + 16));
    }

    static Hash32 hashAt(byte[] b, int off) {
        return new Hash32(longAt(b, off), longAt(b, off + 8), longAt(b, off + 16), longAt(b, off + 24));
    }

    /** Unsigned big-endian, at most 32 bytes; leading zero bytes are tolerated on input (writers never emit them). */
    static BigInteger unsigned(byte[] b, int off, int len, String what) {
        if (len == 0) {
            return BigInteger.ZERO;
        }
        if (len < 8 || (len == 8 && b[off] >= 0)) {
            long v = 0;
            for (int i = 0; i < len; i++) {
                v = (v << 8) | (b[off + i] & 0xffL);
            }
            return BigInteger.valueOf(v);
        }
        if (len > 32) {
            throw new DecodeException(what + " has " + len + " bytes, at most 32 allowed");
        }
        return new BigInteger(1, b, off, len);
    }

    /** How deep unknown groups may nest, as in protobuf-java: deeper input would exhaust the stack. */
    static final int MAX_GROUP_DEPTH = 100;

    /** Skips an unknown field of any wire type, groups included (protobuf's rule for unknown fields). */
    void skip(int tag) {
        skip(tag, 0);
    }

    private void skip(int tag, int depth) {
        int field = tag >>> 3;
        switch (tag & 7) {
            case VARINT -> readVarint("unknown field " + field);
            case I64 -> advance(8, "unknown field " + field);
            case I32 -> advance(4, "unknown field " + field);
            case LEN -> {
                // not "pos += readLength(..)": Java would read pos before readLength moves it past the prefix
                int len = readLength("unknown field " + field);
                pos += len;
            }
            case SGROUP -> {
                if (depth >= MAX_GROUP_DEPTH) {
                    throw new DecodeException("unknown field " + field + ": groups nested deeper than " + MAX_GROUP_DEPTH
                        + " at offset " + pos);
                }
                while (true) {
                    if (!hasMore()) {
                        throw truncated("group of unknown field " + field, 1);
                    }
                    int t = readTag();
                    if ((t & 7) == EGROUP) {
                        if (t >>> 3 != field) {
                            throw new DecodeException("group of field " + field + " closed by field " + (t >>> 3) + " at offset " + pos);
                        }
                        return;
                    }
                    skip(t, depth + 1);
                }
            }
            case EGROUP -> throw new DecodeException("unexpected end of group (field " + field + ") at offset " + pos);
            default -> throw new DecodeException("invalid wire type " + (tag & 7) + " at offset " + pos);
        }
    }

    private void advance(int n, String what) {
        if (limit - pos < n) {
            throw truncated(what, n - (limit - pos));
        }
        pos += n;
    }
}
