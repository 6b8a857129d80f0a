package io.taintwatch.embedded.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.embedded.devnet.Devnet.Tx;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

class DevnetTest {
    @Test
    void derivedAccountsAreStableAndDistinct() {
        assertThat(Devnet.derive(1, "user", 0).getAddress()).isEqualTo(Devnet.derive(1, "user", 0).getAddress());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(Devnet.derive(1, "user", i).getAddress());
            seen.add(Devnet.derive(2, "user", i).getAddress());
            seen.add(Devnet.derive(1, "other", i).getAddress());
        }
        assertThat(seen).hasSize(150);
    }

    @Test
    void aDerivedKeyControlsItsAddress() {
        Credentials c = Devnet.derive(9, "hacker", 0);
        assertThat(Credentials.create(c.getEcKeyPair().getPrivateKey().toString(16)).getAddress()).isEqualTo(c.getAddress());
        assertThat(Devnet.address(c).toString()).isEqualTo(c.getAddress());
    }

    @Test
    void transactionsRejectNonsense() {
        Credentials c = Devnet.derive(1, "x", 0);
        assertThatThrownBy(() -> new Tx(c, null, BigInteger.ONE.negate(), "0x", 0)).hasMessageContaining("negative value");
        assertThat(new Tx(c, null, null, null, 100).value()).isZero();
        assertThat(Tx.transfer(c, Devnet.address(c), BigInteger.TEN).toString()).doesNotContain(c.getEcKeyPair().getPrivateKey().toString(16));
    }

    @Test
    void storyConfigRefusesSizesItCannotPlay() {
        var d = LaunderingStory.Config.defaults();
        assertThatThrownBy(() -> d.withBackgroundAccounts(5)).hasMessageContaining("backgroundAccounts must be >= 20");
        assertThatThrownBy(() -> d.withPeelHops(0)).hasMessageContaining("peelHops");
        assertThatThrownBy(() -> d.withNoise(0, 1, 1)).hasMessageContaining("noise");
        assertThat(d.withBlockPause(Duration.ofMillis(5)).blockPause()).isEqualTo(Duration.ofMillis(5));
    }
}
