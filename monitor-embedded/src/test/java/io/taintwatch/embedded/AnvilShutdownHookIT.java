package io.taintwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM that exits without closing its anvil still leaves no anvil behind: the shutdown hook kills it. */
class AnvilShutdownHookIT {
    @Test
    void exitingTheJvmKillsItsAnvil() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AnvilExitProbe.class.getName())
                .redirectErrorStream(true).start();
        long pid = -1;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("ANVIL_PID=")) {
                    pid = Long.parseLong(line.substring("ANVIL_PID=".length()).strip());
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM exits").isTrue();
        assertThat(pid).as("child output:\n%s", out).isPositive();
        // the hook waited for anvil to exit before the JVM did
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (alive) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // leave nothing behind even when failing
        }
        assertThat(alive).as("anvil pid %s alive after its JVM exited", pid).isFalse();
    }
}
