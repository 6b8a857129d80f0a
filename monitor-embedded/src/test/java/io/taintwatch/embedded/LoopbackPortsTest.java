package io.taintwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;

class LoopbackPortsTest {
    /**
     * The broker's two listeners once got the same port (the second free port was the first one, just released). Taken
     * and released one at a time, 64 ports held a repeat in 1, 3 and 5 of 20 repetitions in three tries on this machine,
     * so these 20 would fail that way; held together they never repeat.
     */
    @RepeatedTest(20)
    void portsTakenTogetherAreDistinct() {
        int[] ports = LoopbackPorts.free(64);
        assertThat(ports).hasSize(64).doesNotHaveDuplicates();
        assertThat(java.util.Arrays.stream(ports).min().getAsInt()).isPositive();
    }
}
