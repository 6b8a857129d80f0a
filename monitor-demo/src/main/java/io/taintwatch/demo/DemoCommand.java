package io.taintwatch.demo;

import io.taintwatch.app.cli.CommandExtension;
import io.taintwatch.app.cli.UserException;
import io.taintwatch.embedded.devnet.LaunderingStory;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taintwatch demo}: the whole pipeline, embedded, on a scripted theft; exit 0 only if it caught everything. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs an in-process Kafka broker, an anvil devnet and ingest -> taint -> alerts live, while a scripted",
        "theft is laundered through fresh addresses, a DEX, a mixer, a bridge and an exchange amid background traffic.",
        "Prints alerts as they fire and a summary checked against the story's ground truth (exit 1 if anything was missed",
        "or a bystander flagged). Needs Node.js/npm once, to install anvil into ~/.cache/taintwatch."})
public final class DemoCommand implements Callable<Integer>, CommandExtension {
    @Option(names = "--background-accounts", defaultValue = "300", description = "Ordinary accounts making background traffic (default: ${DEFAULT-VALUE}).")
    int backgroundAccounts;

    @Option(names = "--seed", defaultValue = "20220329", description = "Random seed of the story (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--block-pause-ms", defaultValue = "150", description = "Pause after each story block, to watch it live (default: ${DEFAULT-VALUE}).")
    long blockPauseMs;

    @Option(names = "--api-port", defaultValue = "0", description = "Port of the alert API (0 = any free port).")
    int apiPort;

    @Option(names = "--metrics-port", defaultValue = "0", description = "Port of /metrics (0 = any free port).")
    int metricsPort;

    @Option(names = "--stay", description = "After the summary, keep the pipeline and the analyst console up until Ctrl-C.")
    boolean stay;

    @Override
    public int order() {
        return 0;
    }

    @Override
    public Integer call() throws Exception {
        if (backgroundAccounts < 20) {
            throw new UserException("--background-accounts must be at least 20");
        }
        LaunderingStory.Config story = LaunderingStory.Config.defaults().withSeed(seed).withBackgroundAccounts(backgroundAccounts);
        DemoRunner.Options o = new DemoRunner.Options(story, apiPort, metricsPort, System.out, Duration.ofMillis(blockPauseMs), stay, null);
        return new DemoRunner(o).run().passed() ? 0 : 1;
    }
}
