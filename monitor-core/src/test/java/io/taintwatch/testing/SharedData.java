package io.taintwatch.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real public data in {@code ../shared/data} beside the repository (never copied into it).
 * Override with {@code -Dtaintwatch.shared.data=DIR}. A missing file fails the test with a clear message.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String prop = System.getProperty("taintwatch.shared.data");
        if (prop != null) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("monitor-core"))) {
                return dir.resolveSibling("shared").resolve("data");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }

    /** The file at {@code relative} under the shared data folder; fails clearly when it is missing. */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("shared test data is missing: " + p
                + " (expected ../shared/data beside the repository; see ../shared/data/PROVENANCE.md,"
                + " or set -Dtaintwatch.shared.data)");
        }
        return p;
    }
}
