package io.taintwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnvilTest {
    private static final Path BIN = Path.of("/opt/anvil");

    @Test
    void blockTimeIsPassedInSecondsWithMillisecondPrecision() {
        assertThat(Anvil.builder().blockTime(Duration.ofMillis(500)).command(BIN)).containsSequence("--block-time", "0.5");
        assertThat(Anvil.builder().blockTime(Duration.ofSeconds(2)).command(BIN)).containsSequence("--block-time", "2");
    }

    @Test
    void defaultsListenOnAFreeLoopbackPortAndAutoMine() {
        assertThat(Anvil.builder().command(BIN)).containsSequence("--host", "127.0.0.1", "--port", "0")
                .doesNotContain("--block-time", "--no-mining", "--steps-tracing");
        assertThat(Anvil.builder().noMining().stepsTracing(true).accounts(50).command(BIN))
                .contains("--no-mining", "--steps-tracing").containsSequence("--accounts", "50");
    }

    @Test
    void rejectsNonsenseOptions() {
        assertThatThrownBy(() -> Anvil.builder().accounts(0)).hasMessageContaining("accounts");
        assertThatThrownBy(() -> Anvil.builder().blockTime(Duration.ZERO)).hasMessageContaining("block time");
    }

    @Test
    void withoutNpmTheErrorSaysWhatToInstall(@TempDir Path dir) {
        assertThatThrownBy(() -> Anvil.install(dir.resolve("anvil"), "1.7.1", dir.resolve("no-such-npm").toString()))
                .isInstanceOf(Anvil.AnvilException.class)
                .hasMessageContaining("anvil needs Node.js and npm: install them (apt-get install nodejs npm) or set TAINTWATCH_ANVIL=/path/to/anvil");
    }

    @Test
    void anInstalledBinaryIsFoundWithoutNpm(@TempDir Path dir) throws Exception {
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
        Path bin = dir.resolve("node_modules/@foundry-rs/anvil-linux-" + arch + "/bin/anvil");
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, "#!/bin/sh\n");
        assertThat(Anvil.install(dir, "1.7.1", dir.resolve("no-such-npm").toString())).isEqualTo(bin);
        assertThat(Files.isExecutable(bin)).isTrue();
    }

    @Test
    void theVersionIsPinned() {
        assertThat(Anvil.pinnedVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }
}
