package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Category;
import io.taintwatch.model.Hash32;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary encoding of the engine's state for its changelogged stores (accounts, seeds, ledgers). Internal
 * to the engine: versioned so that a newer engine can refuse or migrate an older state.
 */
public final class StateCodec {
    private static final int VERSION = 1;

    private StateCodec() {}

    public static byte[] encodeAccount(Account a) {
        return write(out -> {
            out.writeByte(VERSION);
            writeAddress(out, a.address);
            out.writeInt(a.holdings.size());
            for (Map.Entry<Asset, Holding> e : a.holdings.entrySet()) {
                writeAsset(out, e.getKey());
                Holding h = e.getValue();
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
        });
    }

    public static Account decodeAccount(byte[] bytes) {
        return read(bytes, in -> {
            version(in);
            Account a = new Account(readAddress(in));
            int holdings = in.readInt();
            for (int i = 0; i < holdings; i++) {
                Asset x = readAsset(in);
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
                a.holdings.put(x, h);
            }
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
            return a;
        });
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

    /** Restores a position record (or a version-1 record, which carries the ledgers as well). */
    public static void restorePosition(byte[] bytes, TaintEngine e) {
        read(bytes, in -> {
            int v = in.readByte();
            if (v != VERSION && v != POSITION_VERSION) {
                throw new IOException("position record version " + v + " is not supported (expected " + POSITION_VERSION + " or " + VERSION + ")");
            }
            long block = in.readLong();
            Hash32 hash = in.readBoolean() ? readHash(in) : null;
            e.restorePosition(block, hash);
            if (v == VERSION) {
                int sources = in.readInt();
                for (int i = 0; i < sources; i++) {
                    readLedgers(in, in.readUTF(), e);
                }
            }
            return null;
        });
    }

    /** One source's ledgers (per asset), written after each block that changed them. */
    public static byte[] encodeLedgers(String source, Map<Asset, SourceLedger> byAsset) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeUTF(source);
            out.writeInt(byAsset.size());
            for (Map.Entry<Asset, SourceLedger> x : byAsset.entrySet()) {
                writeAsset(out, x.getKey());
                SourceLedger l = x.getValue();
                for (BigInteger v : new BigInteger[] {l.left, l.delivered, l.dust, l.hopCut, l.fees, l.dexIn, l.dexOut, l.toSource}) {
                    writeBig(out, v);
                }
            }
        });
    }

    public static void restoreLedgers(byte[] bytes, TaintEngine e) {
        read(bytes, in -> {
            version(in);
            readLedgers(in, in.readUTF(), e);
            return null;
        });
    }

    private static void readLedgers(DataInputStream in, String source, TaintEngine e) throws IOException {
        int assets = in.readInt();
        for (int j = 0; j < assets; j++) {
            Asset x = readAsset(in);
            SourceLedger l = new SourceLedger();
            l.left = readBig(in);
            l.delivered = readBig(in);
            l.dust = readBig(in);
            l.hopCut = readBig(in);
            l.fees = readBig(in);
            l.dexIn = readBig(in);
            l.dexOut = readBig(in);
            l.toSource = readBig(in);
            e.restoreLedger(source, x, l);
        }
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
        out.writeByte(x.contract() == null ? 0 : x.tokenId() == null ? 1 : 2);
        if (x.contract() != null) {
            writeAddress(out, x.contract());
            if (x.tokenId() != null) {
                writeBig(out, x.tokenId());
            }
        }
    }

    private static Asset readAsset(DataInputStream in) throws IOException {
        int kind = in.readByte();
        if (kind == 0) {
            return Asset.NATIVE;
        }
        Address c = readAddress(in);
        return kind == 1 ? Asset.token(c) : Asset.nft(c, readBig(in));
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
}
