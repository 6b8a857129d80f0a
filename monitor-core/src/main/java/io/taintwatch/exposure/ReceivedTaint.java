package io.taintwatch.exposure;

import io.taintwatch.model.Asset;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Position;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What an address has received of one source's taint in one asset, over all time: the total, the number of flows, the
 * lowest hop, the first and the last tainted flow, and the hashes of the latest transactions (the evidence). Kept in the
 * store {@code taint-received} under the address's 20 bytes, one record per address holding every (source, asset), and
 * never removed when the engine untracks the address: "received 50 ETH of a theft last month, holds none now".
 *
 * <p>Derived from the flows the engine emits (every kind but {@code skipped}, whose taint went nowhere), so the engine's
 * outputs are unchanged by it.
 */
public record ReceivedTaint(String source, Asset asset, BigInteger amount, long flows, int minHop, Position first, Hash32 firstTx,
                            Position last, Hash32 lastTx, List<Hash32> latestTxs) {
    /** How many of the latest transaction hashes a record keeps per source and asset. */
    public static final int EVIDENCE = 8;
    private static final int VERSION = 1;
    private static final Comparator<ReceivedTaint> ORDER =
        Comparator.comparing(ReceivedTaint::source).thenComparing(ReceivedTaint::asset);

    public ReceivedTaint {
        latestTxs = List.copyOf(latestTxs);
    }

    /** Whether a flow moves taint into its recipient (a skipped flow carried none). */
    public static boolean received(TaintFlow f) {
        return f.kind() != FlowKind.SKIPPED && f.taintedTotal().signum() > 0;
    }

    /** The address's record after {@code flow} reached it ({@code record} null: the first): every source of the flow added. */
    public static byte[] add(byte[] record, TaintFlow flow) {
        List<ReceivedTaint> all = record == null ? new ArrayList<>() : new ArrayList<>(decode(record));
        for (SourceShare s : flow.shares()) {
            if (s.amount().signum() == 0) {
                continue;
            }
            int i = indexOf(all, s.sourceId(), flow.asset());
            ReceivedTaint r = i < 0 ? null : all.get(i);
            ReceivedTaint next = r == null
                ? new ReceivedTaint(s.sourceId(), flow.asset(), s.amount(), 1, s.hop(), flow.position(), flow.txHash(), flow.position(),
                    flow.txHash(), List.of(flow.txHash()))
                : r.plus(s, flow);
            if (i < 0) {
                all.add(next);
            } else {
                all.set(i, next);
            }
        }
        all.sort(ORDER);
        return encode(all);
    }

    private ReceivedTaint plus(SourceShare s, TaintFlow f) {
        List<Hash32> latest = new ArrayList<>(latestTxs);
        if (!latest.getLast().equals(f.txHash())) {
            latest.add(f.txHash());
            if (latest.size() > EVIDENCE) {
                latest.removeFirst();
            }
        }
        return new ReceivedTaint(source, asset, amount.add(s.amount()), flows + 1, Math.min(minHop, s.hop()), first, firstTx,
            f.position(), f.txHash(), latest);
    }

    private static int indexOf(List<ReceivedTaint> all, String source, Asset asset) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).source.equals(source) && all.get(i).asset.equals(asset)) {
                return i;
            }
        }
        return -1;
    }

    static byte[] encode(List<ReceivedTaint> all) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 160 * all.size());
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeInt(all.size());
            for (ReceivedTaint r : all) {
                out.writeUTF(r.source);
                out.writeUTF(r.asset.toString());
                byte[] amount = r.amount.toByteArray();
                out.writeShort(amount.length);
                out.write(amount);
                out.writeLong(r.flows);
                out.writeInt(r.minHop);
                writePosition(out, r.first);
                out.write(r.firstTx.toBytes());
                writePosition(out, r.last);
                out.write(r.lastTx.toBytes());
                out.writeByte(r.latestTxs.size());
                for (Hash32 h : r.latestTxs) {
                    out.write(h.toBytes());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record's entries, by source then asset; a record this version cannot read fails with its reason. */
    public static List<ReceivedTaint> decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("taint-received record version " + version + " is not supported (expected " + VERSION + ")");
            }
            int n = in.readInt();
            List<ReceivedTaint> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String source = in.readUTF();
                Asset asset = Asset.parse(in.readUTF());
                BigInteger amount = new BigInteger(in.readNBytes(in.readUnsignedShort()));
                long flows = in.readLong();
                int minHop = in.readInt();
                Position first = readPosition(in);
                Hash32 firstTx = Hash32.of(in.readNBytes(32));
                Position last = readPosition(in);
                Hash32 lastTx = Hash32.of(in.readNBytes(32));
                int k = in.readUnsignedByte();
                List<Hash32> latest = new ArrayList<>(k);
                for (int j = 0; j < k; j++) {
                    latest.add(Hash32.of(in.readNBytes(32)));
                }
                out.add(new ReceivedTaint(source, asset, amount, flows, minHop, first, firstTx, last, lastTx, latest));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt taint-received record: " + e, e);
        }
    }

    private static void writePosition(DataOutputStream out, Position p) throws IOException {
        out.writeLong(p.block());
        out.writeInt(p.txIndex());
        out.writeInt(p.subIndex());
    }

    private static Position readPosition(DataInputStream in) throws IOException {
        return new Position(in.readLong(), in.readInt(), in.readInt());
    }
}
