package io.taintwatch.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.taintwatch.encoding.proto.BlockRecord;
import io.taintwatch.encoding.proto.FlowRecord;
import io.taintwatch.encoding.proto.LegKindRecord;
import io.taintwatch.encoding.proto.LegRecord;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import io.taintwatch.model.TronAddress;
import io.taintwatch.taint.StateCodec;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TRC-10 assets on the wire: a token id without a token, on Tron chains only; byte-identical to protoc's output, read the
 * same by both scan paths, and refused (writing and reading) on EVM chains.
 */
class Trc10EncodingTest {
    static final ChainId TRON = new ChainId(728126428, "tron", ChainKind.TRON);
    static final Asset BTT = Asset.trc10(BigInteger.valueOf(1_002_000));
    static final Address A = TronAddress.decode("TCL79Hyxqs2SXAyZk8nmJ3h36DRazm4bTC");
    static final Address B = TronAddress.decode("TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH");
    static final Hash32 TX = Hash32.parse("0x" + "2f".repeat(32));
    static final long N = 70_000_000;

    static Block block(ChainId chain, Asset asset) {
        return new Block(chain, N, Hash32.parse("0x" + "ab".repeat(32)), Hash32.parse("0x" + "cd".repeat(32)), 1_780_000_002L, List.of(
            new Leg(new Position(N, 0, 0), LegKind.NATIVE, TX, A, B, Asset.NATIVE, BigInteger.valueOf(25_000_000)),
            new Leg(new Position(N, 0, 1), LegKind.TRC10, TX, A, B, asset, BigInteger.valueOf(100)),
            new Leg(new Position(N, 0, 2), LegKind.INTERNAL, TX, B, A, asset, BigInteger.valueOf(40)),
            new Leg(new Position(N, 0, 3), LegKind.FEE, TX, A, Address.ZERO, Asset.NATIVE, BigInteger.valueOf(268_000))), null);
    }

    static TaintFlow flow(ChainId chain, Asset asset) {
        List<PathHop> hops = List.of(new PathHop(new Position(N, 0, 1), TX, 1_780_000_002L, A, B, asset, BigInteger.valueOf(100),
            BigInteger.valueOf(100)));
        return new TaintFlow(chain, new Position(N, 0, 1), 1_780_000_002L, LegKind.TRC10, TX, A, B, asset, BigInteger.valueOf(100),
            List.of(new SourceShare("ofac-1", BigInteger.valueOf(100), 1, 0)), PolicyKind.HAIRCUT, FlowKind.TERMINAL, null,
            BalanceBasis.SOURCE, List.of(new TaintPath("ofac-1", A, hops, true)));
    }

    @Test
    void aTrc10LegIsATokenIdWithoutATokenAndEncodesLikeProtoc() throws Exception {
        Block b = block(TRON, BTT);
        byte[] bytes = BlockCodec.encode(b);

        LegRecord leg = BlockRecord.parseFrom(bytes).getLegs(1);
        assertThat(leg.getKind()).isEqualTo(LegKindRecord.LEG_KIND_TRC10);
        assertThat(leg.getToken()).isEqualTo(ByteString.EMPTY);
        assertThat(leg.hasTokenId()).isTrue();
        assertThat(new BigInteger(1, leg.getTokenId().toByteArray())).isEqualTo(BigInteger.valueOf(1_002_000));
        assertThat(bytes).isEqualTo(ProtoMapping.toRecord(b).toByteArray());
        assertThat(BlockCodec.decode(bytes)).isEqualTo(b);
        assertThat(BlockCodec.scan(bytes, false).block()).isEqualTo(b);
        assertThat(ProtoMapping.fromRecord(BlockRecord.parseFrom(bytes))).isEqualTo(b);
    }

    @Test
    void aTrc10FlowRoundTripsAndEncodesLikeProtoc() throws Exception {
        TaintFlow f = flow(TRON, BTT);
        byte[] bytes = FlowCodec.encode(f);

        assertThat(bytes).isEqualTo(ProtoMapping.toRecord(f).toByteArray());
        assertThat(FlowCodec.decode(bytes)).isEqualTo(f);
        assertThat(Json.flow(f)).contains("\"asset\":\"trc10:1002000\"").contains("\"leg_kind\":\"trc10\"");
    }

    @Test
    void aTrc10AssetIsRefusedOnEvmChainsWritingAndReading() {
        ChainId evm = ChainId.ETHEREUM;
        assertThatThrownBy(() -> BlockCodec.encode(block(evm, BTT))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("TRC-10 asset trc10:1002000 on evm chain ethereum");
        assertThatThrownBy(() -> FlowCodec.encode(flow(evm, BTT))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("TRC-10 asset trc10:1002000 on evm chain ethereum");

        // the same records with the chain kind switched to EVM after writing
        byte[] block = BlockRecord.newBuilder(ProtoMapping.toRecord(block(TRON, BTT))).clearChainKind().build().toByteArray();
        assertThatThrownBy(() -> BlockCodec.decode(block)).isInstanceOf(DecodeException.class)
            .hasMessage("block 70000000: leg 1: token_id is set but token is empty (the native asset has no token id)");
        FlowRecord.Builder fr = ProtoMapping.toRecord(flow(TRON, BTT)).toBuilder().clearChainKind();
        assertThatThrownBy(() -> FlowCodec.decode(fr.build().toByteArray())).isInstanceOf(DecodeException.class)
            .hasMessage("flow tron:70000000:0:1: token_id is set but token is empty (the native asset has no token id)");
        fr.setTokenId(ByteString.EMPTY).setToken(ByteString.copyFrom(B.toBytes()));
        assertThatThrownBy(() -> FlowCodec.decode(fr.build().toByteArray())).isInstanceOf(DecodeException.class)
            .hasMessage("flow tron:70000000:0:1: path 0: hop 70000000:0:1: token_id is set but token is empty (the native asset has no token id)");
    }

    @Test
    void aTrc10TokenIdOfZeroIsRefused() {
        BlockRecord.Builder r = ProtoMapping.toRecord(block(TRON, BTT)).toBuilder();
        r.setLegs(1, r.getLegs(1).toBuilder().setTokenId(ByteString.copyFrom(new byte[] {0})));
        assertThatThrownBy(() -> BlockCodec.decode(r.build().toByteArray())).isInstanceOf(DecodeException.class)
            .hasMessage("block 70000000: leg 1: token_id is 0 and token is empty (a TRC-10 token id is positive)");
    }

    @Test
    void aTrc10AssetHasItsOwnTextStateKeyAndOrder() {
        assertThat(BTT).hasToString("trc10:1002000");
        assertThat(Asset.parse("trc10:1002000")).isEqualTo(BTT);
        assertThat(ChainKind.TRON.format(BTT)).isEqualTo("trc10:1002000");
        assertThat(BTT.isNative()).isFalse();
        assertThat(BTT.isTrc10()).isTrue();
        assertThat(Asset.NATIVE.isTrc10()).isFalse();
        assertThat(Asset.token(A).isTrc10()).isFalse();
        assertThatThrownBy(() -> Asset.trc10(BigInteger.ZERO)).hasMessageContaining("must be positive");
        assertThat(List.of(Asset.token(A), BTT, Asset.NATIVE, Asset.trc10(BigInteger.valueOf(1_000_001))).stream().sorted().toList())
            .containsExactly(Asset.NATIVE, Asset.trc10(BigInteger.valueOf(1_000_001)), BTT, Asset.token(A));

        byte[] key = StateCodec.holdingKey(A, BTT);
        assertThat(key[20]).isEqualTo((byte) 3);
        assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(key, 21, key.length))).isEqualTo(BigInteger.valueOf(1_002_000));
        assertThat(key).isNotEqualTo(StateCodec.holdingKey(A, Asset.NATIVE));
    }
}
