package io.taintwatch.app.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a child process uses: CPU time (Linux /proc) and the bytes of its state directory. */
final class Sizes {
    /** Clock ticks per second of /proc/[pid]/stat on Linux (USER_HZ). */
    private static final int TICKS_PER_S = 100;

    private Sizes() {}

    /** User plus system CPU time of a process, in milliseconds. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name (which may hold spaces, in parentheses): state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_S;
        } catch (IOException e) {
            throw new UncheckedIOException("no /proc entry of process " + pid + " (Linux only)", e);
        }
    }

    /** The bytes of the regular files under a directory. */
    static long directory(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed meanwhile (RocksDB compacts)
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
