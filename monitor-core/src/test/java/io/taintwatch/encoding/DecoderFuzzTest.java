package io.taintwatch.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.taintwatch.encoding.proto.BlockRecord;
import io.taintwatch.encoding.proto.FlowRecord;
import io.taintwatch.encoding.proto.LegRecord;
import io.taintwatch.model.Block;
import io.taintwatch.model.Leg;
import io.taintwatch.model.TaintFlow;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Hostile block and flow records: whatever the bytes, decoding returns a valid record or throws one
 * {@link DecodeException} with a bounded message, never another exception, an {@link Error} or a huge allocation.
 *
 * <p>"Duplicate legs" are two legs at the same position {@code (block, tx_index, sub_index)}: the position is a leg's
 * identity (its id is {@code chain:txHash:kind:subIndex}), so the block is rejected as a whole (and dead-lettered by
 * the topology), as is any block whose positions are not strictly increasing. Two legs with equal content at
 * different positions are legitimate (two equal Transfer logs of one transaction) and are both kept.
 */
class DecoderFuzzTest {

    @Property(tries = 300)
    void mutatedRandomBlocksDecodeToValidBlocksOrFailWithDecodeException(@ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] valid = BlockCodec.encode(new RandomModel(seed).block());
        for (int i = 0; i < 20; i++) {
            byte[] b = mutate(valid, rnd);
            Block decoded = decodeOrNull(BlockCodec::decode, b, "block", seed);
            if (decoded != null) {
                // a record that decodes is a valid block, and the canonical form of what was read
                assertThat(BlockCodec.decode(BlockCodec.encode(decoded))).isEqualTo(decoded);
            }
        }
    }

    @Property(tries = 300)
    void mutatedRandomFlowsDecodeToValidFlowsOrFailWithDecodeException(@ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] valid = FlowCodec.encode(new RandomModel(seed).flow());
        for (int i = 0; i < 20; i++) {
            TaintFlow decoded = decodeOrNull(FlowCodec::decode, mutate(valid, rnd), "flow", seed);
            if (decoded != null) {
                assertThat(FlowCodec.decode(FlowCodec.encode(decoded))).isEqualTo(decoded);
            }
        }
    }

    /**
     * The scan recognises legs in the layout the encoder writes on a fast path and leaves every other leg to the general
     * path: over random blocks, mutated ones and non-canonical but valid ones, both give the same block or the same error.
     */
    @Property(tries = 300)
    void theCanonicalFastPathAcceptsAndRejectsExactlyWhatTheGeneralPathDoes(@ForAll long seed) {
        Random rnd = new Random(seed);
        Block block = new RandomModel(seed).block();
        byte[] valid = BlockCodec.encode(block);
        assertSameScan(valid, seed);
        for (int i = 0; i < 20; i++) {
            assertSameScan(mutate(valid, rnd), seed);
        }
        if (!block.legs().isEmpty()) {
            int n = rnd.nextInt(block.legs().size());
            BlockRecord base = ProtoMapping.toRecord(block);
            // the same leg written another way: explicit zero position fields, fields in reverse order, an unknown field
            LegRecord l = base.getLegs(n);
            BlockRecord.Builder b = base.toBuilder().clearLegs();
            for (int k = 0; k < base.getLegsCount(); k++) {
                b.addLegs(k == n ? LegRecord.newBuilder().mergeFrom(l).setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(rnd.nextLong()).build()).build()).build()
                    : base.getLegs(k));
            }
            assertSameScan(b.build().toByteArray(), seed);
            assertSameScan(reversedFields(base, n), seed);
        }
    }

    @Test
    void theFastPathReadsTwoByteVarintsAndLeavesLongerOnesToTheGeneralPath() {
        io.taintwatch.testing.Chain c = new io.taintwatch.testing.Chain(1);
        io.taintwatch.testing.Chain.BlockBuilder bb = c.block();
        // 20,000 transactions of one leg (tx_index up to three varint bytes), then one of 200 legs (sub_index two)
        for (int t = 0; t < 20_000; t++) {
            bb.tx().leg(io.taintwatch.model.LegKind.NATIVE, "a" + t % 7, "b" + t % 5, io.taintwatch.model.Asset.NATIVE, 1 + t);
        }
        bb.tx();
        for (int l = 0; l < 200; l++) {
            bb.leg(io.taintwatch.model.LegKind.NATIVE, "a1", "b2", io.taintwatch.model.Asset.NATIVE, 1 + l);
        }
        Block block = bb.build();
        byte[] bytes = BlockCodec.encode(block);
        assertThat(BlockCodec.scan(bytes, true).block()).isEqualTo(block).isEqualTo(BlockCodec.scan(bytes, false).block());
    }

    /** The record with leg {@code n}'s fields written in descending field order (valid protobuf, not canonical). */
    private static byte[] reversedFields(BlockRecord base, int n) {
        try {
            LegRecord l = base.getLegs(n);
            ByteArrayOutputStream leg = new ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(leg);
            List<com.google.protobuf.Descriptors.FieldDescriptor> fields = new ArrayList<>(l.getAllFields().keySet());
            fields.sort((x, y) -> Integer.compare(y.getNumber(), x.getNumber()));
            for (com.google.protobuf.Descriptors.FieldDescriptor f : fields) {
                switch (f.getType()) {
                    case BYTES -> o.writeBytes(f.getNumber(), (ByteString) l.getField(f));
                    case ENUM -> o.writeEnum(f.getNumber(), ((com.google.protobuf.Descriptors.EnumValueDescriptor) l.getField(f)).getNumber());
                    default -> o.writeUInt32(f.getNumber(), ((Number) l.getField(f)).intValue());
                }
            }
            o.writeUInt32(2, l.getTxIndex());
            o.flush();
            byte[] reversed = leg.toByteArray();
            BlockRecord.Builder b = base.toBuilder().clearLegs();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(b.build().toByteArray());
            com.google.protobuf.CodedOutputStream lo = com.google.protobuf.CodedOutputStream.newInstance(out);
            for (int k = 0; k < base.getLegsCount(); k++) {
                lo.writeByteArray(9, k == n ? reversed : base.getLegs(k).toByteArray());
            }
            lo.flush();
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertSameScan(byte[] b, long seed) {
        String general;
        Block expected = null;
        try {
            expected = BlockCodec.scan(b, false).block();
            general = null;
        } catch (DecodeException e) {
            general = e.getMessage();
        }
        try {
            Block actual = BlockCodec.scan(b, true).block();
            assertThat(general).as("seed %d: the general path rejected what the fast path accepted", seed).isNull();
            assertThat(actual).as("seed %d", seed).isEqualTo(expected);
        } catch (DecodeException e) {
            assertThat(e.getMessage()).as("seed %d", seed).isEqualTo(general);
        }
    }

    private static <T> T decodeOrNull(Function<byte[], T> decode, byte[] b, String what, long seed) {
        try {
            return decode.apply(b);
        } catch (DecodeException e) {
            assertThat(e.getMessage()).startsWith(what).hasSizeLessThanOrEqualTo(DecodeException.MAX_MESSAGE);
            return null;
        } catch (Throwable t) {
            fail("seed " + seed + ": " + what + " decoding threw " + t + " for " + Arrays.toString(b), t);
            return null;
        }
    }

    /** Byte flips, truncation, duplicated or dropped slices, inserted varints: 1-3 of them. */
    static byte[] mutate(byte[] valid, Random rnd) {
        byte[] b = valid.clone();
        for (int n = 1 + rnd.nextInt(3); n > 0 && b.length > 0; n--) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0 -> b[at] = (byte) rnd.nextInt(256);
                case 1 -> b = Arrays.copyOf(b, at);
                case 2 -> {
                    int len = 1 + rnd.nextInt(Math.min(64, b.length - at));
                    b = splice(b, at, Arrays.copyOfRange(b, at, at + len), 0);
                }
                case 3 -> b = splice(b, at, new byte[0], Math.min(1 + rnd.nextInt(16), b.length - at));
                default -> {
                    byte[] v = new byte[1 + rnd.nextInt(10)];
                    Arrays.fill(v, (byte) 0xff);
                    v[v.length - 1] = (byte) rnd.nextInt(128);
                    b = splice(b, at, v, 0);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] insert, int remove) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, at);
        out.writeBytes(insert);
        out.write(b, at + remove, b.length - at - remove);
        return out.toByteArray();
    }

    // ---- specific hostile records

    private static byte[] block(Consumer<BlockRecord.Builder> change) {
        BlockRecord.Builder b = ProtoMapping.toRecord(BlockCodecTest.sampleBlock()).toBuilder();
        change.accept(b);
        return b.build().toByteArray();
    }

    private static Consumer<BlockRecord.Builder> leg(int i, Consumer<LegRecord.Builder> change) {
        return b -> {
            LegRecord.Builder l = b.getLegs(i).toBuilder();
            change.accept(l);
            b.setLegs(i, l);
        };
    }

    @Test
    void deeplyNestedUnknownGroupsFailWithDecodeExceptionNotStackOverflow() {
        // field 15, wire type 3 (start group) = tag 0x7b: a million of them would overflow a recursive skip
        byte[] groups = new byte[1_000_000];
        Arrays.fill(groups, (byte) 0x7b);
        byte[] record = concat(BlockCodec.encode(BlockCodecTest.sampleBlock()), groups);
        assertThatThrownBy(() -> BlockCodec.decode(record)).isInstanceOf(DecodeException.class)
            .hasMessageContaining("groups nested deeper than 100");
        // field 50 (unknown to flows), start group: tag 403 = varint 0x93 0x03
        byte[] flowGroups = new byte[1_000_000];
        for (int i = 0; i < flowGroups.length; i += 2) {
            flowGroups[i] = (byte) 0x93;
            flowGroups[i + 1] = 0x03;
        }
        byte[] flow = concat(FlowCodec.encode(FlowCodecTest.sampleFlow()), flowGroups);
        assertThatThrownBy(() -> FlowCodec.decode(flow)).isInstanceOf(DecodeException.class)
            .hasMessageContaining("groups nested deeper than 100");
        // inside a leg, too: leg 0's own bytes followed by the groups, as field 9 of a record without other legs
        BlockRecord base = ProtoMapping.toRecord(BlockCodecTest.sampleBlock());
        byte[] legBytes = concat(base.getLegs(0).toByteArray(), Arrays.copyOf(groups, 5_000));
        ByteString legField = ByteString.copyFrom(new byte[] {0x4a}).concat(varint(legBytes.length)).concat(ByteString.copyFrom(legBytes));
        byte[] inLeg = base.toBuilder().clearLegs().build().toByteString().concat(legField).toByteArray();
        assertThatThrownBy(() -> BlockCodec.decode(inLeg)).isInstanceOf(DecodeException.class)
            .hasMessageContaining("leg 0: unknown field 15: groups nested deeper than 100");
        // nesting within the limit is skipped as protobuf requires
        byte[] shallow = new byte[40];
        for (int i = 0; i < 20; i++) {
            shallow[i] = 0x7b;
            shallow[39 - i] = 0x7c;
        }
        assertThat(BlockCodec.decode(concat(BlockCodec.encode(BlockCodecTest.sampleBlock()), shallow)))
            .isEqualTo(BlockCodecTest.sampleBlock());
    }

    @Test
    void hugeDeclaredLengthsAreRejectedWithoutAllocating() {
        // field 9 (legs), length-delimited, declaring 2^31-1 and 2^63 bytes in a 20-byte record
        byte[] max = {0x08, 0x01, 0x4a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        assertThatThrownBy(() -> BlockCodec.decode(max)).isInstanceOf(DecodeException.class)
            .hasMessageContaining("declares 2147483647 bytes but only 0 remain");
        byte[] huge = {0x08, 0x01, 0x4a, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, 0x01};
        assertThatThrownBy(() -> BlockCodec.decode(huge)).isInstanceOf(DecodeException.class)
            .hasMessageContaining("declares 9223372036854775808 bytes");
        byte[] flow = {0x08, 0x01, 0x7a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        assertThatThrownBy(() -> FlowCodec.decode(flow)).isInstanceOf(DecodeException.class).hasMessageContaining("declares 2147483647");
    }

    @Test
    void oversizedBlocksDecodeInFullWhenValid() {
        // 60,000 legs (several MB): the codec has no size limit of its own, Kafka's max.message.bytes is the bound
        Random rnd = new Random(7);
        java.util.List<Leg> legs = new java.util.ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            legs.add(new Leg(new io.taintwatch.model.Position(19_000_000, i / 3, i % 3), io.taintwatch.model.LegKind.ERC20,
                hash(rnd, i / 3), address(rnd), address(rnd), io.taintwatch.model.Asset.token(address(rnd)),
                new BigInteger(1 + rnd.nextInt(200), rnd)));
        }
        Block big = new Block(io.taintwatch.model.ChainId.ETHEREUM, 19_000_000, hash(rnd, -1), hash(rnd, -2), 1_700_000_000L, legs, null);
        byte[] bytes = BlockCodec.encode(big);
        assertThat(bytes.length).isGreaterThan(3_000_000);
        assertThat(BlockCodec.decode(bytes)).isEqualTo(big);
    }

    @Test
    void amountsAtAndBeyond256BitsAndNegativeOnes() {
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        byte[] ok = block(leg(0, l -> l.setAmount(ProtoMapping.unsigned(max))));
        assertThat(BlockCodec.decode(ok).legs().get(0).amount()).isEqualTo(max);
        byte[] over = new byte[33];
        over[0] = 1;
        assertThatThrownBy(() -> BlockCodec.decode(block(leg(0, l -> l.setAmount(ByteString.copyFrom(over))))))
            .isInstanceOf(DecodeException.class).hasMessage("block 19000000: leg 0: amount has 33 bytes, at most 32 allowed");
        // amounts are unsigned on the wire: a two's-complement "negative" reads as the large positive number it encodes,
        // and the model cannot hold a negative amount, so neither can the encoder write one
        byte[] allOnes = new byte[32];
        Arrays.fill(allOnes, (byte) 0xff);
        assertThat(BlockCodec.decode(block(leg(0, l -> l.setAmount(ByteString.copyFrom(allOnes))))).legs().get(0).amount())
            .isEqualTo(max);
        Leg l0 = BlockCodecTest.sampleBlock().legs().get(0);
        assertThatThrownBy(() -> new Leg(l0.position(), l0.kind(), l0.txHash(), l0.from(), l0.to(), l0.asset(), BigInteger.valueOf(-1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative amount");
        assertThatThrownBy(() -> new Leg(l0.position(), l0.kind(), l0.txHash(), l0.from(), l0.to(), l0.asset(), max.add(BigInteger.ONE)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds 256 bits");
    }

    @Test
    void positionsBeyondTheirRangeAreRejected() {
        assertThatThrownBy(() -> BlockCodec.decode(block(leg(0, l -> l.setTxIndex(Integer.MAX_VALUE)))))
            .isInstanceOf(DecodeException.class).hasMessageContaining("tx_index 2147483647 is outside tx_hashes");
        assertThatThrownBy(() -> BlockCodec.decode(block(b -> b.setTimestamp(Long.MIN_VALUE))))
            .isInstanceOf(DecodeException.class).hasMessageContaining("timestamp is negative");
    }

    @Test
    void unknownEnumValuesAreRejected() {
        for (int kind : new int[] {9, 99, Integer.MAX_VALUE, -1}) {
            assertThatThrownBy(() -> BlockCodec.decode(block(leg(1, l -> l.setKindValue(kind)))))
                .as("kind %d", kind).isInstanceOf(DecodeException.class).hasMessageContaining("block 19000000: leg 1: unknown leg kind");
        }
        assertThatThrownBy(() -> FlowCodec.decode(flow(f -> f.setPolicy("x".repeat(100_000)))))
            .isInstanceOf(DecodeException.class).hasMessageContaining("unknown policy")
            .message().hasSizeLessThanOrEqualTo(DecodeException.MAX_MESSAGE);
        assertThatThrownBy(() -> BlockCodec.decode(block(b -> b.setChainName("x".repeat(100_000)))))
            .isInstanceOf(DecodeException.class).hasMessageContaining("chain name").message().hasSizeLessThan(300);
    }

    @Test
    void duplicateLegsAndLegsOutOfOrderRejectTheBlock() {
        // the same leg twice: same position
        assertThatThrownBy(() -> BlockCodec.decode(block(b -> b.addLegs(b.getLegs(b.getLegsCount() - 1)))))
            .isInstanceOf(DecodeException.class).hasMessageContaining("legs out of order or duplicated");
        // positions descending
        assertThatThrownBy(() -> BlockCodec.decode(block(b -> {
            LegRecord first = b.getLegs(0);
            b.setLegs(0, b.getLegs(1)).setLegs(1, first);
        }))).isInstanceOf(DecodeException.class).hasMessageContaining("legs out of order or duplicated at 19000000:0:0");
        // equal content at another position is two legs
        Block twice = BlockCodec.decode(block(b -> b.addLegs(b.getLegs(b.getLegsCount() - 1).toBuilder().setSubIndex(1000))));
        assertThat(twice.legs()).hasSize(BlockCodecTest.sampleBlock().legs().size() + 1);
    }

    private static byte[] flow(Consumer<FlowRecord.Builder> change) {
        FlowRecord.Builder b = ProtoMapping.toRecord(FlowCodecTest.sampleFlow()).toBuilder();
        change.accept(b);
        return b.build().toByteArray();
    }

    private static io.taintwatch.model.Address address(Random rnd) {
        byte[] b = new byte[20];
        rnd.nextBytes(b);
        return io.taintwatch.model.Address.of(b);
    }

    /** A hash per transaction index (the same index always gives the same hash). */
    private static io.taintwatch.model.Hash32 hash(Random ignored, int tx) {
        Random r = new Random(tx);
        return new io.taintwatch.model.Hash32(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
    }

    private static ByteString varint(int v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
        return ByteString.copyFrom(out.toByteArray());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
