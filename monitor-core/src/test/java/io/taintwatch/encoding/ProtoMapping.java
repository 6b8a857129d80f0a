package io.taintwatch.encoding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

import io.taintwatch.encoding.proto.BalanceRecord;
import io.taintwatch.encoding.proto.BlockRecord;
import io.taintwatch.encoding.proto.EntityRecord;
import io.taintwatch.encoding.proto.FlowRecord;
import io.taintwatch.encoding.proto.HopRecord;
import io.taintwatch.encoding.proto.LegKindRecord;
import io.taintwatch.encoding.proto.LegRecord;
import io.taintwatch.encoding.proto.PathRecord;
import io.taintwatch.encoding.proto.ShareRecord;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;

/**
 * An independent mapping between the domain model and the protoc-generated classes, written from the
 * .proto comments alone; the tests check that the hand-written codecs agree with it in both directions.
 */
final class ProtoMapping {
    private ProtoMapping() {}

    static ByteString bytes(Address a) {
        return ByteString.copyFrom(a.toBytes());
    }

    static ByteString bytes(Hash32 h) {
        return ByteString.copyFrom(h.toBytes());
    }

    static ByteString unsigned(BigInteger v) {
        if (v.signum() == 0) {
            return ByteString.EMPTY;
        }
        byte[] b = v.toByteArray();
        return b[0] == 0 ? ByteString.copyFrom(b, 1, b.length - 1) : ByteString.copyFrom(b);
    }

    static BigInteger unsigned(ByteString b) {
        return new BigInteger(1, b.toByteArray());
    }

    static LegKindRecord kind(LegKind k) {
        return LegKindRecord.valueOf("LEG_KIND_" + k.name());
    }

    static LegKind kind(LegKindRecord k) {
        return LegKind.valueOf(k.name().substring("LEG_KIND_".length()));
    }

    static Asset asset(ByteString token, boolean hasTokenId, ByteString tokenId) {
        if (token.isEmpty()) {
            return hasTokenId ? Asset.trc10(unsigned(tokenId)) : Asset.NATIVE;
        }
        Address c = Address.of(token.toByteArray());
        return hasTokenId ? Asset.nft(c, unsigned(tokenId)) : Asset.token(c);
    }

    static BlockRecord toRecord(Block b) {
        BlockRecord.Builder r = BlockRecord.newBuilder()
            .setSchemaVersion(1)
            .setChainId(b.chain().id())
            .setChainName(b.chain().name())
            .setChainKindValue(BlockCodec.chainKindCode(b.chain().kind()))
            .setNumber(b.number())
            .setHash(bytes(b.hash()))
            .setParentHash(bytes(b.parentHash()))
            .setTimestamp(b.timestamp());
        int txs = b.legs().stream().mapToInt(l -> l.position().txIndex() + 1).max().orElse(0);
        ByteString[] table = new ByteString[txs];
        java.util.Arrays.fill(table, ByteString.EMPTY);
        for (Leg l : b.legs()) {
            table[l.position().txIndex()] = bytes(l.txHash());
        }
        for (ByteString t : table) {
            r.addTxHashes(t);
        }
        for (Leg l : b.legs()) {
            LegRecord.Builder lr = LegRecord.newBuilder()
                .setKind(kind(l.kind()))
                .setTxIndex(l.position().txIndex())
                .setSubIndex(l.position().subIndex())
                .setFrom(bytes(l.from()))
                .setTo(bytes(l.to()))
                .setAmount(unsigned(l.amount()));
            if (l.asset().contract() != null) {
                lr.setToken(bytes(l.asset().contract()));
            }
            if (l.asset().tokenId() != null) {
                lr.setTokenId(unsigned(l.asset().tokenId()));
            }
            r.addLegs(lr);
        }
        if (b.balances() != null) {
            r.setHasBalances(true);
            for (Balance bal : b.balances()) {
                BalanceRecord.Builder br = BalanceRecord.newBuilder().setAddress(bytes(bal.address())).setAmount(unsigned(bal.amount()));
                if (bal.asset().contract() != null) {
                    br.setToken(bytes(bal.asset().contract()));
                }
                if (bal.asset().tokenId() != null) {
                    br.setTokenId(unsigned(bal.asset().tokenId()));
                }
                r.addBalances(br);
            }
        }
        return r.build();
    }

    static Block fromRecord(BlockRecord r) {
        List<Leg> legs = new ArrayList<>();
        for (LegRecord l : r.getLegsList()) {
            legs.add(new Leg(new Position(r.getNumber(), l.getTxIndex(), l.getSubIndex()), kind(l.getKind()),
                Hash32.of(r.getTxHashes(l.getTxIndex()).toByteArray()), Address.of(l.getFrom().toByteArray()),
                Address.of(l.getTo().toByteArray()), asset(l.getToken(), l.hasTokenId(), l.getTokenId()), unsigned(l.getAmount())));
        }
        List<Balance> balances = null;
        if (r.getHasBalances()) {
            balances = new ArrayList<>();
            for (BalanceRecord b : r.getBalancesList()) {
                balances.add(new Balance(Address.of(b.getAddress().toByteArray()), asset(b.getToken(), b.hasTokenId(), b.getTokenId()),
                    unsigned(b.getAmount())));
            }
        }
        return new Block(new ChainId(r.getChainId(), r.getChainName(), BlockCodec.chainKindOf(r.getChainKindValue())), r.getNumber(), Hash32.of(r.getHash().toByteArray()),
            Hash32.of(r.getParentHash().toByteArray()), r.getTimestamp(), legs, balances);
    }

    static FlowRecord toRecord(TaintFlow f) {
        FlowRecord.Builder r = FlowRecord.newBuilder()
            .setSchemaVersion(1)
            .setChainId(f.chain().id())
            .setChainName(f.chain().name())
            .setChainKindValue(BlockCodec.chainKindCode(f.chain().kind()))
            .setBlock(f.position().block())
            .setTxIndex(f.position().txIndex())
            .setSubIndex(f.position().subIndex())
            .setBlockTimestamp(f.blockTimestamp())
            .setLegKind(kind(f.legKind()))
            .setTxHash(bytes(f.txHash()))
            .setFrom(bytes(f.from()))
            .setTo(bytes(f.to()))
            .setAmount(unsigned(f.amount()))
            .setPolicy(f.policy().label())
            .setFlowKind(f.kind().name().toLowerCase())
            .setSenderBasis(f.senderBasis() == null ? "" : f.senderBasis().label())
            .setAssetStatus(f.assetStatus() == null ? "" : f.assetStatus().label())
            .setAssetReason(f.assetReason())
            .setSkipReason(f.skipped() == null ? "" : f.skipped().label());
        if (f.asset().contract() != null) {
            r.setToken(bytes(f.asset().contract()));
        }
        if (f.asset().tokenId() != null) {
            r.setTokenId(unsigned(f.asset().tokenId()));
        }
        for (SourceShare s : f.shares()) {
            r.addShares(ShareRecord.newBuilder().setSourceId(s.sourceId()).setAmount(unsigned(s.amount())).setHop(s.hop())
                .setEffectiveFrom(s.effectiveFrom()));
        }
        Entity e = f.recipientEntity();
        if (e != null) {
            r.setRecipientEntity(EntityRecord.newBuilder().setAddress(bytes(e.address())).setName(e.name())
                .setCategory(e.category().label()).setSource(e.source()).setConfidence(e.confidence()));
        }
        for (TaintPath p : f.paths()) {
            PathRecord.Builder pr = PathRecord.newBuilder().setSourceId(p.sourceId()).setSource(bytes(p.source())).setComplete(p.complete());
            for (PathHop h : p.hops()) {
                HopRecord.Builder hr = HopRecord.newBuilder()
                    .setBlock(h.position().block())
                    .setTxIndex(h.position().txIndex())
                    .setSubIndex(h.position().subIndex())
                    .setTxHash(bytes(h.txHash()))
                    .setTimestamp(h.timestamp())
                    .setFrom(bytes(h.from()))
                    .setTo(bytes(h.to()))
                    .setAmount(unsigned(h.amount()))
                    .setTainted(unsigned(h.tainted()));
                if (h.asset().contract() != null) {
                    hr.setToken(bytes(h.asset().contract()));
                }
                if (h.asset().tokenId() != null) {
                    hr.setTokenId(unsigned(h.asset().tokenId()));
                }
                pr.addHops(hr);
            }
            r.addPaths(pr);
        }
        return r.build();
    }

    static TaintFlow fromRecord(FlowRecord r) {
        List<SourceShare> shares = new ArrayList<>();
        for (ShareRecord s : r.getSharesList()) {
            shares.add(new SourceShare(s.getSourceId(), unsigned(s.getAmount()), s.getHop(), s.getEffectiveFrom()));
        }
        Entity entity = null;
        if (r.hasRecipientEntity()) {
            EntityRecord e = r.getRecipientEntity();
            entity = new Entity(Address.of(e.getAddress().toByteArray()), e.getName(), Category.fromLabel(e.getCategory()), e.getSource(),
                e.getConfidence());
        }
        List<TaintPath> paths = new ArrayList<>();
        for (PathRecord p : r.getPathsList()) {
            List<PathHop> hops = new ArrayList<>();
            for (HopRecord h : p.getHopsList()) {
                hops.add(new PathHop(new Position(h.getBlock(), h.getTxIndex(), h.getSubIndex()), Hash32.of(h.getTxHash().toByteArray()),
                    h.getTimestamp(), Address.of(h.getFrom().toByteArray()), Address.of(h.getTo().toByteArray()),
                    asset(h.getToken(), h.hasTokenId(), h.getTokenId()), unsigned(h.getAmount()), unsigned(h.getTainted())));
            }
            paths.add(new TaintPath(p.getSourceId(), Address.of(p.getSource().toByteArray()), hops, p.getComplete()));
        }
        BalanceBasis basis = switch (r.getSenderBasis()) {
            case "" -> null;
            case "zero" -> BalanceBasis.ZERO;
            case "end-of-block-balance" -> BalanceBasis.END_OF_BLOCK;
            case "source" -> BalanceBasis.SOURCE;
            default -> throw new IllegalArgumentException(r.getSenderBasis());
        };
        return new TaintFlow(new ChainId(r.getChainId(), r.getChainName(), BlockCodec.chainKindOf(r.getChainKindValue())), new Position(r.getBlock(), r.getTxIndex(), r.getSubIndex()),
            r.getBlockTimestamp(), kind(r.getLegKind()), Hash32.of(r.getTxHash().toByteArray()), Address.of(r.getFrom().toByteArray()),
            Address.of(r.getTo().toByteArray()), asset(r.getToken(), r.hasTokenId(), r.getTokenId()), unsigned(r.getAmount()), shares,
            PolicyKind.fromLabel(r.getPolicy()), FlowKind.valueOf(r.getFlowKind().toUpperCase()), entity, basis, paths,
            r.getAssetStatus().isEmpty() ? null : TokenStatus.valueOf(r.getAssetStatus().toUpperCase()), r.getAssetReason(),
            r.getSkipReason().isEmpty() ? null : SkipReason.valueOf(r.getSkipReason().toUpperCase()));
    }
}
