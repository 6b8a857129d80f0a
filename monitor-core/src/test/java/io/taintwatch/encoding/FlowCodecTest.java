package io.taintwatch.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import org.junit.jupiter.api.Test;

import io.taintwatch.encoding.proto.FlowRecord;
import io.taintwatch.encoding.proto.HopRecord;
import io.taintwatch.encoding.proto.PathRecord;
import io.taintwatch.encoding.proto.ShareRecord;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class FlowCodecTest {
    static final Address HACKER = Address.parse("0x098b716b8aaf21512996dc57eb0615e2383e2f96");
    static final Address MULE = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    static final Address DEPOSIT = Address.parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    static final Address USDT = Address.parse("0xdac17f958d2ee523a2206206994597c13d831ec7");

    /** A terminal flow with two sources and a two-hop path: the golden example of the JSON test too. */
    static TaintFlow sampleFlow() {
        Hash32 tx1 = Hash32.parse("0x" + "a1".repeat(32));
        Hash32 tx2 = Hash32.parse("0x" + "b2".repeat(32));
        List<PathHop> hops = List.of(
            new PathHop(new Position(19_000_000, 4, 0), tx1, 1_700_000_000L, HACKER, MULE, Asset.token(USDT),
                new BigInteger("250000000"), new BigInteger("250000000")),
            new PathHop(new Position(19_000_010, 7, 2), tx2, 1_700_000_120L, MULE, DEPOSIT, Asset.token(USDT),
                new BigInteger("100000000"), new BigInteger("75000000")));
        return new TaintFlow(ChainId.ETHEREUM, new Position(19_000_010, 7, 2), 1_700_000_120L, LegKind.ERC20, tx2, MULE, DEPOSIT,
            Asset.token(USDT), new BigInteger("100000000"),
            List.of(new SourceShare("lazarus-2025", new BigInteger("75000000"), 2, 18_999_000),
                new SourceShare("ofac-sdn-12345", new BigInteger("5"), 3, 0)),
            PolicyKind.HAIRCUT, FlowKind.TERMINAL, new Entity(DEPOSIT, "Binance deposit", Category.EXCHANGE_DEPOSIT, "etherscan", 90),
            BalanceBasis.END_OF_BLOCK, List.of(new TaintPath("lazarus-2025", HACKER, hops, true)));
    }

    @Property(tries = 300)
    void randomFlowsRoundTripAndEncodeLikeProtoc(@ForAll long seed) throws InvalidProtocolBufferException {
        TaintFlow flow = new RandomModel(seed).flow();
        byte[] bytes = FlowCodec.encode(flow);

        assertThat(FlowCodec.decode(bytes)).isEqualTo(flow);
        assertThat(FlowCodec.encode(flow)).as("deterministic").isEqualTo(bytes);
        FlowRecord expected = ProtoMapping.toRecord(flow);
        assertThat(FlowRecord.parseFrom(bytes)).isEqualTo(expected);
        assertThat(ProtoMapping.fromRecord(FlowRecord.parseFrom(bytes))).isEqualTo(flow);
        assertThat(bytes).isEqualTo(expected.toByteArray());
        assertThat(FlowCodec.decode(expected.toByteArray())).isEqualTo(flow);
    }

    @Test
    void sampleFlowFieldsAsGeneratedCodeSeesThem() throws InvalidProtocolBufferException {
        FlowRecord r = FlowRecord.parseFrom(FlowCodec.encode(sampleFlow()));

        assertThat(r.getSchemaVersion()).isEqualTo(1);
        assertThat(r.getBlock()).isEqualTo(19_000_010);
        assertThat(r.getTxIndex()).isEqualTo(7);
        assertThat(r.getSubIndex()).isEqualTo(2);
        assertThat(r.getPolicy()).isEqualTo("haircut");
        assertThat(r.getFlowKind()).isEqualTo("terminal");
        assertThat(r.getSenderBasis()).isEqualTo("end-of-block-balance");
        assertThat(r.getSharesList()).extracting(ShareRecord::getSourceId).containsExactly("lazarus-2025", "ofac-sdn-12345");
        assertThat(r.getShares(0).getHop()).isEqualTo(2);
        assertThat(r.getShares(0).getEffectiveFrom()).isEqualTo(18_999_000);
        assertThat(r.getRecipientEntity().getCategory()).isEqualTo("exchange-deposit");
        assertThat(r.getRecipientEntity().getConfidence()).isEqualTo(90);
        assertThat(r.getPaths(0).getComplete()).isTrue();
        assertThat(r.getPaths(0).getHopsList()).extracting(HopRecord::getTimestamp).containsExactly(1_700_000_000L, 1_700_000_120L);
        assertThat(new BigInteger(1, r.getPaths(0).getHops(1).getTainted().toByteArray())).isEqualTo(75_000_000);
    }

    @Test
    void unknownFieldsAreSkippedAtEveryLevel() {
        FlowRecord r = ProtoMapping.toRecord(sampleFlow());
        UnknownFieldSet extra = UnknownFieldSet.newBuilder()
            .addField(77, UnknownFieldSet.Field.newBuilder().addVarint(1).addLengthDelimited(ByteString.copyFromUtf8("x")).build()).build();
        PathRecord p = r.getPaths(0).toBuilder().setHops(0, r.getPaths(0).getHops(0).toBuilder().setUnknownFields(extra))
            .setUnknownFields(extra).build();
        FlowRecord withExtra = r.toBuilder().setShares(0, r.getShares(0).toBuilder().setUnknownFields(extra)).setPaths(0, p)
            .setRecipientEntity(r.getRecipientEntity().toBuilder().setUnknownFields(extra)).setUnknownFields(extra).build();

        assertThat(FlowCodec.decode(withExtra.toByteArray())).isEqualTo(sampleFlow());
    }

    @Test
    void flowWithoutOptionalPartsRoundTrips() {
        TaintFlow f = sampleFlow();
        TaintFlow bare = new TaintFlow(f.chain(), f.position(), 0, LegKind.NATIVE, f.txHash(), f.from(), f.to(), Asset.NATIVE,
            BigInteger.ZERO, List.of(), PolicyKind.POISON, FlowKind.TRACKED, null, null, null);

        assertThat(FlowCodec.decode(FlowCodec.encode(bare))).isEqualTo(bare);
    }

    private static byte[] with(Consumer<FlowRecord.Builder> change) {
        FlowRecord.Builder b = ProtoMapping.toRecord(sampleFlow()).toBuilder();
        change.accept(b);
        return b.build().toByteArray();
    }

    private static void assertDecodeFails(byte[] bytes, String message) {
        assertThatThrownBy(() -> FlowCodec.decode(bytes)).isInstanceOf(DecodeException.class).hasMessage(message);
    }

    @Test
    void invalidFlowRecordsAreRejectedWithWhatAndWhere() {
        assertDecodeFails(with(b -> b.setSchemaVersion(3)), "flow record: unknown schema_version 3 (this reader knows 1)");
        assertDecodeFails(with(b -> b.clearSchemaVersion()), "flow record: schema_version is missing or 0 (current is 1)");
        assertDecodeFails(with(b -> b.clearTxHash()), "flow ethereum:19000010:7:2: tx_hash is missing");
        assertDecodeFails(with(b -> b.setFrom(ByteString.copyFrom(new byte[19]))), "flow record: from has 19 bytes, expected 20");
        assertDecodeFails(with(b -> b.clearTo()), "flow ethereum:19000010:7:2: to is missing");
        assertDecodeFails(with(b -> b.setLegKindValue(42)), "flow ethereum:19000010:7:2: unknown leg kind 42");
        assertDecodeFails(with(b -> b.clearLegKind()), "flow ethereum:19000010:7:2: leg_kind is missing (LEG_KIND_UNSPECIFIED)");
        assertDecodeFails(with(b -> b.setPolicy("proportional")),
            "flow ethereum:19000010:7:2: unknown policy 'proportional' (expected haircut, poison or fifo)");
        assertDecodeFails(with(b -> b.clearPolicy()), "flow ethereum:19000010:7:2: policy is missing");
        assertDecodeFails(with(b -> b.setFlowKind("lost")),
            "flow ethereum:19000010:7:2: unknown flow kind 'lost' (expected one of tracked, terminal, dex_in, dex_out, skipped)");
        assertDecodeFails(with(b -> b.setSenderBasis("guess")),
            "flow ethereum:19000010:7:2: unknown sender basis 'guess' (expected one of end-of-block-balance, zero, source)");
        assertDecodeFails(with(b -> b.setAmount(ByteString.copyFrom(new byte[33]))), "flow record: amount has 33 bytes, at most 32 allowed");
        assertDecodeFails(with(b -> b.setShares(1, b.getShares(1).toBuilder().setHop(0))),
            "flow record: share 1: hop must be >= 1 for source ofac-sdn-12345");
        assertDecodeFails(with(b -> b.setShares(0, b.getShares(0).toBuilder().clearSourceId())), "flow record: share 0: source_id is missing");
        assertDecodeFails(with(b -> b.setRecipientEntity(b.getRecipientEntity().toBuilder().setCategory("casino"))),
            "flow record: recipient_entity: unknown category 'casino'");
        assertDecodeFails(with(b -> b.setRecipientEntity(b.getRecipientEntity().toBuilder().setConfidence(101))),
            "flow record: recipient_entity: confidence must be 0..100, got 101");
        assertDecodeFails(with(b -> b.setPaths(0, b.getPaths(0).toBuilder().setHops(1, b.getPaths(0).getHops(1).toBuilder()
                .setTxHash(ByteString.copyFrom(new byte[5]))))),
            "flow record: path 0: hop 1: tx_hash has 5 bytes, expected 32");
        assertDecodeFails(with(b -> b.setPaths(0, b.getPaths(0).toBuilder().clearSource())), "flow record: path 0: source is missing");
        assertDecodeFails(with(b -> b.setShares(1, b.getShares(1).toBuilder().setSourceId("lazarus-2025"))),
            "flow ethereum:19000010:7:2: share 1: shares must be sorted by source id without duplicates, 'lazarus-2025' follows 'lazarus-2025'");
        assertDecodeFails(with(b -> b.setShares(1, b.getShares(1).toBuilder().setSourceId("a"))),
            "flow ethereum:19000010:7:2: share 1: shares must be sorted by source id without duplicates, 'a' follows 'lazarus-2025'");
        assertDecodeFails(with(b -> b.setBlock(-7L)), "flow record: block is negative as a signed 64-bit value: 18446744073709551609");
        assertDecodeFails(with(b -> b.setTxIndex(-1)), "flow record: tx_index is out of range: 4294967295");
    }

    @Test
    void truncatedOrCorruptedFlowsOnlyEverFailWithDecodeException() {
        byte[] valid = FlowCodec.encode(sampleFlow());
        for (int len = 0; len < valid.length; len++) {
            try {
                FlowCodec.decode(Arrays.copyOf(valid, len));
            } catch (DecodeException expected) {
                assertThat(expected.getMessage()).startsWith("flow");
            }
        }
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = valid.clone();
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            try {
                FlowCodec.decode(b);
            } catch (DecodeException expected) {
                // the only failure allowed
            }
        }
    }

    @Test
    void encodingRejectsUnsortedShares() {
        TaintFlow f = sampleFlow();
        TaintFlow unsorted = new TaintFlow(f.chain(), f.position(), 1, f.legKind(), f.txHash(), f.from(), f.to(), f.asset(), f.amount(),
            List.of(f.shares().get(1), f.shares().get(0)), f.policy(), f.kind(), null, null, null);

        assertThatThrownBy(() -> FlowCodec.encode(unsorted)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("flow ethereum:19000010:7:2: shares must be sorted by source id without duplicates, 'lazarus-2025' follows 'ofac-sdn-12345'");
    }

    @Test
    void encodingRejectsIncompleteFlows() {
        TaintFlow f = sampleFlow();
        TaintFlow noHash = new TaintFlow(f.chain(), f.position(), 1, f.legKind(), null, f.from(), f.to(), f.asset(), f.amount(), f.shares(),
            f.policy(), f.kind(), null, null, null);

        assertThatThrownBy(() -> FlowCodec.encode(noHash)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("flow ethereum:19000010:7:2: txHash is missing");
    }
}
