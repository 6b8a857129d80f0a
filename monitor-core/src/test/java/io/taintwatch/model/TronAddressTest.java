package io.taintwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TronAddressTest {
    /** Tether's TRC-20 contract, as Tronscan shows it and in java-tron's 21-byte hex form. */
    private static final String USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
    private static final String USDT_HEX = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";

    @Test
    void knownAddressesEncodeAndDecodeBothWays() {
        Address usdt = TronAddress.fromHex(USDT_HEX);
        assertThat(TronAddress.encode(usdt)).isEqualTo(USDT);
        assertThat(TronAddress.decode(USDT)).isEqualTo(usdt);
        assertThat(usdt.toString()).isEqualTo("0x" + USDT_HEX.substring(2));
        // the 20 zero bytes: Tron's black-hole address
        assertThat(TronAddress.encode(Address.ZERO)).isEqualTo("T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb");
    }

    @Test
    void everyAddressRoundTripsAndStartsWithT() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[20];
            rnd.nextBytes(b);
            if (i == 0) {
                java.util.Arrays.fill(b, (byte) 0xff);
            }
            Address a = Address.of(b);
            String t = TronAddress.encode(a);
            assertThat(t).hasSize(34).startsWith("T");
            assertThat(TronAddress.decode(t)).isEqualTo(a);
            assertThat(Address.parse(t)).isEqualTo(a);
            assertThat(ChainKind.ofText(t)).isEqualTo(ChainKind.TRON);
        }
    }

    @Test
    void aWrongChecksumIsRefusedWithTheReason() {
        String typo = USDT.substring(0, 33) + "u";
        assertThatThrownBy(() -> TronAddress.decode(typo)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Base58Check checksum mismatch").hasMessageContaining("TR7NHq");
        assertThatThrownBy(() -> Address.parse(typo)).hasMessageContaining("checksum mismatch");
    }

    @Test
    void charactersOutsideBase58AndWrongShapesAreRefused() {
        assertThatThrownBy(() -> TronAddress.decode(USDT.replace('q', '0'))).hasMessageContaining("'0' is not a Base58 character");
        assertThatThrownBy(() -> TronAddress.decode(USDT.replace('q', 'l'))).hasMessageContaining("'l' is not a Base58 character");
        assertThatThrownBy(() -> TronAddress.decode("TR7NHq")).hasMessageContaining("expected 'T' and 33 more");
        // a valid Base58Check string of another version byte (bitcoin P2PKH, 0x00) is not a Tron address
        assertThatThrownBy(() -> TronAddress.decode("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")).hasMessageContaining("expected 'T'");
        assertThatThrownBy(() -> TronAddress.fromHex("42" + USDT_HEX.substring(2))).hasMessageContaining("must start with 41");
    }

    @Test
    void theKindOfATextIsTronOnlyForBase58ShapedInput() {
        assertThat(ChainKind.ofText(USDT)).isEqualTo(ChainKind.TRON);
        assertThat(ChainKind.ofText("0x" + USDT_HEX.substring(2))).isEqualTo(ChainKind.EVM);
        assertThat(ChainKind.TRON.format(Address.parse(USDT))).isEqualTo(USDT);
        assertThat(ChainKind.EVM.format(Address.parse(USDT))).isEqualTo("0x" + USDT_HEX.substring(2));
        assertThat(ChainKind.TRON.format(Asset.token(Address.parse(USDT)))).isEqualTo(USDT);
        assertThat(ChainKind.TRON.format(Asset.NATIVE)).isEqualTo("native");
    }
}
