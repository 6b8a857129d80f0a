package io.taintwatch.app.retro;

import io.micrometer.core.instrument.MeterRegistry;
import io.taintwatch.model.ChainId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retro-screening beside the taint application: a chain's {@link RetroScreener} runs in the instance whose engine task
 * the chain is now, and stops there when Kafka Streams moves the task to another instance, whose screener continues
 * from the cursor on {@code retro-screenings}. Its writer's transactional id is fixed per chain, so during a handover
 * the newer screener fences the older one, which then stops without failing.
 */
public final class RetroScreeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetroScreeners.class);

    private final Supplier<Set<ChainId>> owned;
    private final Function<ChainId, RetroSettings> settings;
    private final MeterRegistry registry;
    private final Map<ChainId, RetroScreener> running = new LinkedHashMap<>();
    private final ScheduledExecutorService follower = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "taintwatch-retro-assignment");
        t.setDaemon(true);
        return t;
    });
    private volatile Throwable failure;

    private RetroScreeners(Supplier<Set<ChainId>> owned, Function<ChainId, RetroSettings> settings, MeterRegistry registry) {
        this.owned = owned;
        this.settings = settings;
        this.registry = registry;
    }

    /**
     * Follows {@code owned} (the chains whose engine task runs here) every {@code interval}, starting and stopping the
     * chains' screeners.
     */
    public static RetroScreeners start(Supplier<Set<ChainId>> owned, Function<ChainId, RetroSettings> settings, MeterRegistry registry,
                                       Duration interval) {
        RetroScreeners s = new RetroScreeners(owned, settings, registry);
        s.follower.scheduleWithFixedDelay(s::follow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    private synchronized void follow() {
        try {
            Set<ChainId> now = owned.get();
            running.entrySet().removeIf(e -> {
                RetroScreener r = e.getValue();
                if (!r.alive()) {
                    failure = r.failure();
                }
                if (now.contains(e.getKey()) && !r.stopped()) {
                    return false;
                }
                LOG.info("retro-screening for {} {}", e.getKey().name(), r.stopped() ? "ended" : "moves to the instance that runs the chain's engine");
                r.close();
                return true;
            });
            for (ChainId chain : now) {
                if (failure == null && !running.containsKey(chain)) {
                    running.put(chain, RetroScreener.start(settings.apply(chain), registry));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("retro-screening: following the engine's assignment failed: {}", e.getMessage(), e);
            failure = e;
        }
    }

    /** False once a screener failed (not when it stopped because another instance took its chain over). */
    public boolean alive() {
        return failure == null;
    }

    /** The chains whose screener runs here. */
    public synchronized Set<ChainId> chains() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public synchronized void close() {
        follower.shutdownNow();
        running.values().forEach(RetroScreener::close);
        running.clear();
    }
}
