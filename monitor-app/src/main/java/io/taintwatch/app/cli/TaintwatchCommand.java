package io.taintwatch.app.cli;

import io.taintwatch.app.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root command. Errors a person can fix (bad flags, unreadable files, unreachable brokers or nodes)
 * print one line and exit 2 (user error) or 1 (runtime failure); a stack trace only with --verbose.
 */
@Command(name = "taintwatch", mixinStandardHelpOptions = true, version = "taintwatch 0.1.0",
    description = "Follows stolen and sanctioned funds on EVM chains, hop by hop, as blocks arrive.",
    subcommands = {})
public final class TaintwatchCommand implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TaintwatchCommand());
        // the built-in commands, and the demo and the benchmarks where their module is on the class path (the repository's
        // ./taintwatch; not the production image), listed in the help by their order
        java.util.List<java.util.Map.Entry<Integer, Object>> commands = new java.util.ArrayList<>(java.util.List.of(
            java.util.Map.entry(10, new RunCommand()), java.util.Map.entry(11, new RunCommand.Ingest()), java.util.Map.entry(12, new RunCommand.Taint()),
            java.util.Map.entry(13, new RunCommand.Alerts()), java.util.Map.entry(20, new ReplayCommand()), java.util.Map.entry(21, new RetroCommand()),
            java.util.Map.entry(30, new LabelsCommand()), java.util.Map.entry(34, new TokensCommand()), java.util.Map.entry(31, new TopicCommand()), java.util.Map.entry(32, new ConfigCommand()), java.util.Map.entry(33, new WebhooksCommand()),
            java.util.Map.entry(1000, new CommandLine.HelpCommand())));
        java.util.ServiceLoader.load(CommandExtension.class).forEach(e -> commands.add(java.util.Map.entry(e.order(), e)));
        commands.stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> cl.addSubcommand(e.getValue()));
        // a bad flag: one line naming it, exit 2 (user error), not the whole usage text
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("taintwatch: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.println("taintwatch: " + oneLine(ex));
            err.flush();
            return ex instanceof ConfigException || ex instanceof UserException ? 2 : 1;
        });
        return cl;
    }

    static String oneLine(Throwable t) {
        String msg = t.getMessage();
        Throwable c = t;
        while ((msg == null || msg.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            msg = c.getMessage();
        }
        return msg == null ? t.getClass().getSimpleName() : msg.replace('\n', ' ');
    }
}
