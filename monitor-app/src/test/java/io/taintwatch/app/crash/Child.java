package io.taintwatch.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One taintwatch part ({@code taintwatch taint|alerts|ingest|run --parts ...}) in its own JVM, started through the
 * production {@link Main} with a config file, or in a container of the image ({@code podman run}), so that it can be
 * killed with SIGKILL like a crashed pod.
 */
final class Child {
    /** Exit status of a process killed by SIGKILL (128 + 9). */
    static final int SIGKILL_STATUS = 137;
    /** Children still running; a test JVM that dies takes them along. */
    private static final java.util.Set<Child> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Child::forceKill), "crash-children-reaper"));
    }

    private final String name;
    private final Path log;
    private final Process process;
    /** The container's name when the child is a {@code podman run} client; null for a JVM of the test's class path. */
    private final String container;

    private Child(String name, Path log, Process process, String container) {
        this.name = name;
        this.log = log;
        this.process = process;
        this.container = container;
    }

    /** Starts {@code taintwatch <args>} with the test's classpath; its output goes to {@code log}. */
    static Child start(String name, Path log, List<String> args) {
        return start(name, log, args, Map.of());
    }

    /** As {@link #start(String, Path, List)}, with {@code taintwatchEnv} (TAINTWATCH_* variables) in its environment. */
    static Child start(String name, Path log, List<String> args, Map<String, String> taintwatchEnv) {
        return java(name, log, Main.class.getName(), args, taintwatchEnv);
    }

    /** Any main class of the test's classpath in its own JVM (a broker, say). */
    static Child java(String name, Path log, String mainClass, List<String> args, Map<String, String> taintwatchEnv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 only and a small serial heap: the machine is small and start-up matters more than peak speed here
        cmd.addAll(List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp",
            System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return launch(name, log, new ProcessBuilder(cmd), taintwatchEnv, null);
    }

    /**
     * {@code taintwatch <args>} in a container of {@code image}: {@code podman run} with {@code options} (volumes, say), on
     * the host's network, the root file system read-only; the TAINTWATCH_* variables go by name from the client's
     * environment into the container's, never on a command line.
     */
    static Child container(String name, Path log, String image, List<String> options, List<String> args, Map<String, String> taintwatchEnv) {
        String container = "taintwatch-it-" + ProcessHandle.current().pid() + "-" + name.replaceAll("[^A-Za-z0-9_.-]", "-");
        List<String> cmd = new ArrayList<>(List.of("run", "--rm", "--name", container, "--network", "host", "--read-only"));
        cmd.addAll(options);
        for (String k : hermetic(taintwatchEnv).keySet()) {
            cmd.addAll(List.of("--env", k));
        }
        cmd.add(image);
        cmd.addAll(args);
        return launch(name, log, Podman.builder(cmd), taintwatchEnv, container);
    }

    /** What a child's TAINTWATCH_* environment holds: the variables given and the log level, nothing of the test's own. */
    private static Map<String, String> hermetic(Map<String, String> taintwatchEnv) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("TAINTWATCH_LOG_LEVEL", "INFO");
        env.putAll(taintwatchEnv);
        return env;
    }

    private static Child launch(String name, Path log, ProcessBuilder pb, Map<String, String> taintwatchEnv, String container) {
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        // hermetic: configuration comes from the file and the variables given only
        env.keySet().removeIf(k -> k.startsWith("TAINTWATCH_"));
        env.putAll(hermetic(taintwatchEnv));
        try {
            Child c = new Child(name, log, pb.start(), container);
            LIVE.add(c);
            c.process.onExit().thenRun(() -> LIVE.remove(c));
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * SIGKILL: no shutdown hook, no commit, no leave-group; asserts the process died of the signal. A container gets it
     * from {@code podman kill} (podman run does not pass SIGKILL on, and its client's death would leave the container
     * running); its client then exits with the container's status.
     */
    void kill() throws InterruptedException {
        if (container != null) {
            Podman.Result r = Podman.run("kill", "--signal", "KILL", container);
            assertThat(r.ok()).as("podman kill %s: %s", container, r.output()).isTrue();
        } else {
            process.destroyForcibly();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s (pid %d) dies on SIGKILL", name, process.pid()).isTrue();
        assertThat(process.exitValue()).as("%s was killed by SIGKILL, not stopped (log %s)", name, log).isEqualTo(SIGKILL_STATUS);
    }

    /** SIGKILL without the checks, for clean-up. */
    private void forceKill() {
        if (container != null && process.isAlive()) {
            Podman.run("kill", "--signal", "KILL", container);
        }
        process.destroyForcibly();
    }

    /** SIGTERM: the graceful stop (shutdown hook closes the parts, commits, leaves the groups). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            forceKill();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM, and the proof of a graceful stop: the process ends within the grace period, its shutdown hook done. A
     * podman run client passes the signal to the container and exits with its status.
     */
    void stopGracefully(java.time.Duration grace) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)).as("%s stops on SIGTERM within %s:%n%s", name, grace, tail()).isTrue();
        // 128 + 15: the JVM ran its shutdown hooks on SIGTERM and exited
        assertThat(process.exitValue()).as("%s exit status on SIGTERM", name).isEqualTo(143);
        assertThat(tail()).as("%s logs its clean stop", name).contains("taintwatch: stopped");
    }

    /** The first line of the output that starts with {@code prefix}, waiting for it (a child announcing where it listens). */
    String awaitLine(String prefix, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("%s exited before printing %s:%n%s", name, prefix, tail()).isTrue();
            try {
                for (String l : Files.readAllLines(log)) {
                    if (l.startsWith(prefix)) {
                        return l.substring(prefix.length());
                    }
                }
            } catch (IOException e) {
                // not written yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " printed no line starting with " + prefix + " within " + timeout + ":\n" + tail());
    }

    /** The last lines of the log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return name + " (" + log + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return name + ": log " + log + " unreadable: " + e.getMessage();
        }
    }
}
