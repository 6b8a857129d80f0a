package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Category;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary encoding of the engine's state for its changelogged stores (accounts, seeds, ledgers). Internal
 * to the engine: versioned so that a newer engine can refuse or migrate an older state.
 *
 * <p>Accounts (store {@code taint-accounts}), version 2: per tracked address a header record (hops and provenance)
 * under the 20 address bytes ({@link #accountKey}) and per asset a holding record under the address bytes followed by
 * the asset ({@link #holdingKey}), so a block rewrites only the records it changed ({@link AccountChange}) and, in key
 * order, an address's header comes before its holdings. Version 1 was one whole-account record under the address
 * bytes; it is still read ({@link #restoreAccounts}), and such an account is rewritten in the new layout the first
 * time it changes.
 */
public final class StateCodec {
    private static final int VERSION = 1;
    private static final int ACCOUNT_VERSION = 2;
    private static final int ADDRESS_BYTES = 20;

    private StateCodec() {}

    // ---------------------------------------------------------------- accounts

    /** The key of an address's header record (and of its version-1 whole-account record): its 20 bytes. */
    public static byte[] accountKey(Address a) {
        return a.toBytes();
    }

    /**
     * The key of a holding record: the address's 20 bytes, then the asset (0 for the native coin; 1 and the contract
     * for a token; 2, the contract and the token id's bytes for one token id; 3 and the token id's bytes for a TRC-10
     * token), so it sorts after the header key.
     */
    public static byte[] holdingKey(Address a, Asset x) {
        byte[] id = x.tokenId() == null ? null : x.tokenId().toByteArray();
        int contractBytes = x.contract() == null ? 0 : ADDRESS_BYTES;
        byte[] k = new byte[ADDRESS_BYTES + 1 + contractBytes + (id == null ? 0 : id.length)];
        a.writeTo(k, 0);
        k[ADDRESS_BYTES] = assetTag(x);
        if (x.contract() != null) {
            x.contract().writeTo(k, ADDRESS_BYTES + 1);
        }
        if (id != null) {
            System.arraycopy(id, 0, k, ADDRESS_BYTES + 1 + contractBytes, id.length);
        }
        return k;
    }

    /** 0 native, 1 token, 2 token id of a contract, 3 TRC-10 token: in keys and records alike. */
    private static byte assetTag(Asset x) {
        if (x.contract() == null) {
            return (byte) (x.tokenId() == null ? 0 : 3);
        }
        return (byte) (x.tokenId() == null ? 1 : 2);
    }

    /** An account's header record (version 2): address, hops and provenance per source. */
    public static byte[] encodeHeader(Account a) {
        return write(out -> {
            out.writeByte(ACCOUNT_VERSION);
            writeAddress(out, a.address);
            writeHeader(out, a);
        });
    }

    /** The record of one holding of an account (version 2): the asset and the holding. */
    public static byte[] encodeHolding(Account a, Asset x) {
        Holding h = a.holdings.get(x);
        if (h == null) {
            throw new IllegalArgumentException(a.address + " holds no " + x);
        }
        return write(out -> {
            out.writeByte(ACCOUNT_VERSION);
            writeAsset(out, x);
            writeHolding(out, h);
        });
    }

    /**
     * The whole account in one record, version 1: the former layout of {@code taint-accounts}, still read by
     * {@link #restoreAccounts}; also a canonical form of an account's whole state for comparisons.
     */
    public static byte[] encodeAccount(Account a) {
        return write(out -> {
            out.writeByte(VERSION);
            writeAddress(out, a.address);
            out.writeInt(a.holdings.size());
            for (Map.Entry<Asset, Holding> e : a.holdings.entrySet()) {
                writeAsset(out, e.getKey());
                writeHolding(out, e.getValue());
            }
            writeHeader(out, a);
        });
    }

    /** Decodes a version-1 whole-account record; the account is marked for rewriting in the version-2 layout. */
    public static Account decodeAccount(byte[] bytes) {
        return read(bytes, in -> {
            version(in);
            return readV1(in);
        });
    }

    private static Account readV1(DataInputStream in) throws IOException {
        Account a = new Account(readAddress(in));
        int holdings = in.readInt();
        for (int i = 0; i < holdings; i++) {
            Asset x = readAsset(in);
            a.holdings.put(x, readHolding(in));
        }
        readHeader(in, a);
        a.stored = true;
        a.legacy = true;
        return a;
    }

    /**
     * Rebuilds the accounts of {@code taint-accounts} into the engine from its records read in key order (each
     * address's header or version-1 record before its holdings), as the store's iterator gives them. Returns the
     * number of accounts restored. A record that does not fit (a holding without its header, a key that does not
     * match its record, an unknown version) fails naming the key.
     */
    public static int restoreAccounts(Iterator<? extends Map.Entry<byte[], byte[]>> records, TaintEngine e) {
        Account current = null;
        int restored = 0;
        while (records.hasNext()) {
            Map.Entry<byte[], byte[]> r = records.next();
            Account a = readRecord(current, r.getKey(), r.getValue());
            if (a != current) {
                e.restoreAccount(a);
                restored++;
                current = a;
            }
        }
        return restored;
    }

    /**
     * The account of one address from its records in key order (its header or version-1 record, then its holdings), as
     * a scan of the store over the address's 20 bytes gives them; null when there are none. Fails as
     * {@link #restoreAccounts} does.
     */
    public static Account readAccount(Iterator<? extends Map.Entry<byte[], byte[]>> records) {
        Account current = null;
        while (records.hasNext()) {
            Map.Entry<byte[], byte[]> r = records.next();
            Account a = readRecord(current, r.getKey(), r.getValue());
            if (current != null && a != current) {
                throw new IllegalStateException("corrupt taint engine state record under key " + Hex.encode(r.getKey())
                    + ": a second account in the records of " + current.address);
            }
            current = a;
        }
        return current;
    }

    /** Whether a {@code taint-accounts} key is an account's header key (else it is one of its holdings' keys). */
    public static boolean isHeaderKey(byte[] key) {
        return key.length == ADDRESS_BYTES;
    }

    /** The address a {@code taint-accounts} key belongs to. */
    public static Address addressOf(byte[] key) {
        if (key.length < ADDRESS_BYTES) {
            throw new IllegalStateException("corrupt taint engine state: key " + Hex.encode(key) + " is shorter than an address");
        }
        return Address.of(key, 0, ADDRESS_BYTES);
    }

    /** A header (or version-1) record makes a new account; a holding record is added to {@code current}, which it returns. */
    private static Account readRecord(Account current, byte[] key, byte[] value) {
        if (isHeaderKey(key)) {
            return read(key, value, in -> {
                int v = in.readByte();
                Account a;
                if (v == VERSION) {
                    a = readV1(in);
                } else if (v == ACCOUNT_VERSION) {
                    a = new Account(readAddress(in));
                    readHeader(in, a);
                    a.stored = true;
                } else {
                    throw new IOException("account record version " + v + " is not supported (expected " + ACCOUNT_VERSION
                        + " or " + VERSION + ")");
                }
                if (!Arrays.equals(accountKey(a.address), key)) {
                    throw new IOException("the record is of account " + a.address);
                }
                return a;
            });
        }
        Account a = current;
        read(key, value, in -> {
            if (a == null || !Arrays.equals(key, 0, ADDRESS_BYTES, accountKey(a.address), 0, ADDRESS_BYTES)) {
                throw new IOException("a holding record without its account's header record before it");
            }
            if (a.legacy) {
                throw new IOException("a holding record after a version-1 whole-account record of " + a.address);
            }
            int v = in.readByte();
            if (v != ACCOUNT_VERSION) {
                throw new IOException("holding record version " + v + " is not supported (expected " + ACCOUNT_VERSION + ")");
            }
            Asset x = readAsset(in);
            if (!Arrays.equals(holdingKey(a.address, x), key)) {
                throw new IOException("the record is of asset " + x);
            }
            Holding h = readHolding(in);
            h.stored = true;
            a.holdings.put(x, h);
            return null;
        });
        return a;
    }

    private static void writeHolding(DataOutputStream out, Holding h) throws IOException {
        writeBig(out, h.balance);
        out.writeByte(h.basis.ordinal());
        writeAmounts(out, h.taint);
        out.writeBoolean(h.lots != null);
        if (h.lots != null) {
            out.writeInt(h.lots.size());
            for (Holding.Lot lot : h.lots) {
                writeBig(out, lot.amount);
                writeAmounts(out, lot.taint);
            }
        }
        out.writeBoolean(h.poisoned != null);
        if (h.poisoned != null) {
            out.writeInt(h.poisoned.size());
            for (String s : h.poisoned) {
                out.writeUTF(s);
            }
        }
    }

    private static Holding readHolding(DataInputStream in) throws IOException {
        BigInteger balance = readBig(in);
        BalanceBasis basis = BalanceBasis.values()[in.readByte()];
        TreeMap<String, BigInteger> taint = readAmounts(in);
        boolean fifo = in.readBoolean();
        Holding h;
        if (fifo) {
            h = new Holding(BigInteger.ZERO, basis, true, false);
            int lots = in.readInt();
            for (int j = 0; j < lots; j++) {
                h.lots.add(new Holding.Lot(readBig(in), readAmounts(in)));
            }
        } else {
            h = null;
        }
        boolean poison = in.readBoolean();
        if (h == null) {
            h = new Holding(BigInteger.ZERO, basis, false, poison);
        }
        if (poison) {
            int n = in.readInt();
            for (int j = 0; j < n; j++) {
                h.poisoned.add(in.readUTF());
            }
        }
        h.balance = balance;
        h.taint.putAll(taint);
        return h;
    }

    private static void writeHeader(DataOutputStream out, Account a) throws IOException {
        out.writeInt(a.hops.size());
        for (Map.Entry<String, Integer> e : a.hops.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue());
        }
        out.writeInt(a.provenance.size());
        for (Map.Entry<String, List<Provenance>> e : a.provenance.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().size());
            for (Provenance p : e.getValue()) {
                writeBig(out, p.tainted());
                out.writeBoolean(p.complete());
                out.writeInt(p.path().size());
                for (PathHop h : p.path()) {
                    writeHop(out, h);
                }
            }
        }
    }

    private static void readHeader(DataInputStream in, Account a) throws IOException {
        int hops = in.readInt();
        for (int i = 0; i < hops; i++) {
            a.hops.put(in.readUTF(), in.readInt());
        }
        int sources = in.readInt();
        for (int i = 0; i < sources; i++) {
            String s = in.readUTF();
            int n = in.readInt();
            List<Provenance> list = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                BigInteger t = readBig(in);
                boolean complete = in.readBoolean();
                int len = in.readInt();
                List<PathHop> path = new ArrayList<>(len);
                for (int k = 0; k < len; k++) {
                    path.add(readHop(in));
                }
                list.add(new Provenance(t, List.copyOf(path), complete));
            }
            a.provenance.put(s, list);
        }
    }

    public static byte[] encodeSeed(TaintEngine.ActiveSeed a) {
        return write(out -> {
            out.writeByte(VERSION);
            Seed s = a.seed();
            writeAddress(out, s.address());
            out.writeUTF(s.sourceId());
            out.writeUTF(s.category().label());
            out.writeLong(s.validFrom());
            out.writeUTF(s.reference());
            out.writeLong(a.effectiveFrom());
        });
    }

    public static TaintEngine.ActiveSeed decodeSeed(byte[] bytes) {
        return read(bytes, in -> {
            version(in);
            Seed s = new Seed(readAddress(in), in.readUTF(), Category.fromLabel(in.readUTF()), in.readLong(), in.readUTF());
            return new TaintEngine.ActiveSeed(s, in.readLong());
        });
    }

    // the position record: version 2 holds the position only (ledgers are records of their own); version 1
    // also held every ledger and was rewritten whole after each block, which grew with the number of sources
    private static final int POSITION_VERSION = 2;

    /** The engine's position (last block and its hash), written after every block. */
    public static byte[] encodePosition(TaintEngine e) {
        return write(out -> {
            out.writeByte(POSITION_VERSION);
            out.writeLong(e.lastBlock());
            out.writeBoolean(e.lastHash() != null);
            if (e.lastHash() != null) {
                writeHash(out, e.lastHash());
            }
        });
    }

    /** The last block processed, from a position record of either version (for readers without an engine). */
    public static long lastBlockOf(byte[] position) {
        return read(position, in -> {
            positionVersion(in);
            return in.readLong();
        });
    }

    private static int positionVersion(DataInputStream in) throws IOException {
        int v = in.readByte();
        if (v != VERSION && v != POSITION_VERSION) {
            throw new IOException("position record version " + v + " is not supported (expected " + POSITION_VERSION + " or " + VERSION + ")");
        }
        return v;
    }

    /**
     * Restores a position record, or a version-1 record, which carries the ledgers as well: then returns the sources whose
     * ledgers it restored (to be written as records of their own), else an empty list.
     */
    public static List<String> restorePosition(byte[] bytes, TaintEngine e) {
        return read(bytes, in -> {
            int v = positionVersion(in);
            long block = in.readLong();
            Hash32 hash = in.readBoolean() ? readHash(in) : null;
            e.restorePosition(block, hash);
            List<String> inline = new ArrayList<>();
            if (v == VERSION) {
                int sources = in.readInt();
                for (int i = 0; i < sources; i++) {
                    String source = in.readUTF();
                    readLedgers(in, false).forEach((x, l) -> e.restoreLedger(source, x, l));
                    inline.add(source);
                }
            }
            return inline;
        });
    }

    /** The key of a source's ledger record in {@code taint-meta} (the former layout: every asset in one record). */
    public static byte[] ledgerKey(String source) {
        return (LEDGER_PREFIX + source).getBytes(StandardCharsets.UTF_8);
    }

    /** What the keys of the former per-source ledger records start with. */
    public static final String LEDGER_PREFIX = "ledger/";

    /** What every per-asset ledger record's key starts with. */
    public static final String ASSET_LEDGER_PREFIX = "asset-ledger/";
    private static final int ASSET_LEDGER_VERSION = 3;

    /**
     * What the keys of a source's per-asset ledger records start with: {@link #ASSET_LEDGER_PREFIX}, the length of the
     * source id's UTF-8 bytes (two bytes) and those bytes, so that no source's keys are a prefix of another's.
     */
    public static byte[] assetLedgerPrefix(String source) {
        byte[] p = ASSET_LEDGER_PREFIX.getBytes(StandardCharsets.UTF_8);
        byte[] id = source.getBytes(StandardCharsets.UTF_8);
        byte[] k = Arrays.copyOf(p, p.length + 2 + id.length);
        k[p.length] = (byte) (id.length >>> 8);
        k[p.length + 1] = (byte) id.length;
        System.arraycopy(id, 0, k, p.length + 2, id.length);
        return k;
    }

    /** The key of a source's ledger of one asset: {@link #assetLedgerPrefix} and the asset as in {@link #holdingKey}. */
    public static byte[] assetLedgerKey(String source, Asset x) {
        byte[] prefix = assetLedgerPrefix(source);
        byte[] asset = holdingKey(Address.ZERO, x);
        byte[] k = Arrays.copyOf(prefix, prefix.length + asset.length - ADDRESS_BYTES);
        System.arraycopy(asset, ADDRESS_BYTES, k, prefix.length, asset.length - ADDRESS_BYTES);
        return k;
    }

    /**
     * A source's ledger of one asset (version 3: a record per source and asset, so a block rewrites only the ledgers it
     * changed, not every asset a busy source's taint ever reached).
     */
    public static byte[] encodeAssetLedger(String source, Asset x, SourceLedger l) {
        return write(out -> {
            out.writeByte(ASSET_LEDGER_VERSION);
            out.writeUTF(source);
            writeAsset(out, x);
            for (BigInteger v : new BigInteger[] {l.left, l.delivered, l.dust, l.hopCut, l.fees, l.dexIn, l.dexOut, l.toSource,
                l.counterfeit, l.unverified, l.unbacked}) {
                writeBig(out, v);
            }
        });
    }

    /** A per-asset ledger record read back. */
    public record AssetLedger(String source, Asset asset, SourceLedger ledger) {
    }

    /** A per-asset ledger record, checked against its key. */
    public static AssetLedger decodeAssetLedger(byte[] key, byte[] bytes) {
        return read(key, bytes, in -> {
            int v = in.readByte();
            if (v != ASSET_LEDGER_VERSION) {
                throw new IOException("asset ledger record version " + v + " is not supported (expected " + ASSET_LEDGER_VERSION + ")");
            }
            String source = in.readUTF();
            Asset x = readAsset(in);
            if (!Arrays.equals(assetLedgerKey(source, x), key)) {
                throw new IOException("the record is of source " + source + " and asset " + x);
            }
            return new AssetLedger(source, x, readLedger(in, true));
        });
    }

    // ledger records: version 2 adds the counterfeit, unverified and unbacked terms; version 1 (without them) is still read
    private static final int LEDGER_VERSION = 2;

    /**
     * One source's ledgers (per asset), written after each block that changed them: in version 1 while none of them has a
     * counterfeit, unverified or unbacked term (so an engine that predates those terms still reads the state), else 2.
     */
    public static byte[] encodeLedgers(String source, Map<Asset, SourceLedger> byAsset) {
        boolean skipped = byAsset.values().stream()
            .anyMatch(l -> l.counterfeit.signum() != 0 || l.unverified.signum() != 0 || l.unbacked.signum() != 0);
        return write(out -> {
            out.writeByte(skipped ? LEDGER_VERSION : VERSION);
            out.writeUTF(source);
            out.writeInt(byAsset.size());
            for (Map.Entry<Asset, SourceLedger> x : byAsset.entrySet()) {
                writeAsset(out, x.getKey());
                SourceLedger l = x.getValue();
                for (BigInteger v : new BigInteger[] {l.left, l.delivered, l.dust, l.hopCut, l.fees, l.dexIn, l.dexOut, l.toSource}) {
                    writeBig(out, v);
                }
                if (skipped) {
                    writeBig(out, l.counterfeit);
                    writeBig(out, l.unverified);
                    writeBig(out, l.unbacked);
                }
            }
        });
    }

    public static void restoreLedgers(byte[] bytes, TaintEngine e) {
        Map.Entry<String, TreeMap<Asset, SourceLedger>> l = decodeLedgers(bytes);
        l.getValue().forEach((x, ledger) -> e.restoreLedger(l.getKey(), x, ledger));
    }

    /** A ledger record: the source and its ledgers by asset. */
    public static Map.Entry<String, TreeMap<Asset, SourceLedger>> decodeLedgers(byte[] bytes) {
        return read(bytes, in -> {
            int v = in.readByte();
            if (v != VERSION && v != LEDGER_VERSION) {
                throw new IOException("ledger record version " + v + " is not supported (expected " + LEDGER_VERSION + " or " + VERSION + ")");
            }
            String source = in.readUTF();
            return Map.entry(source, readLedgers(in, v == LEDGER_VERSION));
        });
    }

    private static TreeMap<Asset, SourceLedger> readLedgers(DataInputStream in, boolean skippedTerms) throws IOException {
        TreeMap<Asset, SourceLedger> out = new TreeMap<>();
        int assets = in.readInt();
        for (int j = 0; j < assets; j++) {
            Asset x = readAsset(in);
            out.put(x, readLedger(in, skippedTerms));
        }
        return out;
    }

    /** One ledger's terms; without {@code skippedTerms} (a version-1 record) its counterfeit, unverified and unbacked terms stay zero. */
    private static SourceLedger readLedger(DataInputStream in, boolean skippedTerms) throws IOException {
        SourceLedger l = new SourceLedger();
        l.left = readBig(in);
        l.delivered = readBig(in);
        l.dust = readBig(in);
        l.hopCut = readBig(in);
        l.fees = readBig(in);
        l.dexIn = readBig(in);
        l.dexOut = readBig(in);
        l.toSource = readBig(in);
        if (skippedTerms) {
            l.counterfeit = readBig(in);
            l.unverified = readBig(in);
            l.unbacked = readBig(in);
        }
        return l;
    }

    // ---------------------------------------------------------------- primitives

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return r.read(in);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt taint engine state record (" + bytes.length + " bytes): " + e, e);
        }
    }

    private static <T> T read(byte[] key, byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return r.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("corrupt taint engine state record under key " + Hex.encode(key) + " (" + bytes.length
                + " bytes): " + e, e);
        }
    }

    private static void version(DataInputStream in) throws IOException {
        int v = in.readByte();
        if (v != VERSION) {
            throw new IOException("state version " + v + " is not supported (expected " + VERSION + ")");
        }
    }

    private static void writeAddress(DataOutputStream out, Address a) throws IOException {
        out.writeLong(a.hi());
        out.writeLong(a.mid());
        out.writeInt(a.lo());
    }

    private static Address readAddress(DataInputStream in) throws IOException {
        return new Address(in.readLong(), in.readLong(), in.readInt());
    }

    private static void writeHash(DataOutputStream out, Hash32 h) throws IOException {
        out.writeLong(h.a());
        out.writeLong(h.b());
        out.writeLong(h.c());
        out.writeLong(h.d());
    }

    private static Hash32 readHash(DataInputStream in) throws IOException {
        return new Hash32(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    private static void writeAsset(DataOutputStream out, Asset x) throws IOException {
        out.writeByte(assetTag(x));
        if (x.contract() != null) {
            writeAddress(out, x.contract());
        }
        if (x.tokenId() != null) {
            writeBig(out, x.tokenId());
        }
    }

    private static Asset readAsset(DataInputStream in) throws IOException {
        int kind = in.readByte();
        return switch (kind) {
            case 0 -> Asset.NATIVE;
            case 1 -> Asset.token(readAddress(in));
            case 2 -> Asset.nft(readAddress(in), readBig(in));
            case 3 -> Asset.trc10(readBig(in));
            default -> throw new IOException("unknown asset kind " + kind);
        };
    }

    private static void writeBig(DataOutputStream out, BigInteger v) throws IOException {
        byte[] b = v.toByteArray();
        out.writeShort(b.length);
        out.write(b);
    }

    private static BigInteger readBig(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new BigInteger(b);
    }

    private static void writeAmounts(DataOutputStream out, Map<String, BigInteger> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, BigInteger> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            writeBig(out, e.getValue());
        }
    }

    private static TreeMap<String, BigInteger> readAmounts(DataInputStream in) throws IOException {
        int n = in.readInt();
        TreeMap<String, BigInteger> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.readUTF(), readBig(in));
        }
        return m;
    }

    private static void writeHop(DataOutputStream out, PathHop h) throws IOException {
        out.writeLong(h.position().block());
        out.writeInt(h.position().txIndex());
        out.writeInt(h.position().subIndex());
        writeHash(out, h.txHash());
        out.writeLong(h.timestamp());
        writeAddress(out, h.from());
        writeAddress(out, h.to());
        writeAsset(out, h.asset());
        writeBig(out, h.amount());
        writeBig(out, h.tainted());
    }

    private static PathHop readHop(DataInputStream in) throws IOException {
        Position p = new Position(in.readLong(), in.readInt(), in.readInt());
        return new PathHop(p, readHash(in), in.readLong(), readAddress(in), readAddress(in), readAsset(in), readBig(in), readBig(in));
    }

    /** The {@code taint-tokens} key of the native asset's metadata. */
    public static final byte[] NATIVE_TOKEN_KEY = "native".getBytes(StandardCharsets.UTF_8);

    /** A {@code taint-tokens} record into a registry: {@code d}/{@code o} + address (declared/observed), or the native asset. */
    public static void restoreToken(io.taintwatch.tokens.TokenRegistry registry, byte[] key, byte[] value) {
        if (Arrays.equals(key, NATIVE_TOKEN_KEY)) {
            io.taintwatch.tokens.TokenJson.NativeMetadata n = io.taintwatch.tokens.TokenJson.observedNative(value);
            registry.setNative(n.symbol(), n.name(), n.decimals());
        } else if (key[0] == 'd') {
            registry.declare(io.taintwatch.tokens.TokenJson.parse(value));
        } else {
            registry.observe(io.taintwatch.tokens.TokenJson.parse(value));
        }
    }
}
