package io.taintwatch.ingest.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogDecoderTest {
    static final Address TOKEN = Address.parse("0x1111111111111111111111111111111111111111");
    static final Address WETH = Address.parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
    static final Address A = Address.parse("0x000000000000000000000000000000000000000a");
    static final Address B = Address.parse("0x000000000000000000000000000000000000000b");
    static final Hash32 TX = Hash32.parse("0x" + "ab".repeat(32));
    final LogDecoder decoder = new LogDecoder(Set.of(WETH));

    static Hash32 addrTopic(Address a) {
        byte[] b = new byte[32];
        a.writeTo(b, 12);
        return Hash32.of(b);
    }

    static byte[] words(long... ws) {
        byte[] b = new byte[32 * ws.length];
        for (int i = 0; i < ws.length; i++) {
            byte[] v = BigInteger.valueOf(ws[i]).toByteArray();
            System.arraycopy(v, 0, b, 32 * i + 32 - v.length, v.length);
        }
        return b;
    }

    static EvmLog log(Address contract, List<Hash32> topics, byte[] data) {
        return new EvmLog(3, TX, 7, contract, topics, data);
    }

    @Test
    void eventSignaturesAreTheStandardTopics() {
        assertThat(LogDecoder.TRANSFER.toString()).isEqualTo("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
        assertThat(LogDecoder.DEPOSIT.toString()).isEqualTo("0xe1fffcc4923d04b559f4d29a8bfc6cda04eb5b0d3c460751c2402c5c5cc9109c");
        assertThat(LogDecoder.WITHDRAWAL.toString()).isEqualTo("0x7fcf532c15f0a6db0bd6d0e038bea71d30d808c7d98cb3bf7268a95bf5081b65");
        assertThat(LogDecoder.TRANSFER_SINGLE.toString()).isEqualTo("0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62");
        assertThat(LogDecoder.TRANSFER_BATCH.toString()).isEqualTo("0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb");
    }

    @Test
    void erc20TransferHasThreeTopicsAndOneWord() throws Exception {
        List<TokenMove> m = decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER, addrTopic(A), addrTopic(B)), words(500)));
        assertThat(m).containsExactly(new TokenMove(3, TX, 7, 0, LegKind.ERC20, Asset.token(TOKEN), A, B, BigInteger.valueOf(500)));
    }

    @Test
    void erc721TransferCarriesTheTokenIdInTheFourthTopic() throws Exception {
        Hash32 id = Hash32.of(words(42));
        List<TokenMove> m = decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER, addrTopic(A), addrTopic(B), id), new byte[0]));
        assertThat(m).containsExactly(new TokenMove(3, TX, 7, 0, LegKind.ERC721, Asset.nft(TOKEN, BigInteger.valueOf(42)), A, B, BigInteger.ONE));
    }

    @Test
    void transferWithWrongShapeIsMalformed() {
        assertThatThrownBy(() -> decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER, addrTopic(A)), words(1, 2))))
            .isInstanceOf(MalformedLogException.class).hasMessageContaining("2 topics and 64 data bytes");
        assertThatThrownBy(() -> decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER, addrTopic(A), addrTopic(B)), new byte[31])))
            .isInstanceOf(MalformedLogException.class);
        Hash32 notAnAddress = Hash32.parse("0x" + "ff".repeat(32));
        assertThatThrownBy(() -> decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER, notAnAddress, addrTopic(B)), words(1))))
            .isInstanceOf(MalformedLogException.class).hasMessageContaining("topic 1 is not an address");
    }

    @Test
    void wethDepositMintsFromZeroAndWithdrawalBurnsToZeroOnlyForTheConfiguredContract() throws Exception {
        assertThat(decoder.decode(log(WETH, List.of(LogDecoder.DEPOSIT, addrTopic(A)), words(9))))
            .containsExactly(new TokenMove(3, TX, 7, 0, LegKind.WETH, Asset.token(WETH), Address.ZERO, A, BigInteger.valueOf(9)));
        assertThat(decoder.decode(log(WETH, List.of(LogDecoder.WITHDRAWAL, addrTopic(A)), words(4))))
            .containsExactly(new TokenMove(3, TX, 7, 0, LegKind.WETH, Asset.token(WETH), A, Address.ZERO, BigInteger.valueOf(4)));
        assertThat(decoder.decode(log(TOKEN, List.of(LogDecoder.DEPOSIT, addrTopic(A)), words(9)))).isEmpty();
    }

    @Test
    void erc1155SingleAndBatch() throws Exception {
        Hash32 op = addrTopic(Address.parse("0x00000000000000000000000000000000000000cc"));
        assertThat(decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER_SINGLE, op, addrTopic(A), addrTopic(B)), words(5, 100))))
            .containsExactly(new TokenMove(3, TX, 7, 0, LegKind.ERC1155, Asset.nft(TOKEN, BigInteger.valueOf(5)), A, B, BigInteger.valueOf(100)));
        // ids [1,2] at offset 0x40, values [10,20] at offset 0xa0
        byte[] batch = words(0x40, 0xa0, 2, 1, 2, 2, 10, 20);
        List<TokenMove> m = decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER_BATCH, op, addrTopic(A), addrTopic(B)), batch));
        assertThat(m).extracting(TokenMove::asset, TokenMove::amount, TokenMove::batchIndex).containsExactly(
            org.assertj.core.groups.Tuple.tuple(Asset.nft(TOKEN, BigInteger.ONE), BigInteger.TEN, 0),
            org.assertj.core.groups.Tuple.tuple(Asset.nft(TOKEN, BigInteger.TWO), BigInteger.valueOf(20), 1));
        byte[] mismatched = words(0x40, 0xa0, 2, 1, 2, 1, 10);
        assertThatThrownBy(() -> decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER_BATCH, op, addrTopic(A), addrTopic(B)), mismatched)))
            .isInstanceOf(MalformedLogException.class);
        byte[] overrun = words(0x40, 0xa0, 1000, 1);
        assertThatThrownBy(() -> decoder.decode(log(TOKEN, List.of(LogDecoder.TRANSFER_BATCH, op, addrTopic(A), addrTopic(B)), overrun)))
            .isInstanceOf(MalformedLogException.class);
    }

    @Test
    void unrelatedEventsDecodeToNothing() throws Exception {
        assertThat(decoder.decode(log(TOKEN, List.of(Hash32.parse(org.web3j.abi.EventEncoder.buildEventSignature("Approval(address,address,uint256)")), addrTopic(A), addrTopic(B)), words(1)))).isEmpty();
        assertThat(decoder.decode(log(TOKEN, List.of(), Hex.decode("0x")))).isEmpty();
    }
}
