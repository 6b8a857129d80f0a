package io.taintwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {
    @Test
    void eip55ExamplesFromTheSpecParseAndPrintBack() {
        String[] examples = {
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"};
        for (String e : examples) {
            Address a = Address.parse(e);
            assertThat(a.toChecksumHex()).isEqualTo(e);
            assertThat(a.toString()).isEqualTo(e.toLowerCase());
            assertThat(Address.parse(e.toLowerCase())).isEqualTo(a);
            assertThat(Address.parse(e.toUpperCase().replace("0X", "0x"))).isEqualTo(a);
        }
    }

    @Test
    void mixedCaseWithWrongChecksumIsRejected() {
        assertThatThrownBy(() -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EIP-55");
    }

    @Test
    void wrongLengthAndNonHexAreRejectedWithReason() {
        assertThatThrownBy(() -> Address.parse("0x1234")).hasMessageContaining("40 hex digits");
        assertThatThrownBy(() -> Address.parse("0x" + "g".repeat(40))).hasMessageContaining("not a hex digit");
    }

    @Test
    void lookAlikeDigitsOfOtherScriptsAreNotHex() {
        // Character.digit accepts these; a look-alike must never parse as the real address
        String real = "0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc";
        for (String fake : new String[] {real.replace('5', '\uFF15'), real.replace('6', '\u0666'), real.replace('a', '\uFF41')}) {
            assertThatThrownBy(() -> Address.parse(fake)).hasMessageContaining("not a hex digit");
            assertThatThrownBy(() -> Hex.decode(fake)).hasMessageContaining("not hex");
        }
        assertThatThrownBy(() -> Address.parse(" ".repeat(100_000) + "0x" + "Ab".repeat(20)))
            .hasMessageContaining("checksum").message().hasSizeLessThan(300);
    }

    @Test
    void bytesRoundTripAndOrder() {
        byte[] b = new byte[20];
        for (int i = 0; i < 20; i++) {
            b[i] = (byte) (0xf0 + i);
        }
        Address a = Address.of(b);
        assertThat(a.toBytes()).isEqualTo(b);
        assertThat(Address.ZERO.compareTo(a)).isNegative();
        byte[] word = new byte[32];
        System.arraycopy(b, 0, word, 12, 20);
        assertThat(Address.of(word, 0, 32)).isEqualTo(a);
    }
}
