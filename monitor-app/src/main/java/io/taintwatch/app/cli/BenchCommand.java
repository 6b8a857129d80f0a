package io.taintwatch.app.cli;

import io.taintwatch.app.bench.PipelineBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taintwatch bench}: raw Kafka rates vs the taint engine, in process and end to end, from one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures, on one in-process broker in one run: raw produce and consume rates of blocks.<chain>, the taint",
        "topology end to end with exactly-once, and the engine in process, on a synthetic chain (docs/BENCHMARKS.md)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--blocks", defaultValue = "3000", description = "Synthetic blocks (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--legs-per-block", defaultValue = "300", description = "Legs per block (default: ${DEFAULT-VALUE}).")
    int legsPerBlock;

    @Option(names = "--tainted-per-million", defaultValue = "1000", description = "Laundering legs per million (default: ${DEFAULT-VALUE} = 0.1%%).")
    int taintedPerMillion;

    @Option(names = "--seed", defaultValue = "7", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (blocks < 10 || legsPerBlock < 3) {
            throw new UserException("--blocks must be >= 10 and --legs-per-block >= 3");
        }
        PipelineBench.Result r = PipelineBench.run(new PipelineBench.Options(blocks, legsPerBlock, taintedPerMillion, seed), System.out);
        System.out.println(r.json().toPrettyString());
        if (json != null) {
            Files.writeString(json, r.json().toPrettyString() + "\n");
        }
        return 0;
    }
}
