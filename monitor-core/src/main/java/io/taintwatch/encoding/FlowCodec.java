package io.taintwatch.encoding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;

/**
 * The binary value of a {@code taint-flows.<chain>} record: exactly the protobuf wire format of
 * {@code taintwatch/v1/flow.proto} ({@code FlowRecord}), byte-identical to protoc-generated code.
 */
public final class FlowCodec {
    /** The schema version this codec writes and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;

    private FlowCodec() {}

    public static byte[] encode(TaintFlow f) {
        String id = "flow " + f.chain().name() + ":" + f.position();
        require(f.txHash(), id, "txHash");
        require(f.from(), id, "from");
        require(f.to(), id, "to");
        require(f.asset(), id, "asset");
        require(f.amount(), id, "amount");
        require(f.legKind(), id, "legKind");
        require(f.policy(), id, "policy");
        require(f.kind(), id, "kind");
        if (f.blockTimestamp() < 0) {
            throw new IllegalArgumentException(id + ": blockTimestamp must not be negative");
        }
        ProtoWriter w = new ProtoWriter(256 + 64 * f.shares().size() + 512 * f.paths().size());
        w.uint(1, SCHEMA_VERSION);
        w.uint(2, f.chain().id());
        w.string(3, f.chain().name());
        w.uint(4, f.position().block());
        w.uint(5, f.position().txIndex());
        w.uint(6, f.position().subIndex());
        w.uint(7, f.blockTimestamp());
        w.uint(8, BlockCodec.kindCode(f.legKind()));
        w.hash(9, f.txHash());
        w.address(10, f.from());
        w.address(11, f.to());
        w.address(12, f.asset().contract());
        if (f.asset().tokenId() != null) {
            BlockCodec.requireTrc10Chain(f.chain(), f.asset());
            w.unsignedPresent(13, f.asset().tokenId(), id + ": token id");
        }
        w.unsigned(14, f.amount(), id + ": amount");
        String prevSource = null;
        for (SourceShare s : f.shares()) {
            if (s.sourceId() == null || s.sourceId().isEmpty()) {
                throw new IllegalArgumentException(id + ": a share has no source id");
            }
            if (prevSource != null && s.sourceId().compareTo(prevSource) <= 0) {
                throw new IllegalArgumentException(id + ": shares must be sorted by source id without duplicates, '" + s.sourceId()
                    + "' follows '" + prevSource + "'");
            }
            prevSource = s.sourceId();
            int m = w.beginMessage(15);
            w.string(1, s.sourceId());
            w.unsigned(2, s.amount(), id + ": tainted amount of " + s.sourceId());
            w.uint(3, s.hop());
            if (s.effectiveFrom() < 0) {
                throw new IllegalArgumentException(id + ": effectiveFrom of " + s.sourceId() + " is negative");
            }
            w.uint(4, s.effectiveFrom());
            w.endMessage(m);
        }
        w.string(16, f.policy().label());
        w.string(17, Labels.flowKind(f.kind()));
        Entity e = f.recipientEntity();
        if (e != null) {
            int m = w.beginMessage(18);
            w.address(1, e.address());
            w.string(2, e.name());
            w.string(3, e.category().label());
            w.string(4, e.source());
            w.uint(5, e.confidence());
            w.endMessage(m);
        }
        w.string(19, Labels.basis(f.senderBasis()));
        for (TaintPath p : f.paths()) {
            require(p.source(), id, "path source");
            int m = w.beginMessage(20);
            w.string(1, p.sourceId());
            w.address(2, p.source());
            for (PathHop h : p.hops()) {
                String hid = id + ": path hop " + h.position();
                require(h.txHash(), hid, "txHash");
                require(h.from(), hid, "from");
                require(h.to(), hid, "to");
                require(h.asset(), hid, "asset");
                if (h.timestamp() < 0) {
                    throw new IllegalArgumentException(hid + ": timestamp must not be negative");
                }
                int hm = w.beginMessage(3);
                w.uint(1, h.position().block());
                w.uint(2, h.position().txIndex());
                w.uint(3, h.position().subIndex());
                w.hash(4, h.txHash());
                w.uint(5, h.timestamp());
                w.address(6, h.from());
                w.address(7, h.to());
                w.address(8, h.asset().contract());
                if (h.asset().tokenId() != null) {
                    BlockCodec.requireTrc10Chain(f.chain(), h.asset());
                    w.unsignedPresent(9, h.asset().tokenId(), hid + ": token id");
                }
                w.unsigned(10, h.amount(), hid + ": amount");
                w.unsigned(11, h.tainted(), hid + ": tainted");
                w.endMessage(hm);
            }
            w.bool(4, p.complete());
            w.endMessage(m);
        }
        w.string(21, Labels.status(f.assetStatus()));
        w.string(22, f.assetReason());
        w.string(23, Labels.skip(f.skipped()));
        w.uint(24, BlockCodec.chainKindCode(f.chain().kind()));
        return w.toByteArray();
    }

    private static void require(Object v, String id, String what) {
        if (v == null) {
            throw new IllegalArgumentException(id + ": " + what + " is missing");
        }
    }

    public static TaintFlow decode(byte[] bytes) {
        if (bytes == null) {
            throw new DecodeException("flow record: no bytes (null value)");
        }
        ProtoReader r = new ProtoReader(bytes, 0, bytes.length);
        int version = 0;
        long chainId = 0;
        String chainName = "";
        long chainKind = 0;
        long block = 0;
        int txIndex = 0;
        int subIndex = 0;
        long timestamp = 0;
        long legKind = 0;
        Hash32 txHash = null;
        Address from = null;
        Address to = null;
        int tokenOff = -1;
        int tokenIdOff = -1;
        int tokenIdLen = 0;
        BigInteger amount = BigInteger.ZERO;
        List<SourceShare> shares = new ArrayList<>(2);
        String policy = "";
        String flowKind = "";
        Entity entity = null;
        String basis = "";
        List<TaintPath> paths = new ArrayList<>(0);
        String assetStatus = "";
        String assetReason = "";
        String skip = "";
        String where = "flow record: ";
        try {
            while (r.hasMore()) {
                int tag = r.readTag();
                switch (tag >>> 3) {
                    case 1 -> {
                        version = r.uint32(tag, "schema_version");
                        BlockCodec.checkVersion(version);
                    }
                    case 2 -> chainId = r.uint64(tag, "chain_id");
                    case 3 -> chainName = r.string(tag, "chain_name");
                    case 4 -> block = r.uint64(tag, "block");
                    case 5 -> txIndex = r.uint32(tag, "tx_index");
                    case 6 -> subIndex = r.uint32(tag, "sub_index");
                    case 7 -> timestamp = r.uint64(tag, "block_timestamp");
                    case 8 -> {
                        r.expect(tag, ProtoReader.VARINT, "leg_kind");
                        legKind = r.readVarint("leg_kind");
                    }
                    case 9 -> txHash = r.hash(tag, "tx_hash");
                    case 10 -> from = r.address(tag, "from");
                    case 11 -> to = r.address(tag, "to");
                    case 12 -> tokenOff = r.token(tag);
                    case 13 -> {
                        tokenIdOff = r.tokenId(tag);
                        tokenIdLen = r.lastLength;
                    }
                    case 14 -> amount = r.unsigned(tag, "amount");
                    case 15 -> shares.add(nested(r, tag, "share " + shares.size(), FlowCodec::share));
                    case 16 -> policy = r.string(tag, "policy");
                    case 17 -> flowKind = r.string(tag, "flow_kind");
                    case 18 -> entity = nested(r, tag, "recipient_entity", FlowCodec::entity);
                    case 19 -> basis = r.string(tag, "sender_basis");
                    case 20 -> paths.add(nested(r, tag, "path " + paths.size(), FlowCodec::path));
                    case 21 -> assetStatus = r.string(tag, "asset_status");
                    case 22 -> assetReason = r.string(tag, "asset_reason");
                    case 23 -> skip = r.string(tag, "skip_reason");
                    case 24 -> {
                        r.expect(tag, ProtoReader.VARINT, "chain_kind");
                        chainKind = r.readVarint("chain_kind");
                    }
                    default -> r.skip(tag);
                }
            }
            if (version == 0) {
                throw new DecodeException("schema_version is missing or 0 (current is " + SCHEMA_VERSION + ")");
            }
            where = "flow " + chainName + ":" + block + ":" + txIndex + ":" + subIndex + ": ";
            ChainId chain = BlockCodec.chain(chainId, chainName, chainKind);
            LegKind kind = BlockCodec.kindOf(legKind, "leg_kind");
            if (txHash == null) {
                throw new DecodeException("tx_hash is missing");
            }
            if (from == null) {
                throw new DecodeException("from is missing");
            }
            if (to == null) {
                throw new DecodeException("to is missing");
            }
            if (policy.isEmpty()) {
                throw new DecodeException("policy is missing");
            }
            if (flowKind.isEmpty()) {
                throw new DecodeException("flow_kind is missing");
            }
            for (int i = 1; i < shares.size(); i++) {
                // one entry per source, in a fixed order: the JSON objects keyed by source id depend on it
                if (shares.get(i).sourceId().compareTo(shares.get(i - 1).sourceId()) <= 0) {
                    throw new DecodeException("share " + i + ": shares must be sorted by source id without duplicates, '"
                        + shares.get(i).sourceId() + "' follows '" + shares.get(i - 1).sourceId() + "'");
                }
            }
            Asset asset = BlockCodec.asset(bytes, tokenOff, tokenIdOff, tokenIdLen, null, chain.kind());
            if (chain.kind() != ChainKind.TRON) {
                for (int i = 0; i < paths.size(); i++) {
                    for (PathHop h : paths.get(i).hops()) {
                        if (h.asset().isTrc10()) {
                            throw new DecodeException("path " + i + ": hop " + h.position()
                                + ": token_id is set but token is empty (the native asset has no token id)");
                        }
                    }
                }
            }
            return new TaintFlow(chain, new Position(block, txIndex, subIndex), timestamp, kind, txHash, from, to, asset, amount,
                shares, PolicyKind.fromLabel(policy), Labels.flowKind(flowKind), entity, Labels.basis(basis), paths,
                Labels.status(assetStatus), assetReason, Labels.skip(skip));
        } catch (DecodeException e) {
            throw new DecodeException(where + e.getMessage(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new DecodeException(where + e.getMessage(), e);
        }
    }

    private interface Part<T> {
        T read(ProtoReader r);
    }

    /** Decodes an embedded message, prefixing errors with its name; model validation errors become DecodeExceptions. */
    private static <T> T nested(ProtoReader r, int tag, String what, Part<T> part) {
        int start = r.bytes(tag, what);
        try {
            return part.read(new ProtoReader(r.buf, start, start + r.lastLength));
        } catch (DecodeException e) {
            throw new DecodeException(what + ": " + e.getMessage(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new DecodeException(what + ": " + e.getMessage(), e);
        }
    }

    private static SourceShare share(ProtoReader r) {
        String sourceId = "";
        BigInteger amount = BigInteger.ZERO;
        int hop = 0;
        long effectiveFrom = 0;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> sourceId = r.string(tag, "source_id");
                case 2 -> amount = r.unsigned(tag, "amount");
                case 3 -> hop = r.uint32(tag, "hop");
                case 4 -> effectiveFrom = r.uint64(tag, "effective_from");
                default -> r.skip(tag);
            }
        }
        if (sourceId.isEmpty()) {
            throw new DecodeException("source_id is missing");
        }
        return new SourceShare(sourceId, amount, hop, effectiveFrom);
    }

    private static Entity entity(ProtoReader r) {
        Address address = null;
        String name = "";
        String category = "";
        String source = "";
        int confidence = 0;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> address = r.address(tag, "address");
                case 2 -> name = r.string(tag, "name");
                case 3 -> category = r.string(tag, "category");
                case 4 -> source = r.string(tag, "source");
                case 5 -> confidence = r.uint32(tag, "confidence");
                default -> r.skip(tag);
            }
        }
        if (address == null) {
            throw new DecodeException("address is missing");
        }
        if (category.isEmpty()) {
            throw new DecodeException("category is missing");
        }
        return new Entity(address, name, Category.fromLabel(category), source, confidence);
    }

    private static TaintPath path(ProtoReader r) {
        String sourceId = "";
        Address source = null;
        List<PathHop> hops = new ArrayList<>();
        boolean complete = false;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> sourceId = r.string(tag, "source_id");
                case 2 -> source = r.address(tag, "source");
                case 3 -> hops.add(nested(r, tag, "hop " + hops.size(), FlowCodec::hop));
                case 4 -> complete = r.bool(tag, "complete");
                default -> r.skip(tag);
            }
        }
        if (sourceId.isEmpty()) {
            throw new DecodeException("source_id is missing");
        }
        if (source == null) {
            throw new DecodeException("source is missing");
        }
        return new TaintPath(sourceId, source, hops, complete);
    }

    private static PathHop hop(ProtoReader r) {
        long block = 0;
        int txIndex = 0;
        int subIndex = 0;
        Hash32 txHash = null;
        long timestamp = 0;
        Address from = null;
        Address to = null;
        int tokenOff = -1;
        int tokenIdOff = -1;
        int tokenIdLen = 0;
        BigInteger amount = BigInteger.ZERO;
        BigInteger tainted = BigInteger.ZERO;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> block = r.uint64(tag, "block");
                case 2 -> txIndex = r.uint32(tag, "tx_index");
                case 3 -> subIndex = r.uint32(tag, "sub_index");
                case 4 -> txHash = r.hash(tag, "tx_hash");
                case 5 -> timestamp = r.uint64(tag, "timestamp");
                case 6 -> from = r.address(tag, "from");
                case 7 -> to = r.address(tag, "to");
                case 8 -> tokenOff = r.token(tag);
                case 9 -> {
                    tokenIdOff = r.tokenId(tag);
                    tokenIdLen = r.lastLength;
                }
                case 10 -> amount = r.unsigned(tag, "amount");
                case 11 -> tainted = r.unsigned(tag, "tainted");
                default -> r.skip(tag);
            }
        }
        if (txHash == null) {
            throw new DecodeException("tx_hash is missing");
        }
        if (from == null) {
            throw new DecodeException("from is missing");
        }
        if (to == null) {
            throw new DecodeException("to is missing");
        }
        // a TRC-10 asset (token id without token) is checked against the chain once the flow's chain is known
        Asset asset = BlockCodec.asset(r.buf, tokenOff, tokenIdOff, tokenIdLen, null, null);
        return new PathHop(new Position(block, txIndex, subIndex), txHash, timestamp, from, to, asset, amount, tainted);
    }
}
