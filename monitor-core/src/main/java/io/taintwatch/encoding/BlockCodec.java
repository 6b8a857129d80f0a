package io.taintwatch.encoding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;

/**
 * The binary value of a {@code blocks.<chain>} record: exactly the protobuf wire format of
 * {@code taintwatch/v1/block.proto} ({@code BlockRecord}), written and parsed by hand because decoding
 * blocks is on the engine's hot path (protobuf-java would build a second object graph per block).
 * Output is byte-identical to protoc-generated code (fields in number order, proto3 defaults omitted).
 */
public final class BlockCodec {
    /** The schema version this codec writes and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;

    // BlockRecord fields
    private static final int F_SCHEMA_VERSION = 1;
    private static final int F_CHAIN_ID = 2;
    private static final int F_CHAIN_NAME = 3;
    private static final int F_NUMBER = 4;
    private static final int F_HASH = 5;
    private static final int F_PARENT_HASH = 6;
    private static final int F_TIMESTAMP = 7;
    private static final int F_TX_HASHES = 8;
    private static final int F_LEGS = 9;
    private static final int F_HAS_BALANCES = 10;
    private static final int F_BALANCES = 11;
    private static final int F_CHAIN_KIND = 12;
    // LegRecord fields
    /** The tag of a {@code legs} entry (field 9, length-delimited). */
    private static final byte LEGS_TAG = (F_LEGS << 3) | ProtoReader.LEN;
    private static final int L_KIND = 1;
    private static final int L_TX_INDEX = 2;
    private static final int L_SUB_INDEX = 3;
    private static final int L_FROM = 4;
    private static final int L_TO = 5;
    private static final int L_TOKEN = 6;
    private static final int L_AMOUNT = 7;
    private static final int L_TOKEN_ID = 8;
    // BalanceRecord fields
    private static final int B_ADDRESS = 1;
    private static final int B_TOKEN = 2;
    private static final int B_TOKEN_ID = 3;
    private static final int B_AMOUNT = 4;

    private static final LegKind[] KINDS = {null, LegKind.NATIVE, LegKind.INTERNAL, LegKind.ERC20, LegKind.ERC721,
        LegKind.ERC1155, LegKind.WETH, LegKind.FEE, LegKind.TRC10};

    /** The last chain decoded: every record of a topic carries the same one, so it is shared rather than rebuilt. */
    private static volatile ChainId lastChain = ChainId.ETHEREUM;

    private BlockCodec() {}

    /** {@code LegKindRecord} number of a leg kind. */
    static int kindCode(LegKind k) {
        return switch (k) {
            case NATIVE -> 1;
            case INTERNAL -> 2;
            case ERC20 -> 3;
            case ERC721 -> 4;
            case ERC1155 -> 5;
            case WETH -> 6;
            case FEE -> 7;
            case TRC10 -> 8;
        };
    }

    /** Leg kind of a {@code LegKindRecord} number. */
    static LegKind kindOf(long code, String field) {
        if (code == 0) {
            throw new DecodeException(field + " is missing (LEG_KIND_UNSPECIFIED)");
        }
        if (code < 0 || code >= KINDS.length) {
            throw new DecodeException("unknown leg kind " + Long.toUnsignedString(code));
        }
        return KINDS[(int) code];
    }

    /** {@code ChainKindRecord} number of a chain kind (0, the default, is EVM). */
    static int chainKindCode(ChainKind k) {
        return switch (k) {
            case EVM -> 0;
            case TRON -> 1;
        };
    }

    static ChainKind chainKindOf(long code) {
        if (code == 0) {
            return ChainKind.EVM;
        }
        if (code == 1) {
            return ChainKind.TRON;
        }
        throw new DecodeException("unknown chain_kind " + Long.toUnsignedString(code));
    }

    static ChainId chain(long id, String name, long kindCode) {
        ChainKind kind = chainKindOf(kindCode);
        ChainId c = lastChain;
        if (c.id() == id && c.kind() == kind && c.name().equals(name)) {
            return c;
        }
        try {
            c = new ChainId(id, name, kind);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(e.getMessage(), e);
        }
        lastChain = c;
        return c;
    }

    public static byte[] encode(Block block) {
        List<Leg> legs = block.legs();
        if (block.number() < 0 || block.timestamp() < 0) {
            throw new IllegalArgumentException("block " + block.number() + ": number and timestamp must not be negative");
        }
        int maxTx = -1;
        for (Leg l : legs) {
            maxTx = Math.max(maxTx, l.position().txIndex());
        }
        Hash32[] txs = new Hash32[maxTx + 1];
        for (Leg l : legs) {
            int t = l.position().txIndex();
            if (txs[t] == null) {
                txs[t] = l.txHash();
            } else if (!txs[t].equals(l.txHash())) {
                throw new IllegalArgumentException("block " + block.number() + ": tx_index " + t + " has two hashes, " + txs[t]
                    + " and " + l.txHash() + " (leg " + l.position() + ")");
            }
        }
        List<Balance> balances = block.balances();
        ProtoWriter w = new ProtoWriter(160 + 34 * txs.length + 96 * legs.size() + (balances == null ? 0 : 80 * balances.size()));
        w.uint(F_SCHEMA_VERSION, SCHEMA_VERSION);
        w.uint(F_CHAIN_ID, block.chain().id());
        w.string(F_CHAIN_NAME, block.chain().name());
        w.uint(F_NUMBER, block.number());
        w.hash(F_HASH, block.hash());
        w.hash(F_PARENT_HASH, block.parentHash());
        w.uint(F_TIMESTAMP, block.timestamp());
        for (Hash32 h : txs) {
            // a transaction without legs has no known hash: an empty entry keeps the indexes aligned
            w.repeatedHash(F_TX_HASHES, h);
        }
        for (Leg l : legs) {
            int m = w.beginMessage(F_LEGS);
            w.uint(L_KIND, kindCode(l.kind()));
            w.uint(L_TX_INDEX, l.position().txIndex());
            w.uint(L_SUB_INDEX, l.position().subIndex());
            w.address(L_FROM, l.from());
            w.address(L_TO, l.to());
            w.address(L_TOKEN, l.asset().contract());
            w.unsigned(L_AMOUNT, l.amount(), "amount");
            if (l.asset().tokenId() != null) {
                requireTrc10Chain(block.chain(), l.asset());
                w.unsignedPresent(L_TOKEN_ID, l.asset().tokenId(), "token id");
            }
            w.endMessage(m);
        }
        if (balances != null) {
            w.bool(F_HAS_BALANCES, true);
            for (Balance b : balances) {
                int m = w.beginMessage(F_BALANCES);
                w.address(B_ADDRESS, b.address());
                w.address(B_TOKEN, b.asset().contract());
                if (b.asset().tokenId() != null) {
                    requireTrc10Chain(block.chain(), b.asset());
                    w.unsignedPresent(B_TOKEN_ID, b.asset().tokenId(), "token id");
                }
                w.unsigned(B_AMOUNT, b.amount(), "balance");
                w.endMessage(m);
            }
        }
        w.uint(F_CHAIN_KIND, chainKindCode(block.chain().kind()));
        return w.toByteArray();
    }

    /** Decodes and validates a block record; every failure is a {@link DecodeException} naming where and why. */
    public static Block decode(byte[] bytes) {
        return scan(bytes).block();
    }

    /**
     * Validates a block record completely, as {@link #decode} does (same failures, same messages), but builds
     * only its header: the legs stay in the bytes until {@link EncodedBlock#block()} asks for them, and their
     * senders and recipients can be probed without allocating ({@link EncodedBlock#anyLegTouches}).
     */
    public static EncodedBlock scan(byte[] bytes) {
        return scan(bytes, true);
    }

    /** {@link #scan}; {@code canonicalFastPath = false} reads every leg with the general path (tests compare the two). */
    static EncodedBlock scan(byte[] bytes, boolean canonicalFastPath) {
        if (bytes == null) {
            throw new DecodeException("block record: no bytes (null value)");
        }
        ProtoReader r = new ProtoReader(bytes, 0, bytes.length);
        int version = 0;
        long chainId = 0;
        String chainName = "";
        long chainKind = 0;
        long number = 0;
        Hash32 hash = null;
        Hash32 parent = null;
        long timestamp = 0;
        boolean hasBalances = false;
        // legs and balances are read after the header: they need the block number and the tx hash table,
        // which protobuf allows to appear anywhere in the record
        int[] txSpans = new int[64];
        int txCount = 0;
        int legCount = 0;
        // each leg is recognised where it stands when it is in the canonical layout (one pass over the bytes); the others
        // are marked pending (FROM = -1) and scanned by the general path once the header is known
        // sized for a record that is all legs of the smallest valid size (48 bytes: tag, length, kind, from, to), so that
        // a valid block never grows and copies it (a fixed 256 legs grew a 300-leg block's array once: scan 35.3M ->
        // 40.8M legs/s, BlockDecodeBenchmark.scan); only a malformed record can need more, and grows it below
        int[] legData = new int[(bytes.length / 48 + 1) * EncodedBlock.LEG_INTS];
        boolean pending = false;
        int[] balSpans = null;
        int balCount = 0;
        try {
            while (r.hasMore()) {
                int tag = r.readTag();
                switch (tag >>> 3) {
                    case F_SCHEMA_VERSION -> {
                        version = r.uint32(tag, "schema_version");
                        checkVersion(version);
                    }
                    case F_CHAIN_ID -> chainId = r.uint64(tag, "chain_id");
                    case F_CHAIN_NAME -> chainName = r.string(tag, "chain_name");
                    case F_NUMBER -> number = r.uint64(tag, "number");
                    case F_HASH -> hash = r.hash(tag, "hash");
                    case F_PARENT_HASH -> parent = r.hash(tag, "parent_hash");
                    case F_TIMESTAMP -> timestamp = r.uint64(tag, "timestamp");
                    case F_TX_HASHES -> {
                        int s = r.bytes(tag, "tx_hashes");
                        if (2 * txCount + 2 > txSpans.length) {
                            txSpans = Arrays.copyOf(txSpans, txSpans.length * 2);
                        }
                        txSpans[2 * txCount] = s;
                        txSpans[2 * txCount + 1] = r.lastLength;
                        txCount++;
                    }
                    case F_LEGS -> {
                        int s = r.bytes(tag, "legs");
                        int len = r.lastLength;
                        while (true) {
                            int at = legCount * EncodedBlock.LEG_INTS;
                            if (at + EncodedBlock.LEG_INTS > legData.length) {
                                legData = Arrays.copyOf(legData, legData.length * 2);
                            }
                            if (!canonicalFastPath || !canonicalLeg(bytes, s, s + len, txSpans, txCount, legData, at)) {
                                // pending: where the leg is, for the general path
                                legData[at + EncodedBlock.FROM] = -1;
                                legData[at + EncodedBlock.TO] = s;
                                legData[at + EncodedBlock.TOKEN] = len;
                                pending = true;
                            }
                            legCount++;
                            // legs follow one another: take the next one here when its tag and one-byte length are the
                            // usual ones (what readTag and bytes would read for them), else back to the general loop
                            int p = r.pos;
                            if (p + 1 >= bytes.length || bytes[p] != LEGS_TAG || bytes[p + 1] < 0 || bytes[p + 1] > bytes.length - p - 2) {
                                break;
                            }
                            s = p + 2;
                            len = bytes[p + 1];
                            r.pos = s + len;
                        }
                    }
                    case F_HAS_BALANCES -> hasBalances = r.bool(tag, "has_balances");
                    case F_CHAIN_KIND -> {
                        r.expect(tag, ProtoReader.VARINT, "chain_kind");
                        chainKind = r.readVarint("chain_kind");
                    }
                    case F_BALANCES -> {
                        int s = r.bytes(tag, "balances");
                        if (balSpans == null) {
                            balSpans = new int[64];
                        } else if (2 * balCount + 2 > balSpans.length) {
                            balSpans = Arrays.copyOf(balSpans, balSpans.length * 2);
                        }
                        balSpans[2 * balCount] = s;
                        balSpans[2 * balCount + 1] = r.lastLength;
                        balCount++;
                    }
                    default -> r.skip(tag);
                }
            }
            if (version == 0) {
                throw new DecodeException("schema_version is missing or 0 (current is " + SCHEMA_VERSION + ")");
            }
            if (hash == null) {
                throw new DecodeException("hash is missing");
            }
            if (parent == null) {
                throw new DecodeException("parent_hash is missing");
            }
        } catch (DecodeException e) {
            throw new DecodeException("block record: " + e.getMessage(), e.getCause());
        }
        ChainId chain;
        try {
            chain = chain(chainId, chainName, chainKind);
        } catch (DecodeException e) {
            throw new DecodeException(where(number) + e.getMessage(), e.getCause());
        }
        if (balCount > 0 && !hasBalances) {
            throw new DecodeException(where(number) + balCount + " balances present but has_balances is false");
        }
        int[] txOffsets = new int[txCount];
        for (int i = 0; i < txCount; i++) {
            int len = txSpans[2 * i + 1];
            if (len == 32) {
                txOffsets[i] = txSpans[2 * i];
            } else if (len == 0) {
                txOffsets[i] = -1;
            } else {
                throw new DecodeException(where(number) + "tx_hashes[" + i + "] has " + len + " bytes, expected 32 (or 0 for an unknown hash)");
            }
        }
        ProtoReader lr = new ProtoReader(bytes, 0, bytes.length);
        for (int i = 0; pending && i < legCount; i++) {
            int at = i * EncodedBlock.LEG_INTS;
            if (legData[at + EncodedBlock.FROM] >= 0) {
                continue;
            }
            try {
                scanLeg(lr, legData[at + EncodedBlock.TO], legData[at + EncodedBlock.TO] + legData[at + EncodedBlock.TOKEN], txOffsets,
                    chain.kind(), legData, at);
            } catch (DecodeException e) {
                throw new DecodeException(where(number) + "leg " + i + ": " + e.getMessage(), e.getCause());
            }
        }
        List<Balance> balances = null;
        if (hasBalances) {
            balances = new ArrayList<>(balCount);
            AssetCache assets = new AssetCache();
            for (int i = 0; i < balCount; i++) {
                try {
                    balances.add(decodeBalance(new ProtoReader(bytes, balSpans[2 * i], balSpans[2 * i] + balSpans[2 * i + 1]), chain.kind(),
                        assets));
                } catch (DecodeException e) {
                    throw new DecodeException(where(number) + "balance " + i + ": " + e.getMessage(), e.getCause());
                }
            }
        }
        // what the Block constructor would reject: legs in strictly increasing position order
        for (int i = 1; i < legCount; i++) {
            int p = (i - 1) * EncodedBlock.LEG_INTS;
            int q = i * EncodedBlock.LEG_INTS;
            int byTx = Integer.compare(legData[q + EncodedBlock.TX], legData[p + EncodedBlock.TX]);
            if (byTx < 0 || byTx == 0 && legData[q + EncodedBlock.SUB] <= legData[p + EncodedBlock.SUB]) {
                throw new DecodeException(where(number) + "legs out of order or duplicated at "
                    + new Position(number, legData[q + EncodedBlock.TX], legData[q + EncodedBlock.SUB]));
            }
        }
        return new EncodedBlock(bytes, chain, number, hash, parent, timestamp, txOffsets, legCount, legData, balances);
    }

    /** The prefix of a block's error messages (built only on error: scanning a valid block allocates no text). */
    private static String where(long number) {
        return "block " + number + ": ";
    }

    static void checkVersion(int version) {
        if (version == 0) {
            throw new DecodeException("schema_version is 0 (current is " + SCHEMA_VERSION + ")");
        }
        if (version != SCHEMA_VERSION) {
            throw new DecodeException("unknown schema_version " + version + " (this reader knows " + SCHEMA_VERSION + ")");
        }
    }

    /** Validates one leg and records its fields (kind, position, offsets) at {@code data[at ..]}. */
    private static void scanLeg(ProtoReader r, int start, int end, int[] txOffsets, ChainKind chainKind, int[] data, int at) {
        r.pos = start;
        r.limit = end;
        long kindCode = 0;
        int txIndex = 0;
        int subIndex = 0;
        int from = -1;
        int to = -1;
        int tokenOff = -1;
        int tokenIdOff = -1;
        int tokenIdLen = 0;
        int amountOff = 0;
        int amountLen = 0;
        while (r.pos < end) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case L_KIND -> {
                    r.expect(tag, ProtoReader.VARINT, "kind");
                    kindCode = r.readVarint("kind");
                }
                case L_TX_INDEX -> txIndex = r.uint32(tag, "tx_index");
                case L_SUB_INDEX -> subIndex = r.uint32(tag, "sub_index");
                case L_FROM -> from = r.addressOffset(tag, "from");
                case L_TO -> to = r.addressOffset(tag, "to");
                case L_TOKEN -> tokenOff = r.token(tag);
                case L_AMOUNT -> {
                    amountOff = r.bytes(tag, "amount");
                    amountLen = r.lastLength;
                    if (amountLen > 32) {
                        throw new DecodeException("amount has " + amountLen + " bytes, at most 32 allowed");
                    }
                }
                case L_TOKEN_ID -> {
                    tokenIdOff = r.tokenId(tag);
                    tokenIdLen = r.lastLength;
                }
                default -> r.skip(tag);
            }
        }
        kindOf(kindCode, "kind");
        if (from < 0) {
            throw new DecodeException("from is missing");
        }
        if (to < 0) {
            throw new DecodeException("to is missing");
        }
        if (txIndex >= txOffsets.length) {
            throw new DecodeException("tx_index " + txIndex + " is outside tx_hashes (" + txOffsets.length + " entries)");
        }
        if (txOffsets[txIndex] < 0) {
            throw new DecodeException("tx_index " + txIndex + " refers to an empty tx_hashes entry");
        }
        if (tokenOff < 0 && tokenIdOff >= 0) {
            checkTrc10(r.buf, tokenIdOff, tokenIdLen, chainKind);
        }
        data[at + EncodedBlock.KIND] = (int) kindCode;
        data[at + EncodedBlock.TX] = txIndex;
        data[at + EncodedBlock.SUB] = subIndex;
        data[at + EncodedBlock.FROM] = from;
        data[at + EncodedBlock.TO] = to;
        data[at + EncodedBlock.TOKEN] = tokenOff;
        data[at + EncodedBlock.TOKEN_ID] = tokenIdOff;
        data[at + EncodedBlock.TOKEN_ID_LEN] = tokenIdLen;
        data[at + EncodedBlock.AMOUNT] = amountOff;
        data[at + EncodedBlock.AMOUNT_LEN] = amountLen;
    }

    /**
     * The fast path of {@link #scanLeg}: a valid leg in exactly the layout {@link #encode} writes (fields in number order,
     * each at most once, defaults omitted, varints of at most two bytes) whose transaction's 32-byte hash has been read
     * ({@code txSpans}: offset and length of each {@code tx_hashes} entry so far) is recognised byte by byte and recorded
     * as the general scan would record it. Anything else (another order, unknown fields, any error) returns false, and
     * the general scan decides, so that accepted records and error messages do not depend on which path ran.
     */
    static boolean canonicalLeg(byte[] b, int p, int end, int[] txSpans, int txCount, int[] data, int at) {
        // kind: tag 0x08, one byte 1..7 (never omitted: 0 is invalid)
        if (end - p < 2 + 42 || b[p] != 0x08) {
            return false;
        }
        int kind = b[p + 1];
        if (kind < 1 || kind >= KINDS.length) {
            return false;
        }
        p += 2;
        int tx = optionalShortVarint(b, p, 0x10);
        if (tx < 0) {
            return false;
        }
        p += tx & 3;
        int sub = optionalShortVarint(b, p, 0x18);
        if (sub < 0) {
            return false;
        }
        p += sub & 3;
        tx >>>= 2;
        sub >>>= 2;
        // from and to: tag, length 20, 20 bytes each
        if (end - p < 44 || b[p] != 0x22 || b[p + 1] != 20 || b[p + 22] != 0x2a || b[p + 23] != 20) {
            return false;
        }
        int from = p + 2;
        int to = p + 24;
        p += 44;
        int token = -1;
        if (p < end && b[p] == 0x32) {
            if (end - p < 22 || b[p + 1] != 20) {
                return false;
            }
            token = p + 2;
            p += 22;
        }
        int amountOff = 0;
        int amountLen = 0;
        if (p < end && b[p] == 0x3a) {
            if (end - p < 2) {
                return false;
            }
            amountLen = b[p + 1];
            if (amountLen <= 0 || amountLen > 32 || end - p - 2 < amountLen) {
                return false;
            }
            amountOff = p + 2;
            p += 2 + amountLen;
        }
        int tokenIdOff = -1;
        int tokenIdLen = 0;
        if (p < end && b[p] == 0x42) {
            if (end - p < 2) {
                return false;
            }
            tokenIdLen = b[p + 1];
            if (tokenIdLen < 0 || tokenIdLen > 32 || end - p - 2 < tokenIdLen || token < 0) {
                return false;
            }
            tokenIdOff = p + 2;
            p += 2 + tokenIdLen;
        }
        if (p != end || tx >= txCount || txSpans[2 * tx + 1] != 32) {
            return false;
        }
        data[at + EncodedBlock.KIND] = kind;
        data[at + EncodedBlock.TX] = tx;
        data[at + EncodedBlock.SUB] = sub;
        data[at + EncodedBlock.FROM] = from;
        data[at + EncodedBlock.TO] = to;
        data[at + EncodedBlock.TOKEN] = token;
        data[at + EncodedBlock.TOKEN_ID] = tokenIdOff;
        data[at + EncodedBlock.TOKEN_ID_LEN] = tokenIdLen;
        data[at + EncodedBlock.AMOUNT] = amountOff;
        data[at + EncodedBlock.AMOUNT_LEN] = amountLen;
        return true;
    }

    /**
     * An optional varint field of at most two bytes at {@code p} with the one-byte {@code tag}: its value shifted left by
     * two, ored with the bytes it takes (tag included, 2 or 3); 0 when another field starts at {@code p} (absent: value 0,
     * no bytes); -1 when its varint is longer than two bytes or not minimal (left to the general path). The caller knows
     * three bytes are there.
     */
    private static int optionalShortVarint(byte[] b, int p, int tag) {
        if (b[p] != tag) {
            return 0;
        }
        int v = b[p + 1];
        if (v >= 0) {
            return v << 2 | 2;
        }
        int v2 = b[p + 2];
        if (v2 <= 0) {
            return -1;
        }
        return ((v & 0x7f) | (v2 << 7)) << 2 | 3;
    }

    /**
     * The asset of a token field (offset or -1 when empty) and an optional token id; {@code assets} may be null. A token
     * id without a token is a TRC-10 token, which only Tron chains have ({@code chainKind} null: checked by the caller).
     */
    static Asset asset(byte[] b, int tokenOff, int tokenIdOff, int tokenIdLen, AssetCache assets, ChainKind chainKind) {
        if (tokenOff < 0) {
            if (tokenIdOff < 0) {
                return Asset.NATIVE;
            }
            checkTrc10(b, tokenIdOff, tokenIdLen, chainKind);
            return Asset.trc10(ProtoReader.unsigned(b, tokenIdOff, tokenIdLen, "token_id"));
        }
        if (tokenIdOff < 0) {
            return assets != null ? assets.token(b, tokenOff) : Asset.token(ProtoReader.addressAt(b, tokenOff));
        }
        return Asset.nft(ProtoReader.addressAt(b, tokenOff), ProtoReader.unsigned(b, tokenIdOff, tokenIdLen, "token_id"));
    }

    /** Refuses to write a TRC-10 asset on a chain that is not Tron's (no reader would accept it back). */
    static void requireTrc10Chain(ChainId chain, Asset asset) {
        if (asset.isTrc10() && chain.kind() != ChainKind.TRON) {
            throw new IllegalArgumentException("TRC-10 asset " + asset + " on " + chain.kind().label() + " chain " + chain.name());
        }
    }

    /**
     * A token id without a token: a TRC-10 token, refused on other than Tron chains and when zero (no TRC-10 token has id
     * 0); {@code chainKind} null leaves the chain to the caller.
     */
    static void checkTrc10(byte[] b, int tokenIdOff, int tokenIdLen, ChainKind chainKind) {
        if (chainKind != null && chainKind != ChainKind.TRON) {
            throw new DecodeException("token_id is set but token is empty (the native asset has no token id)");
        }
        for (int i = 0; i < tokenIdLen; i++) {
            if (b[tokenIdOff + i] != 0) {
                return;
            }
        }
        throw new DecodeException("token_id is 0 and token is empty (a TRC-10 token id is positive)");
    }

    private static Balance decodeBalance(ProtoReader r, ChainKind chainKind, AssetCache assets) {
        Address address = null;
        int tokenOff = -1;
        int tokenIdOff = -1;
        int tokenIdLen = 0;
        BigInteger amount = BigInteger.ZERO;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case B_ADDRESS -> address = r.address(tag, "address");
                case B_TOKEN -> tokenOff = r.token(tag);
                case B_TOKEN_ID -> {
                    tokenIdOff = r.tokenId(tag);
                    tokenIdLen = r.lastLength;
                }
                case B_AMOUNT -> amount = r.unsigned(tag, "amount");
                default -> r.skip(tag);
            }
        }
        if (address == null) {
            throw new DecodeException("address is missing");
        }
        return new Balance(address, asset(r.buf, tokenOff, tokenIdOff, tokenIdLen, assets, chainKind), amount);
    }
}
