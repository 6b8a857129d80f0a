package io.taintwatch.app.cli;

import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.app.run.Pipeline;
import io.taintwatch.app.run.Pipeline.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taintwatch run}: the production pipeline against external Kafka and RPC endpoints, all parts in
 * one process or the ones named with {@code --parts}. Runs until SIGTERM/Ctrl-C, then shuts down gracefully.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs ingest, taint and alerts against external Kafka and RPC endpoints (docs/configuration.md).",
        "Topics are created if missing or verified if present. Stops gracefully on SIGTERM/Ctrl-C."})
public class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "Configuration file (YAML or .properties); environment variables TAINTWATCH_* override it.")
    Path config;

    @Option(names = "--parts", split = ",", description = "Parts to run: ingest, taint, alerts (default: all).")
    Set<String> parts;

    protected Set<Part> parts() {
        if (parts == null || parts.isEmpty()) {
            return EnumSet.allOf(Part.class);
        }
        EnumSet<Part> out = EnumSet.noneOf(Part.class);
        for (String p : parts) {
            try {
                out.add(Part.valueOf(p.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserException("--parts: unknown part '" + p + "' (expected ingest, taint, alerts)");
            }
        }
        return out;
    }

    /** For the single-part commands: {@code --parts} would contradict the command's name. */
    protected Set<Part> only(Part part) {
        if (parts != null && !parts.isEmpty()) {
            throw new UserException("--parts belongs to 'taintwatch run'; '" + part.name().toLowerCase(Locale.ROOT) + "' runs only that part");
        }
        return EnumSet.of(part);
    }

    @Override
    public Integer call() throws Exception {
        if (config != null && !Files.isReadable(config)) {
            throw new UserException("config file " + config + " is missing or unreadable");
        }
        Set<Part> parts = parts();
        PipelineConfig c = new PipelineConfig(TaintwatchConfig.load(config, System.getenv(), Map.of()));
        CountDownLatch stop = new CountDownLatch(1);
        Pipeline rt = Pipeline.start(c, parts);
        Thread hook = new Thread(() -> {
            rt.close();
            System.err.println("taintwatch: stopped " + parts);
            stop.countDown();
        }, "taintwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("taintwatch: running " + parts + "; Ctrl-C to stop");
        while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            if (!rt.alive()) {
                System.err.println("taintwatch: a part stopped (see the log above); shutting down");
                return 1;
            }
        }
        return 0;
    }

    /** {@code taintwatch ingest}: only the ingest part. */
    @Command(name = "ingest", mixinStandardHelpOptions = true, description = "Runs only the ingest workers (RPC -> blocks.<chain>).")
    public static final class Ingest extends RunCommand {
        @Override
        protected Set<Part> parts() {
            return only(Part.INGEST);
        }
    }

    /** {@code taintwatch taint}: only the taint engines. */
    @Command(name = "taint", mixinStandardHelpOptions = true, description = "Runs only the taint engines (blocks -> taint-flows).")
    public static final class Taint extends RunCommand {
        @Override
        protected Set<Part> parts() {
            return only(Part.TAINT);
        }
    }

    /** {@code taintwatch alerts}: only the alert service, webhooks and API. */
    @Command(name = "alerts", mixinStandardHelpOptions = true, description = "Runs only the alert service, webhooks and HTTP API.")
    public static final class Alerts extends RunCommand {
        @Override
        protected Set<Part> parts() {
            return only(Part.ALERTS);
        }
    }
}
