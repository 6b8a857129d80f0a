package io.taintwatch.encoding;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.BlockLegs;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.Position;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * A validated {@code blocks.<chain>} record whose legs have not been built yet ({@link BlockCodec#scan}).
 * The header is decoded; each leg is a row of offsets into the record. Most blocks touch no tainted
 * address, and for those the engine needs no more than {@link #anyLegTouches}: no {@code Leg},
 * {@code Address} or {@code BigInteger} is allocated. In the others the engine builds only the legs that
 * touch what it tracks ({@link #leg}); {@link #block()} builds the full block once.
 */
public final class EncodedBlock implements BlockLegs {
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
    // built on first use by leg(i): transaction hashes and token assets shared by the legs of this block
    private Hash32[] txHashes;
    private AssetCache assets;

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

    @Override
    public ChainId chain() {
        return chain;
    }

    @Override
    public long number() {
        return number;
    }

    @Override
    public Hash32 hash() {
        return hash;
    }

    @Override
    public Hash32 parentHash() {
        return parentHash;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public int legCount() {
        return legCount;
    }

    /** The record as read (what {@link BlockCodec#encode} wrote for this block). */
    public byte[] bytes() {
        return bytes;
    }

    /** Whether the sender or the recipient of some leg is in {@code set}. */
    public boolean anyLegTouches(AddressSet set) {
        for (int i = 0; i < legCount; i++) {
            if (legTouches(i, set)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean legTouches(int i, AddressSet set) {
        int at = checkIndex(i);
        int from = legs[at + FROM];
        int to = legs[at + TO];
        return set.contains(ProtoReader.longAt(bytes, from), ProtoReader.longAt(bytes, from + 8), ProtoReader.intAt(bytes, from + 16))
            || set.contains(ProtoReader.longAt(bytes, to), ProtoReader.longAt(bytes, to + 8), ProtoReader.intAt(bytes, to + 16));
    }

    /** Leg {@code i}, built on each call (or taken from {@link #block()} once that is built); validated by the scan, so it cannot fail. */
    @Override
    public Leg leg(int i) {
        int at = checkIndex(i);
        if (block != null) {
            return block.legs().get(i);
        }
        if (txHashes == null) {
            txHashes = new Hash32[txOffsets.length];
            assets = new AssetCache();
        }
        int[] l = legs;
        int tx = l[at + TX];
        Hash32 txHash = txHashes[tx];
        if (txHash == null) {
            txHashes[tx] = txHash = ProtoReader.hashAt(bytes, txOffsets[tx]);
        }
        return new Leg(new Position(number, tx, l[at + SUB]), BlockCodec.kindOf(l[at + KIND], "kind"), txHash,
            ProtoReader.addressAt(bytes, l[at + FROM]), ProtoReader.addressAt(bytes, l[at + TO]),
            BlockCodec.asset(bytes, l[at + TOKEN], l[at + TOKEN_ID], l[at + TOKEN_ID_LEN], assets, chain.kind()),
            ProtoReader.unsigned(bytes, l[at + AMOUNT], l[at + AMOUNT_LEN], "amount"));
    }

    @Override
    public BigInteger balanceOf(Address a, Asset asset) {
        return Block.balanceIn(balances, a, asset);
    }

    private int checkIndex(int i) {
        return java.util.Objects.checkIndex(i, legCount) * LEG_INTS;
    }

    /** The whole block, built on first use; the record was validated by the scan, so this cannot fail. */
    public Block block() {
        Block b = block;
        if (b == null) {
            Leg[] out = new Leg[legCount];
            for (int i = 0; i < legCount; i++) {
                out[i] = leg(i);
            }
            block = b = new Block(chain, number, hash, parentHash, timestamp, Arrays.asList(out), balances);
        }
        return b;
    }

    @Override
    public String toString() {
        return "EncodedBlock[" + chain.name() + " " + number + ", " + legCount + " legs]";
    }
}
