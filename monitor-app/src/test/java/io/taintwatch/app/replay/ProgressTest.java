package io.taintwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static Block block(long n) {
        return new Block(ChainId.ETHEREUM, n, Hash32.ZERO, Hash32.ZERO, 0, List.of(), null);
    }

    @Test
    void showsRateAndEtaFromTheClockItIsGiven() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Long> seen = new ArrayList<>();
        Progress p = new Progress(b -> seen.add(b.number()), new PrintStream(buf, true, StandardCharsets.UTF_8), OptionalLong.of(100),
            now::get);
        now.set(5_000_000_000L); // time spent before the first block (reading files) does not count
        for (long n = 1; n <= 20; n++) {
            p.accept(block(n));
            now.addAndGet(100_000_000L); // 10 blocks per second
        }
        p.finish();
        assertThat(seen).hasSize(20);
        String out = buf.toString(StandardCharsets.UTF_8);
        // redrawn every half second (5 blocks), then the final line: 20 of 100 at 10/s leaves 8 s
        assertThat(out.split("\r", -1)).hasSize(1 + 3 + 1);
        assertThat(out).endsWith("\rreplay: block 20, 20/100 blocks (20%), 0 legs, 10 blocks/s, ETA 0:08   \n");
    }

    @Test
    void withoutATotalThereIsNoEta() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(b -> { }, new PrintStream(buf, true, StandardCharsets.UTF_8), OptionalLong.empty(), now::get);
        p.accept(block(7));
        now.addAndGet(1_000_000_000L);
        p.finish();
        assertThat(buf.toString(StandardCharsets.UTF_8)).endsWith("replay: block 7, 1 blocks, 0 legs, 1 blocks/s   \n").doesNotContain("ETA");
    }
}
