package io.taintwatch.topology;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Where the stream thread's wall time goes while it processes blocks, by section, when {@code taint.section-times}
 * is on (off by default; on, it costs about nine clock reads per block). Measured in place, because neither profiles (JFR's samples)
 * nor runs with work taken away agreed on it (docs/BENCHMARKS.md). The sections add up to the stream thread's wall
 * time from the first block on: {@code decode} (the blocks deserializer: {@code BlockCodec.scan}), {@code probe}
 * (the legs' addresses against the engine's index), {@code engine} (processing or passing over the block),
 * {@code persist} (the changed holdings to {@code taint-accounts}), {@code state} (position and ledgers to
 * {@code taint-meta}), {@code flows} (sending them), {@code other} (the rest of the block: metrics, logging
 * context), and {@code outside}: everything between two blocks but decoding (the consumer, Kafka Streams, commits,
 * waiting for fetches, other topics' records).
 *
 * <p>One writer (the task's stream thread; {@code lazySet} of its own sum), read by the metrics scraper.
 */
final class SectionTimes {
    static final String METER = "taintwatch.taint.section.seconds";
    static final String METER_DESC = "Wall time of the taint topology's stream thread by section (only with taint.section-times on)";

    enum Section {
        DECODE, PROBE, ENGINE, PERSIST, STATE, FLOWS, OTHER, OUTSIDE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    // BETWEEN: from the end of one block to the start of the next, decoding included; OUTSIDE is that less DECODE
    private static final int BETWEEN = Section.OUTSIDE.ordinal();

    private final boolean enabled;
    private final LongSupplier clock;
    private final AtomicLongArray nanos = new AtomicLongArray(Section.values().length);
    private long lastExit;

    SectionTimes(boolean enabled) {
        this(enabled, System::nanoTime);
    }

    /** With the clock in nanoseconds (tests). */
    SectionTimes(boolean enabled, LongSupplier clock) {
        this.enabled = enabled;
        this.clock = clock;
    }

    /** The clock at the start of a section (0 when off: no clock read). */
    long start() {
        return enabled ? clock.getAsLong() : 0;
    }

    /** Charges the time since {@code since} to {@code s}; returns the clock, the start of the next section. */
    long lap(Section s, long since) {
        if (!enabled) {
            return 0;
        }
        long now = clock.getAsLong();
        add(s.ordinal(), now - since);
        return now;
    }

    /** A (re)started processor: the time until its first block (restoring, joining) is not charged to any section. */
    void restart() {
        lastExit = 0;
    }

    /** At the start of a block: the time since the previous block ended goes to {@code outside} (and decode). */
    long enterBlock() {
        if (!enabled) {
            return 0;
        }
        long now = clock.getAsLong();
        if (lastExit != 0) {
            add(BETWEEN, now - lastExit);
        }
        return now;
    }

    /** At the end of a block: the time since {@code since} goes to {@code other}. */
    void exitBlock(long since) {
        if (enabled) {
            lastExit = clock.getAsLong();
            add(Section.OTHER.ordinal(), lastExit - since);
        }
    }

    private void add(int i, long d) {
        nanos.lazySet(i, nanos.get(i) + d);
    }

    /** Seconds charged to {@code s} so far. */
    double seconds(Section s) {
        long n = nanos.get(s.ordinal());
        if (s == Section.OUTSIDE) {
            n -= nanos.get(Section.DECODE.ordinal());
        }
        return n / 1e9;
    }

    /** Registers one counter per section (nothing when off); the meters to remove on close. */
    List<Meter> register(MeterRegistry registry, Tags tags) {
        List<Meter> meters = new ArrayList<>();
        if (enabled) {
            for (Section s : Section.values()) {
                meters.add(FunctionCounter.builder(METER, this, t -> t.seconds(s)).description(METER_DESC).baseUnit("seconds")
                    .tags(tags.and("section", s.label())).register(registry));
            }
        }
        return meters;
    }
}
