package io.taintwatch.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import org.junit.jupiter.api.Test;

import io.taintwatch.encoding.proto.BalanceRecord;
import io.taintwatch.encoding.proto.BlockRecord;
import io.taintwatch.encoding.proto.LegKindRecord;
import io.taintwatch.encoding.proto.LegRecord;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class BlockCodecTest {
    private static final Address A = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    private static final Address B = Address.parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    private static final Address USDT = Address.parse("0xdac17f958d2ee523a2206206994597c13d831ec7");
    private static final Hash32 TX0 = Hash32.parse("0x" + "11".repeat(32));
    private static final Hash32 TX1 = Hash32.parse("0x" + "22".repeat(32));

    static Block sampleBlock() {
        long n = 19_000_000;
        return new Block(ChainId.ETHEREUM, n, Hash32.parse("0x" + "ab".repeat(32)), Hash32.parse("0x" + "cd".repeat(32)), 1_700_000_000L,
            List.of(
                new Leg(new Position(n, 0, 0), LegKind.NATIVE, TX0, A, B, Asset.NATIVE, new BigInteger("1000000000000000000")),
                new Leg(new Position(n, 0, 1), LegKind.FEE, TX0, A, Address.ZERO, Asset.NATIVE, BigInteger.valueOf(21_000)),
                new Leg(new Position(n, 2, 0), LegKind.ERC20, TX1, B, A, Asset.token(USDT), BigInteger.valueOf(5_000_000)),
                new Leg(new Position(n, 2, 1), LegKind.ERC721, TX1, A, B, Asset.nft(USDT, BigInteger.ZERO), BigInteger.ONE)),
            List.of());
    }

    @Property(tries = 300)
    void randomBlocksRoundTripAndEncodeLikeProtoc(@ForAll long seed) throws InvalidProtocolBufferException {
        Block block = new RandomModel(seed).block();
        byte[] bytes = BlockCodec.encode(block);

        assertThat(BlockCodec.decode(bytes)).isEqualTo(block);
        assertThat(BlockCodec.encode(block)).as("deterministic").isEqualTo(bytes);
        BlockRecord expected = ProtoMapping.toRecord(block);
        // every field, as protoc-generated code reads it
        assertThat(BlockRecord.parseFrom(bytes)).isEqualTo(expected);
        assertThat(ProtoMapping.fromRecord(BlockRecord.parseFrom(bytes))).isEqualTo(block);
        // and the generated writer's bytes: identical, and decodable by the codec
        assertThat(bytes).isEqualTo(expected.toByteArray());
        assertThat(BlockCodec.decode(expected.toByteArray())).isEqualTo(block);
    }

    @Property(tries = 200)
    void scanKeepsTheHeaderAndProbesExactlyTheLegsAddresses(@ForAll long seed) {
        Block block = new RandomModel(seed).block();
        EncodedBlock e = BlockCodec.scan(BlockCodec.encode(block));
        assertThat(List.of(e.chain(), e.number(), e.hash(), e.parentHash(), e.timestamp(), e.legCount()))
            .containsExactly(block.chain(), block.number(), block.hash(), block.parentHash(), block.timestamp(), block.legs().size());
        assertThat(e.block()).isEqualTo(block);
        assertThat(e.block()).as("built once").isSameAs(e.block());
        java.util.Set<Address> touched = new java.util.HashSet<>();
        block.legs().forEach(l -> {
            touched.add(l.from());
            touched.add(l.to());
        });
        assertThat(e.anyLegTouches((hi, mid, lo) -> false)).isFalse();
        assertThat(e.anyLegTouches((hi, mid, lo) -> touched.contains(new Address(hi, mid, lo)))).isEqualTo(!block.legs().isEmpty());
        for (Address a : touched) {
            assertThat(e.anyLegTouches((hi, mid, lo) -> a.equals(new Address(hi, mid, lo)))).as("probes %s", a).isTrue();
        }
        Address stranger = new Address(0x1234_5678_9abc_def0L, seed, 7);
        assertThat(e.anyLegTouches((hi, mid, lo) -> stranger.equals(new Address(hi, mid, lo)))).isEqualTo(touched.contains(stranger));
    }

    @Test
    void sampleBlockFieldsAsGeneratedCodeSeesThem() throws InvalidProtocolBufferException {
        BlockRecord r = BlockRecord.parseFrom(BlockCodec.encode(sampleBlock()));

        assertThat(r.getSchemaVersion()).isEqualTo(1);
        assertThat(r.getChainId()).isEqualTo(1);
        assertThat(r.getChainName()).isEqualTo("ethereum");
        assertThat(r.getNumber()).isEqualTo(19_000_000);
        assertThat(r.getTimestamp()).isEqualTo(1_700_000_000L);
        assertThat(r.getTxHashesList()).containsExactly(ByteString.copyFrom(TX0.toBytes()), ByteString.EMPTY, ByteString.copyFrom(TX1.toBytes()));
        assertThat(r.getLegsCount()).isEqualTo(4);
        LegRecord native0 = r.getLegs(0);
        assertThat(native0.getKind()).isEqualTo(LegKindRecord.LEG_KIND_NATIVE);
        assertThat(native0.getToken()).isEqualTo(ByteString.EMPTY);
        assertThat(native0.hasTokenId()).isFalse();
        assertThat(native0.getAmount().toByteArray()).isEqualTo(new BigInteger("1000000000000000000").toByteArray());
        LegRecord erc20 = r.getLegs(2);
        assertThat(erc20.getTxIndex()).isEqualTo(2);
        assertThat(erc20.getToken().toByteArray()).isEqualTo(USDT.toBytes());
        assertThat(erc20.getAmount().toByteArray()).containsExactly(0x4c, 0x4b, 0x40);
        LegRecord nft = r.getLegs(3);
        assertThat(nft.hasTokenId()).as("token id 0 is present and empty").isTrue();
        assertThat(nft.getTokenId()).isEqualTo(ByteString.EMPTY);
        assertThat(r.getHasBalances()).isTrue();
        assertThat(r.getBalancesCount()).isZero();
    }

    @Test
    void blockWithoutBalancesKeepsThemAbsent() {
        Block b = sampleBlock();
        Block none = new Block(b.chain(), b.number(), b.hash(), b.parentHash(), b.timestamp(), b.legs(), null);

        assertThat(BlockCodec.decode(BlockCodec.encode(none)).balances()).isNull();
        assertThat(BlockCodec.decode(BlockCodec.encode(b)).balances()).isEmpty();
    }

    @Test
    void tokenAssetsOfOneBlockAreShared() {
        Block decoded = BlockCodec.decode(BlockCodec.encode(new RandomModel(7).block()));
        List<Asset> tokens = decoded.legs().stream().map(Leg::asset).filter(a -> !a.isNative() && a.tokenId() == null).toList();
        for (Asset t : tokens) {
            assertThat(tokens.stream().filter(t::equals).allMatch(o -> o == t)).as("one instance of %s", t).isTrue();
        }
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() throws Exception {
        BlockRecord r = ProtoMapping.toRecord(sampleBlock());
        UnknownFieldSet extra = UnknownFieldSet.newBuilder()
            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(12345).addFixed32(7).addFixed64(-1)
                .addLengthDelimited(ByteString.copyFromUtf8("future")).build())
            .addField(100, UnknownFieldSet.Field.newBuilder()
                .addGroup(UnknownFieldSet.newBuilder().addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build())
            .build();
        LegRecord leg0 = r.getLegs(0).toBuilder().setUnknownFields(extra).build();
        BalanceRecord bal = BalanceRecord.newBuilder().setAddress(ByteString.copyFrom(A.toBytes())).setAmount(ByteString.copyFrom(new byte[] {5}))
            .setUnknownFields(extra).build();
        BlockRecord withExtra = r.toBuilder().setLegs(0, leg0).addBalances(bal).setUnknownFields(extra).build();

        Block decoded = BlockCodec.decode(withExtra.toByteArray());

        assertThat(decoded.legs()).isEqualTo(sampleBlock().legs());
        assertThat(decoded.balances()).hasSize(1);
        assertThat(decoded.balanceOf(A, Asset.NATIVE)).isEqualTo(5);
    }

    @Test
    void fieldsMayComeInAnyOrder() throws Exception {
        // protobuf allows fields in any order: legs before the number and the tx hash table they depend on
        BlockRecord r = ProtoMapping.toRecord(sampleBlock());
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bo);
        for (LegRecord l : r.getLegsList()) {
            out.writeMessage(9, l);
        }
        for (ByteString t : r.getTxHashesList()) {
            out.writeBytes(8, t);
        }
        out.writeBool(10, true);
        out.writeUInt64(7, r.getTimestamp());
        out.writeBytes(6, r.getParentHash());
        out.writeBytes(5, r.getHash());
        out.writeUInt64(4, r.getNumber());
        out.writeString(3, r.getChainName());
        out.writeUInt64(2, r.getChainId());
        out.writeUInt32(1, 1);
        out.flush();

        assertThat(BlockCodec.decode(bo.toByteArray())).isEqualTo(sampleBlock());
    }

    @Test
    void longAmountsAtTheFastPathBoundaryDecodeExactly() {
        long n = 5;
        BigInteger[] amounts = {BigInteger.valueOf(Long.MAX_VALUE), BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
            BigInteger.valueOf(0x80), BigInteger.valueOf(0xff_ffff_ffffL), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)};
        List<Leg> legs = new java.util.ArrayList<>();
        for (int i = 0; i < amounts.length; i++) {
            legs.add(new Leg(new Position(n, 0, i), LegKind.ERC20, TX0, A, B, Asset.token(USDT), amounts[i]));
        }
        Block b = new Block(ChainId.ETHEREUM, n, TX1, TX0, 1, legs, null);

        assertThat(BlockCodec.decode(BlockCodec.encode(b)).legs()).extracting(Leg::amount).containsExactly(amounts);
    }

    @Test
    void leadingZeroBytesInAmountsAreTolerated() {
        BlockRecord r = ProtoMapping.toRecord(sampleBlock());
        BlockRecord padded = r.toBuilder().setLegs(2, r.getLegs(2).toBuilder().setAmount(ByteString.copyFrom(new byte[] {0, 0, 0x4c, 0x4b, 0x40}))).build();

        assertThat(BlockCodec.decode(padded.toByteArray()).legs().get(2).amount()).isEqualTo(5_000_000);
    }

    @Test
    void encodingRejectsTwoHashesForOneTransaction() {
        long n = 1;
        Block b = new Block(ChainId.ETHEREUM, n, TX0, TX1, 1, List.of(
            new Leg(new Position(n, 0, 0), LegKind.NATIVE, TX0, A, B, Asset.NATIVE, BigInteger.ONE),
            new Leg(new Position(n, 0, 1), LegKind.NATIVE, TX1, A, B, Asset.NATIVE, BigInteger.ONE)), null);

        assertThatThrownBy(() -> BlockCodec.encode(b)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("tx_index 0 has two hashes");
    }

    // ---- decode errors: one DecodeException naming what and where

    private static byte[] with(Consumer<BlockRecord.Builder> change) {
        BlockRecord.Builder b = ProtoMapping.toRecord(sampleBlock()).toBuilder();
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

    private static void assertDecodeFails(byte[] bytes, String message) {
        assertThatThrownBy(() -> BlockCodec.decode(bytes)).isInstanceOf(DecodeException.class).hasMessage(message);
    }

    @Test
    void unknownSchemaVersionIsRejected() {
        assertDecodeFails(with(b -> b.setSchemaVersion(2)), "block record: unknown schema_version 2 (this reader knows 1)");
        assertDecodeFails(with(b -> b.clearSchemaVersion()), "block record: schema_version is missing or 0 (current is 1)");
    }

    @Test
    void truncatedInputIsRejected() {
        byte[] full = BlockCodec.encode(sampleBlock());
        byte[] cut = Arrays.copyOf(full, full.length - 3);

        assertThatThrownBy(() -> BlockCodec.decode(cut)).isInstanceOf(DecodeException.class)
            .hasMessageStartingWith("block record: truncated input: legs at offset ")
            .hasMessageContaining("only");
        assertDecodeFails(new byte[0], "block record: schema_version is missing or 0 (current is 1)");
        assertDecodeFails(new byte[] {0x08, (byte) 0x81}, "block record: truncated input: schema_version needs 1 more byte(s) at offset 1");
    }

    @Test
    void everyPrefixOfAValidRecordDecodesOrFailsWithDecodeException() {
        byte[] full = BlockCodec.encode(new RandomModel(42).block());
        for (int len = 0; len < full.length; len++) {
            byte[] prefix = Arrays.copyOf(full, len);
            try {
                BlockCodec.decode(prefix);
            } catch (DecodeException expected) {
                assertThat(expected.getMessage()).startsWith("block");
            }
        }
    }

    @Test
    void randomBytesOnlyEverFailWithDecodeException() {
        Random rnd = new Random(1);
        byte[] valid = BlockCodec.encode(sampleBlock());
        for (int i = 0; i < 20_000; i++) {
            byte[] b = valid.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            try {
                BlockCodec.decode(b);
            } catch (DecodeException expected) {
                // the only failure allowed
            }
        }
    }

    @Test
    void wrongLengthsAreRejected() {
        assertDecodeFails(with(leg(1, l -> l.setFrom(ByteString.copyFrom(new byte[19])))),
            "block 19000000: leg 1: from has 19 bytes, expected 20");
        assertDecodeFails(with(leg(0, l -> l.setTo(ByteString.copyFrom(new byte[32])))),
            "block 19000000: leg 0: to has 32 bytes, expected 20");
        assertDecodeFails(with(leg(2, l -> l.setToken(ByteString.copyFrom(new byte[21])))),
            "block 19000000: leg 2: token has 21 bytes, expected 20 (or 0 for the native asset)");
        assertDecodeFails(with(b -> b.setHash(ByteString.copyFrom(new byte[31]))), "block record: hash has 31 bytes, expected 32");
        assertDecodeFails(with(b -> b.setTxHashes(2, ByteString.copyFrom(new byte[31]))),
            "block 19000000: tx_hashes[2] has 31 bytes, expected 32 (or 0 for an unknown hash)");
        assertDecodeFails(with(b -> b.addBalances(BalanceRecord.newBuilder().setAddress(ByteString.copyFrom(new byte[3])))),
            "block 19000000: balance 0: address has 3 bytes, expected 20");
    }

    @Test
    void amountsBeyond32BytesAreRejected() {
        assertDecodeFails(with(leg(0, l -> l.setAmount(ByteString.copyFrom(new byte[33])))),
            "block 19000000: leg 0: amount has 33 bytes, at most 32 allowed");
        assertDecodeFails(with(leg(3, l -> l.setTokenId(ByteString.copyFrom(new byte[40])))),
            "block 19000000: leg 3: token_id has 40 bytes, at most 32 allowed");
    }

    @Test
    void unknownOrMissingLegKindIsRejected() {
        assertDecodeFails(with(leg(2, l -> l.setKindValue(9))), "block 19000000: leg 2: unknown leg kind 9");
        assertDecodeFails(with(leg(2, l -> l.clearKind())), "block 19000000: leg 2: kind is missing (LEG_KIND_UNSPECIFIED)");
    }

    @Test
    void txIndexMustReferToAKnownHash() {
        assertDecodeFails(with(leg(3, l -> l.setTxIndex(3))), "block 19000000: leg 3: tx_index 3 is outside tx_hashes (3 entries)");
        assertDecodeFails(with(leg(0, l -> l.setTxIndex(1))), "block 19000000: leg 0: tx_index 1 refers to an empty tx_hashes entry");
    }

    @Test
    void legsOutOfOrderOrDuplicatedAreRejected() {
        assertThatThrownBy(() -> BlockCodec.decode(with(leg(1, l -> l.setSubIndex(0)))))
            .isInstanceOf(DecodeException.class)
            .hasMessage("block 19000000: legs out of order or duplicated at 19000000:0:0");
        assertDecodeFails(with(leg(3, l -> l.setTxIndex(0).setSubIndex(1))), "block 19000000: legs out of order or duplicated at 19000000:0:1");
    }

    @Test
    void missingOrNegativeRequiredFieldsAreRejected() {
        assertDecodeFails(with(b -> b.clearHash()), "block record: hash is missing");
        assertDecodeFails(with(b -> b.clearParentHash()), "block record: parent_hash is missing");
        assertDecodeFails(with(leg(0, l -> l.clearFrom())), "block 19000000: leg 0: from is missing");
        assertDecodeFails(with(leg(0, l -> l.clearTo())), "block 19000000: leg 0: to is missing");
        assertDecodeFails(with(b -> b.setNumber(-1L)), "block record: number is negative as a signed 64-bit value: 18446744073709551615");
        assertDecodeFails(with(leg(0, l -> l.setSubIndex(-5))), "block 19000000: leg 0: sub_index is out of range: 4294967291");
        assertDecodeFails(with(b -> b.clearChainId()), "block 19000000: chain id must be positive, got 0");
        assertDecodeFails(with(b -> b.setChainName("Main Net")),
            "block 19000000: chain name 'Main Net' must be lower-case letters, digits, '-' or '_'");
        assertDecodeFails(with(b -> b.setHasBalances(false).addBalances(BalanceRecord.newBuilder().setAddress(ByteString.copyFrom(A.toBytes())))),
            "block 19000000: 1 balances present but has_balances is false");
        assertDecodeFails(with(leg(0, l -> l.setTokenId(ByteString.EMPTY))),
            "block 19000000: leg 0: token_id is set but token is empty (the native asset has no token id)");
        assertThatThrownBy(() -> BlockCodec.decode(null)).isInstanceOf(DecodeException.class).hasMessageContaining("null");
    }

    @Test
    void knownFieldWithWrongWireTypeIsRejected() {
        // field 4 (number) sent as length-delimited
        byte[] bad = {0x08, 0x01, 0x22, 0x01, 0x00};

        assertDecodeFails(bad, "block record: number (field 4) has wire type 2, expected 0 at offset 3");
    }
}
