package io.taintwatch.bench;

import io.taintwatch.app.cli.UserException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.app.replay.Cli;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code taintwatch bench} options: rates, durations and sizes are parsed or refused with one clear line. */
class BenchCommandTest {
    @Test
    void ratesAreMultiplesOfMainnetOrLegsPerSecond() {
        assertThat(BenchCommand.parseRate("10x")).isEqualTo(600.0);
        assertThat(BenchCommand.parseRate("1X")).isEqualTo(60.0);
        assertThat(BenchCommand.parseRate("2500")).isEqualTo(2500.0);
        for (String bad : new String[] {"fast", "0x", "-5", "x", "NaNx"}) {
            assertThatThrownBy(() -> BenchCommand.parseRate(bad)).isInstanceOf(UserException.class).hasMessageContaining("--rate '" + bad + "'");
        }
    }

    @Test
    void durationsTakeSecondsMinutesHoursOrIso() {
        assertThat(BenchCommand.parseDuration("--soak", "10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(BenchCommand.parseDuration("--soak", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchCommand.parseDuration("--soak", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(BenchCommand.parseDuration("--soak", "PT2M")).isEqualTo(Duration.ofMinutes(2));
        for (String bad : new String[] {"ten", "0s", "5d", "m", ""}) {
            assertThatThrownBy(() -> BenchCommand.parseDuration("--soak", bad)).isInstanceOf(UserException.class).hasMessageContaining("--soak");
        }
    }

    @Test
    void badOptionsExitWithOneLine() {
        Cli r = Cli.run("bench", "--soak", "soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("taintwatch: ").contains("--soak 'soon'").hasLineCount(1);
        Cli b = Cli.run("bench", "--blocks", "3");
        assertThat(b.exit()).isEqualTo(2);
        assertThat(b.err().strip()).contains("--blocks must be at least 10");
    }
}
