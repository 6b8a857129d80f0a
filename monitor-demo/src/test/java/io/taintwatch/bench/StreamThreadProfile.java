package io.taintwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a Kafka Streams application's stream thread spends a stretch of wall time, for {@link SimpleChainThroughputMain}:
 * the thread's own CPU time against the wall clock, every thread's CPU of the process (from {@code /proc}, so compiler, GC
 * and broker threads count), and a histogram of the thread's stack sampled every millisecond, cut to the frames that say
 * what it is doing (waiting in the consumer's poll, on a commit, or in our code). Stack samples are taken at safepoints,
 * so they attribute time to the right call but not always to the exact line.
 */
final class StreamThreadProfile {
    private final Thread target;
    private final long wall0 = System.nanoTime();
    private final long cpu0;
    private final Map<String, Long> tasks0 = taskTicks();
    private final Map<String, Integer> stacks = new HashMap<>();
    private final Thread sampler;
    private volatile boolean sampling = true;

    /** Starts profiling the live thread whose name starts with {@code prefix} and ends with {@code -StreamThread-1}. */
    StreamThreadProfile(String prefix) {
        Thread found = null;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.getName().endsWith("-StreamThread-1")) {
                found = t;
            }
        }
        if (found == null) {
            throw new IllegalStateException("no stream thread named " + prefix + "...-StreamThread-1");
        }
        target = found;
        cpu0 = ManagementFactory.getThreadMXBean().getThreadCpuTime(target.threadId());
        // -Dbench.stacks=false: CPU accounting only (sampling a stack is a handshake with the stream thread, ~1 kHz of them)
        sampler = new Thread(this::sample, "stream-thread-profile");
        sampler.setDaemon(true);
        if (!"false".equals(System.getProperty("bench.stacks"))) {
            sampler.start();
        }
    }

    private void sample() {
        while (sampling) {
            String key = activity(target.getStackTrace(), target.getState());
            synchronized (stacks) {
                stacks.merge(key, 1, Integer::sum);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Inside the consumer's poll: the innermost frames (socket read, decompression, waiting); elsewhere: our and Streams' frames. */
    private static String activity(StackTraceElement[] st, Thread.State state) {
        StringBuilder b = new StringBuilder();
        boolean inPoll = false;
        for (StackTraceElement e : st) {
            inPoll |= e.getClassName().endsWith(".KafkaConsumer") && e.getMethodName().equals("poll");
        }
        if (inPoll) {
            b.append("consumer poll: ");
            for (int i = 0; i < Math.min(2, st.length); i++) {
                b.append(i > 0 ? " < " : "").append(name(st[i]));
            }
            return b.toString();
        }
        b.append(state).append(' ');
        int n = 0;
        for (StackTraceElement e : st) {
            String c = e.getClassName();
            if (c.startsWith("io.taintwatch") || c.startsWith("org.apache.kafka.streams.processor.internals.")
                || c.equals("org.apache.kafka.clients.producer.KafkaProducer")) {
                b.append(n > 0 ? " < " : "").append(name(e));
                if (++n == 3) {
                    break;
                }
            }
        }
        return b.toString();
    }

    private static String name(StackTraceElement e) {
        return e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName();
    }

    /** Stops and prints what was seen since the start; returns the stream thread's CPU time in that window, in seconds. */
    double report(PrintStream log) throws InterruptedException {
        double wall = (System.nanoTime() - wall0) / 1e9;
        long cpu = ManagementFactory.getThreadMXBean().getThreadCpuTime(target.threadId()) - cpu0;
        sampling = false;
        sampler.join();
        Map<String, Long> used = new TreeMap<>();
        taskTicks().forEach((k, v) -> used.merge(k.replaceAll("[0-9]+$", "N"), v - tasks0.getOrDefault(k, 0L), Long::sum));
        log.printf("bench: stream thread on CPU %.0f%% of the wall time; CPU of the process by thread (cores): %s%n", cpu / 1e9 / wall * 100,
            used.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 100.0 / wall)).toList());
        int total;
        synchronized (stacks) {
            total = Math.max(1, stacks.values().stream().mapToInt(Integer::intValue).sum());
            stacks.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(16)
                .forEach(e -> log.printf("bench:   %4.1f%% %s%n", 100.0 * e.getValue() / total, e.getKey()));
        }
        return cpu / 1e9;
    }

    /** CPU ticks (1/100 s) of each thread of this process by /proc name and id: compiler, GC and native threads included. */
    private static Map<String, Long> taskTicks() {
        Map<String, Long> m = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    m.merge(name + "#" + t.getFileName(), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
