package io.taintwatch.app;

import io.taintwatch.app.cli.TaintwatchCommand;
import picocli.CommandLine;

/** The {@code taintwatch} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(TaintwatchCommand.commandLine().execute(args));
    }
}
