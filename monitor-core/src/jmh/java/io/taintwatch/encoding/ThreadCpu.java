package io.taintwatch.encoding;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Secondary JMH result {@code perCpuSecond}: items per second of the benchmark thread's own CPU time.
 * On a machine shared with other busy processes the primary (wall-clock) score measures the share of a
 * core the benchmark got; this one measures the code. A benchmark takes this state as a parameter and
 * calls {@link #add} with the items of each invocation.
 *
 * <p>JMH divides an OPERATIONS counter by the iteration's wall time (and averages iterations, with an
 * error bar), so the counter holds items scaled by wall/CPU time: the reported rate is items per CPU second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ThreadCpu {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private long cpuStart;
    private long wallStart;
    private long items;
    /** Items scaled by wall time / thread CPU time of the iteration (set when the iteration ends). */
    public long perCpuSecond;

    @Setup(Level.Iteration)
    public void begin() {
        items = 0;
        wallStart = System.nanoTime();
        cpuStart = MX.getCurrentThreadCpuTime();
    }

    public void add(int n) {
        items += n;
    }

    @TearDown(Level.Iteration)
    public void end() {
        long cpu = MX.getCurrentThreadCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        perCpuSecond = cpu <= 0 ? 0 : (long) ((double) items * wall / cpu);
    }
}
