package io.taintwatch.app.cli;

import io.taintwatch.app.config.ConfigDocs;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.kafka.TopicAdmin;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code taintwatch config}: the configuration reference, a check of a file, and creating the pipeline's topics. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Checks a configuration, prints the reference, creates the topics.",
    subcommands = {ConfigCommand.Docs.class, ConfigCommand.Check.class, ConfigCommand.Topics.class})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "docs", mixinStandardHelpOptions = true, description = "Prints every configuration key with its type, default and meaning "
        + "(Markdown: docs/configuration.md is this output).")
    static final class Docs implements Callable<Integer> {
        PrintStream out = System.out;

        @Override
        public Integer call() {
            out.print(ConfigDocs.markdown());
            out.flush();
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
        description = "Reads the configuration (file and TAINTWATCH_* environment) as 'run' would, checks every key and value and what each "
            + "part builds from it, and prints a summary (secrets are never printed). Starts nothing; exit 2 on a problem.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Mixin
        KafkaOptions kafka;

        PrintStream out = System.out;

        @Override
        public Integer call() {
            PipelineConfig c = kafka.load();
            // what each part builds: the same calls as the pipeline's start, so whatever they refuse is refused here
            var topics = c.topics();
            var chains = c.chainIds();
            c.taint();
            c.alerts();
            chains.forEach(c::retro);
            out.println("configuration ok: kafka " + c.kafka().bootstrapServers() + " (" + c.kafka().settings().size() + " client settings), chains "
                + chains.stream().map(ch -> ch.name() + " (" + ch.id() + (ch.kind() == io.taintwatch.model.ChainKind.EVM ? "" : ", " + ch.kind().label())
                    + ")").toList() + ", taint policy " + c.taint().policy().label()
                + ", webhooks " + c.raw().webhookNames() + ", " + topics.specs(chains).size() + " topics");
            try {
                c.ingestChains();
                c.tronIngestChains();
            } catch (io.taintwatch.app.config.ConfigException e) {
                out.println("note: the ingest part cannot start with this configuration: " + e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates the pipeline's topics that are missing and verifies those present (what every part does before it starts), "
            + "then lists them: run it once with an administrator's client settings where the parts may not create topics.")
    static final class Topics implements Callable<Integer> {
        @CommandLine.Mixin
        KafkaOptions kafka;

        PrintStream out = System.out;

        @Override
        public Integer call() {
            PipelineConfig c = kafka.load();
            var chains = c.chainIds();
            c.topics().ensure(c.kafka(), chains);
            for (TopicAdmin.Spec s : c.topics().specs(chains)) {
                out.println(s.name() + "\t" + s.partitions() + (s.exactPartitions() ? " (exactly)" : "") + "\t" + s.configs());
            }
            return 0;
        }
    }
}
