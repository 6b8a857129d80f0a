package io.taintwatch.ingest.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class QuantityTest {
    @Test
    void unsignedHexAndDecimalUpTo256BitsDecode() {
        assertThat(Quantity.big("0x1a")).isEqualTo(BigInteger.valueOf(26));
        assertThat(Quantity.big("0x0")).isZero();
        assertThat(Quantity.big("0x")).isZero();
        assertThat(Quantity.big("0x" + "f".repeat(64))).isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
        assertThat(Quantity.big(BigInteger.TWO.pow(256).subtract(BigInteger.ONE).toString())).isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
        assertThat(Quantity.big(null)).isNull();
    }

    @Test
    void signedQuantitiesAreRefused() {
        for (String s : new String[] {"0x-5", "0x+5", "-5", "+5", "0X-1"}) {
            assertThatThrownBy(() -> Quantity.big(s)).as(s).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no sign");
        }
    }

    @Test
    void overLongQuantitiesAreRefusedBeforeTheyAreParsed() {
        assertThatThrownBy(() -> Quantity.big("0x1" + "0".repeat(9_999))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("10000 hex digits");
        assertThatThrownBy(() -> Quantity.big("0x" + "f".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantity.big("1".repeat(10_000))).isInstanceOf(IllegalArgumentException.class);
        // 78 decimal digits hold 2^256 - 1, and also numbers just above it
        assertThatThrownBy(() -> Quantity.big(BigInteger.TWO.pow(256).toString())).hasMessageContaining("256 bits");
    }

    @Test
    void nonDigitsAndFullwidthDigitsAreRefused() {
        assertThatThrownBy(() -> Quantity.big("0xnot-a-number")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantity.big("0x\\uff11")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantity.asLong("0x" + "f".repeat(17))).isInstanceOf(ArithmeticException.class);
    }
}
