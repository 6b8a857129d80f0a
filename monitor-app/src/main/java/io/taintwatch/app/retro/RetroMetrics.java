package io.taintwatch.app.retro;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.taintwatch.model.ChainId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Retro-screening meters of one chain: screenings per state transition, and the progress of the one running. */
public final class RetroMetrics implements AutoCloseable {
    public static final String SCREENINGS = "taintwatch.retro.screenings";
    public static final String SCREENINGS_DESC = "Retro-screenings that entered a state (offered, running, done, failed)";
    public static final String PROGRESS = "taintwatch.retro.screening.progress.blocks";
    public static final String PROGRESS_DESC = "Blocks replayed so far by the retro-screening that is running (0 when none)";
    public static final String RANGE = "taintwatch.retro.screening.range.blocks";
    public static final String RANGE_DESC = "Blocks in the range of the retro-screening that is running (0 when none)";

    private final MeterRegistry registry;
    private final Map<Screening.State, Counter> counters = new EnumMap<>(Screening.State.class);
    private final List<Meter> meters = new ArrayList<>();
    private final AtomicLong progress = new AtomicLong();
    private final AtomicLong range = new AtomicLong();

    public RetroMetrics(MeterRegistry registry, ChainId chain) {
        this.registry = registry;
        for (Screening.State s : Screening.State.values()) {
            Counter c = Counter.builder(SCREENINGS).description(SCREENINGS_DESC).tag("chain", chain.name()).tag("state", s.label()).register(registry);
            counters.put(s, c);
            meters.add(c);
        }
        meters.add(Gauge.builder(PROGRESS, progress, AtomicLong::get).description(PROGRESS_DESC).tag("chain", chain.name()).register(registry));
        meters.add(Gauge.builder(RANGE, range, AtomicLong::get).description(RANGE_DESC).tag("chain", chain.name()).register(registry));
    }

    public void entered(Screening.State s) {
        counters.get(s).increment();
    }

    public void started(Screening s) {
        progress.set(0);
        range.set(s.toBlock() - s.fromBlock() + 1);
    }

    public void block() {
        progress.incrementAndGet();
    }

    public void finished() {
        progress.set(0);
        range.set(0);
    }

    public double count(Screening.State s) {
        return counters.get(s).count();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
