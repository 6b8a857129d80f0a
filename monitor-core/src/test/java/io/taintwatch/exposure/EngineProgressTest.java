package io.taintwatch.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EngineProgressTest {
    /** Two values the writer changes together, one after the other, as a block's records are written. */
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong second = new AtomicLong();

    @Test
    void aReadNeverSeesHalfOfABlock() throws Exception {
        EngineProgress progress = new EngineProgress();
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (long i = 1; i <= 200_000; i++) {
                progress.beginBlock();
                first.set(i);
                Thread.onSpinWait();
                second.set(i);
                progress.endBlock();
            }
            done.set(true);
        });
        long reads = 0;
        while (!done.get()) {
            long[] pair = progress.read(() -> new long[] {first.get(), second.get()});
            assertThat(pair[0]).isEqualTo(pair[1]);
            reads++;
        }
        writer.join();
        assertThat(reads).isPositive();
    }

    @Test
    void aTaskThatStartsAfterAPredecessorStoppedMidBlockLetsReadsThrough() {
        EngineProgress progress = new EngineProgress();
        progress.beginBlock();
        // the predecessor died here; the next task's processor starts with endBlock
        progress.endBlock();
        assertThat(progress.read(() -> "read")).isEqualTo("read");
    }

    @Test
    void theReferenceVersionChangesWithTheSeeds() {
        EngineProgress progress = new EngineProgress();
        long before = progress.referenceVersion();
        progress.referenceChanged();
        assertThat(progress.referenceVersion()).isNotEqualTo(before);
    }
}
