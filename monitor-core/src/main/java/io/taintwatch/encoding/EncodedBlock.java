package io.taintwatch.encoding;

import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.Position;
import java.util.Arrays;
import java.util.List;

/**
 * A validated {@code blocks.<chain>} record whose legs have not been built yet ({@link BlockCodec#scan}).
 * The header is decoded; each leg is a row of offsets into the record. Most blocks touch no tainted
 * address, and for those the engine needs no more than {@link #anyLegTouches}: no {@code Leg},
 * {@code Address} or {@code BigInteger} is allocated. {@link #block()} builds the full block once.
 */
public final class EncodedBlock {
    /** A set of addresses given as the three big-endian parts of {@code io.taintwatch.model.Address}. */
    @FunctionalInterface
    public interface AddressSet {
        boolean contains(long hi, long mid, int lo);
    }

    static final int KIND = 0;
    static final int TX = 1;
    static final int SUB = 2;
    static final int FROM = 3;
    static final int TO = 4;
    static final int TOKEN = 5;
    static final int TOKEN_ID = 6;
    static final int TOKEN_ID_LEN = 7;
    static final int AMOUNT = 8;
    static final int AMOUNT_LEN = 9;
    static final int LEG_INTS = 10;

    private final byte[] bytes;
    private final ChainId chain;
    private final long number;
    private final Hash32 hash;
    private final Hash32 parentHash;
    private final long timestamp;
    private final int[] txOffsets;
    private final int legCount;
    private final int[] legs;
    private final List<Balance> balances;
    private Block block;

    EncodedBlock(byte[] bytes, ChainId chain, long number, Hash32 hash, Hash32 parentHash, long timestamp, int[] txOffsets,
                 int legCount, int[] legs, List<Balance> balances) {
        this.bytes = bytes;
        this.chain = chain;
        this.number = number;
        this.hash = hash;
        this.parentHash = parentHash;
        this.timestamp = timestamp;
        this.txOffsets = txOffsets;
        this.legCount = legCount;
        this.legs = legs;
        this.balances = balances;
    }

    public ChainId chain() {
        return chain;
    }

    public long number() {
        return number;
    }

    public Hash32 hash() {
        return hash;
    }

    public Hash32 parentHash() {
        return parentHash;
    }

    /** Block time, seconds since the epoch. */
    public long timestamp() {
        return timestamp;
    }

    public int legCount() {
        return legCount;
    }

    /** The record as read (what {@link BlockCodec#encode} wrote for this block). */
    public byte[] bytes() {
        return bytes;
    }

    /** Whether the sender or the recipient of some leg is in {@code set}. */
    public boolean anyLegTouches(AddressSet set) {
        byte[] b = bytes;
        int[] l = legs;
        for (int at = 0, end = legCount * LEG_INTS; at < end; at += LEG_INTS) {
            int from = l[at + FROM];
            int to = l[at + TO];
            if (set.contains(ProtoReader.longAt(b, from), ProtoReader.longAt(b, from + 8), ProtoReader.intAt(b, from + 16))
                || set.contains(ProtoReader.longAt(b, to), ProtoReader.longAt(b, to + 8), ProtoReader.intAt(b, to + 16))) {
                return true;
            }
        }
        return false;
    }

    /** The whole block, built on first use; the record was validated by the scan, so this cannot fail. */
    public Block block() {
        Block b = block;
        if (b == null) {
            block = b = build();
        }
        return b;
    }

    private Block build() {
        Hash32[] txs = new Hash32[txOffsets.length];
        for (int i = 0; i < txs.length; i++) {
            if (txOffsets[i] >= 0) {
                txs[i] = ProtoReader.hashAt(bytes, txOffsets[i]);
            }
        }
        AssetCache assets = new AssetCache();
        Leg[] out = new Leg[legCount];
        int[] l = legs;
        for (int i = 0; i < legCount; i++) {
            int at = i * LEG_INTS;
            int tx = l[at + TX];
            out[i] = new Leg(new Position(number, tx, l[at + SUB]), BlockCodec.kindOf(l[at + KIND], "kind"), txs[tx],
                ProtoReader.addressAt(bytes, l[at + FROM]), ProtoReader.addressAt(bytes, l[at + TO]),
                BlockCodec.asset(bytes, l[at + TOKEN], l[at + TOKEN_ID], l[at + TOKEN_ID_LEN], assets),
                ProtoReader.unsigned(bytes, l[at + AMOUNT], l[at + AMOUNT_LEN], "amount"));
        }
        return new Block(chain, number, hash, parentHash, timestamp, Arrays.asList(out), balances);
    }

    @Override
    public String toString() {
        return "EncodedBlock[" + chain.name() + " " + number + ", " + legCount + " legs]";
    }
}
