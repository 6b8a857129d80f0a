package io.taintwatch.app.cli;

/**
 * A picocli command another module adds to {@code taintwatch} (the demo and the benchmarks, which the production artifact
 * does not carry), found with {@link java.util.ServiceLoader}: the implementation is an {@code @Command} class with a
 * public no-argument constructor, listed in {@code META-INF/services/io.taintwatch.app.cli.CommandExtension}.
 */
public interface CommandExtension {
    /** Where the command is listed in the help: lower first. */
    default int order() {
        return 100;
    }
}
