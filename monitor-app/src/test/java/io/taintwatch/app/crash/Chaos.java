package io.taintwatch.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;

/**
 * Kills child processes with SIGKILL at seeded random points of their progress and restarts them, some on a wiped
 * state directory. A kill point is "after the victim's output topic grew by N records since its (re)start", so every
 * kill lands while it is working; the seed fixes N, the jitter and which restarts lose their state.
 */
final class Chaos {
    /**
     * One planned kill: after {@code advance} more output records since the (re)start, plus {@code jitterMs}; then
     * restart, on a wiped state dir if {@code wipe}. The test keeps feeding input until every plan is done, so every
     * planned kill happens while the victim still has work (a restart re-emits what the kill aborted, so the output
     * only grows).
     */
    record Kill(long advance, long jitterMs, boolean wipe) {
    }

    /** A component under test: how to (re)start it, how to see its progress, its consumer groups and its state directory. */
    static final class Victim {
        final String name;
        final IntFunction<Child> launcher;
        final LongSupplier progress;
        final List<String> groups;
        final Path stateDir;
        final Deque<Kill> plan;
        final List<String> history = new ArrayList<>();
        Child child;
        long atLaunch;
        long launchedAt;
        int launches;
        int kills;
        int wipes;

        Victim(String name, IntFunction<Child> launcher, LongSupplier progress, List<String> groups, Path stateDir, List<Kill> plan) {
            this.name = name;
            this.launcher = launcher;
            this.progress = progress;
            this.groups = groups;
            this.stateDir = stateDir;
            this.plan = new ArrayDeque<>(plan);
        }

        void launch() {
            child = launcher.apply(launches++);
            atLaunch = progress.getAsLong();
            launchedAt = System.nanoTime();
        }
    }

    private final long seed;
    private final SplittableRandom random;
    private final Admin admin;
    private final List<Victim> victims = new ArrayList<>();

    Chaos(long seed, Admin admin) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.admin = admin;
    }

    /** The seed of a run: {@code -Dtaintwatch.crash.seed=N} reproduces one (kill points; not the OS's scheduling). */
    static long seed() {
        String s = System.getProperty("taintwatch.crash.seed", System.getenv("TAINTWATCH_CRASH_SEED"));
        return s == null || s.isBlank() ? System.nanoTime() : Long.parseLong(s.strip());
    }

    long seedValue() {
        return seed;
    }

    /**
     * Plans {@code kills} kills of a component, each after 1..{@code maxAdvance} more output records (the test must
     * keep its input coming until {@link #run} returns, or the last kills may never come: a restart can catch up a
     * whole backlog in one transaction); exactly one of them restarts on a wiped state directory (the changelog
     * restore), when {@code stateDir} is given.
     */
    Victim victim(String name, IntFunction<Child> launcher, LongSupplier progress, List<String> groups, Path stateDir, int kills,
                  long maxAdvance) {
        int wiped = stateDir == null ? -1 : random.nextInt(kills);
        List<Kill> plan = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            plan.add(new Kill(1 + random.nextLong(maxAdvance), random.nextLong(400), i == wiped));
        }
        Victim v = new Victim(name, launcher, progress, groups, stateDir, plan);
        victims.add(v);
        return v;
    }

    List<Victim> victims() {
        return victims;
    }

    void launchAll() {
        victims.forEach(Victim::launch);
    }

    /** Runs every plan to its end: polls progress, kills at the planned points, restarts; fails if a victim exits by itself. */
    void run(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (victims.stream().anyMatch(v -> !v.plan.isEmpty())) {
            for (Victim v : victims) {
                assertThat(v.child.alive()).as("%s exited by itself (seed %d):\n%s", v.name, seed, v.child.tail()).isTrue();
                Kill next = v.plan.peek();
                if (next != null && v.progress.getAsLong() - v.atLaunch >= next.advance()) {
                    Thread.sleep(next.jitterMs());
                    killAndRestart(v, v.plan.poll());
                }
            }
            assertThat(System.nanoTime()).as("kill plans not done in %s (seed %d): %s", timeout, seed, status()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void killAndRestart(Victim v, Kill k) throws InterruptedException {
        long at = v.progress.getAsLong();
        long pid = v.child.pid();
        v.child.kill();
        v.kills++;
        if (k.wipe()) {
            wipe(v.stateDir);
            v.wipes++;
        }
        // the failure detector's job, done at once: a SIGKILLed member never leaves its groups, and the next instance
        // would otherwise wait out the session timeout (45 s by default) before it gets the partitions
        for (String g : v.groups) {
            evict(g);
        }
        String line = String.format("crash: killed %s (pid %d) %d ms after start %d, at output %d (+%d; planned +%d)%s", v.name, pid,
            (System.nanoTime() - v.launchedAt) / 1_000_000, v.launches, at, at - v.atLaunch, k.advance(), k.wipe() ? ", state dir wiped" : "");
        v.history.add(line);
        System.out.println(line);
        v.launch();
    }

    private void evict(String group) throws InterruptedException {
        try {
            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions()).all().get();
        } catch (ExecutionException e) {
            // no members (it had not joined yet) or no group: nothing to evict
            System.out.println("crash: evicting group " + group + ": " + e.getCause().getMessage());
        }
    }

    static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot wipe " + dir, e);
        }
        assertThat(dir).doesNotExist();
    }

    String status() {
        StringBuilder sb = new StringBuilder();
        for (Victim v : victims) {
            sb.append(String.format("%n  %s: %d kills (%d wiped), %d planned left, output %d (%d at last start)", v.name, v.kills, v.wipes,
                v.plan.size(), v.progress.getAsLong(), v.atLaunch));
        }
        return sb.toString();
    }
}
