package io.taintwatch.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.app.cli.CommandExtension;
import io.taintwatch.app.cli.UserException;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.ExportWriter;
import io.taintwatch.synth.MainnetChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taintwatch bench}: throughput, latency, highest sustained rate and memory from one run; the soak; synthetic exports. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measures on one in-process broker, on a mainnet-shaped synthetic chain: raw produce and consume rates of",
        "blocks.<chain>, the engine in process, the taint topology end to end (exactly-once), block-to-alert latency of the live",
        "pipeline at 1x, 10x and 100x mainnet, the highest sustained rate, heap and RSS (docs/BENCHMARKS.md).",
        "--soak runs the live pipeline at --rate for a long time and samples memory and state; --tracked N builds state with",
        "N tracked addresses (spread as haircut taint spreads) and measures heap, disk and throughput on top of it; --export-etl writes the",
        "synthetic chain as an ethereum-etl export for 'taintwatch replay --etl'; --produce-to writes it into a running",
        "deployment's Kafka at --rate."})
public final class BenchCommand implements Callable<Integer>, CommandExtension {
    @Option(names = "--quick", description = "A smoke test under a minute (small sizes, short windows).")
    boolean quick;

    @Option(names = "--blocks", description = "Synthetic blocks for the throughput part (default: 4000; --quick 150; --export-etl 100).")
    Integer blocks;

    @Option(names = "--seed", defaultValue = "7", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--day", description = "Also replay a day of mainnet (7,200 blocks, ~5M legs) through the taint topology and time it.")
    boolean day;

    @Option(names = "--soak", paramLabel = "DURATION", description = "Run the soak for this long instead (e.g. 10m, 90s).")
    String soak;

    @Option(names = "--tracked", paramLabel = "N",
        description = "Instead: state with N tracked addresses built the way haircut taint spreads, then --blocks mainnet-shaped blocks on top;"
            + " reports heap and disk per tracked address, restart, and end to end against the engine in process.")
    Long tracked;

    @Option(names = "--rate", defaultValue = "10x", paramLabel = "RATE",
        description = "Soak rate: a multiple of mainnet (10x = 600 legs/s) or legs per second (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(names = "--sample", defaultValue = "30s", paramLabel = "DURATION", description = "Soak sample interval (default: ${DEFAULT-VALUE}).")
    String sample;

    @Option(names = "--laundering-per-million-tx", paramLabel = "N",
        description = "Laundering transactions per million in the live pipeline and the soak (default: 20000 = 2%%, so most blocks raise an alert).")
    Integer laundering;

    @Option(names = "--export-etl", paramLabel = "DIR", description = "Write --blocks synthetic blocks as an ethereum-etl export (plus seeds.csv, labels.csv) and stop.")
    Path exportEtl;

    @Option(names = "--produce-to", paramLabel = "HOST:PORT",
        description = "Write the synthetic chain into this Kafka (watchlist, labels, blocks.<chain> as ingest does) at --rate for --duration and stop.")
    String produceTo;

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION", description = "With --produce-to or --queries: how long (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--chain", defaultValue = "ethereum", description = "With --produce-to: chain name, as in blocks.<chain> (default: ${DEFAULT-VALUE}).")
    String chainName;

    @Option(names = "--chain-id", defaultValue = "1", description = "With --produce-to: EIP-155 chain id (default: ${DEFAULT-VALUE}).")
    long chainId;

    @Option(names = "--queries", paramLabel = "RATE",
        description = "Run the live pipeline at --rate and send exposure queries and screenings to its API at RATE per second for --duration; "
            + "reports their latency (p50, p99) and the load average.")
    Double queries;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (exportEtl != null) {
            return export();
        }
        ObjectNode r;
        if (produceTo != null) {
            ChainId chain;
            try {
                chain = new ChainId(chainId, chainName);
            } catch (IllegalArgumentException e) {
                throw new UserException("--chain/--chain-id: " + e.getMessage());
            }
            r = SyntheticProducer.run(produceTo, chain, parseRate(rate), parseDuration("--duration", duration), seed,
                laundering == null ? 20_000 : laundering, System.out);
        } else if (tracked != null) {
            if (tracked < 1) {
                throw new UserException("--tracked must be at least 1");
            }
            r = SpreadBench.run(tracked, blocks == null ? 4_000 : blocks, seed, System.out);
        } else if (queries != null) {
            if (queries <= 0) {
                throw new UserException("--queries must be a positive rate");
            }
            r = QueryLoad.run(parseRate(rate), queries, parseDuration("--duration", duration), seed, laundering == null ? 20_000 : laundering,
                System.out);
        } else if (soak != null) {
            r = Soak.run(parseRate(rate), parseDuration("--soak", soak), parseDuration("--sample", sample), seed,
                laundering == null ? 20_000 : laundering, System.out);
        } else {
            PipelineBench.Options o = quick ? PipelineBench.Options.quick(seed) : PipelineBench.Options.full(seed);
            if (blocks != null) {
                if (blocks < 10) {
                    throw new UserException("--blocks must be at least 10");
                }
                o = o.withBlocks(blocks);
            }
            if (laundering != null) {
                o = new PipelineBench.Options(o.blocks(), o.legsPerBlock(), o.seed(), o.launderingPerMillionTx(), laundering, o.window1x(),
                    o.window10x(), o.window100x(), o.rampStep(), o.rampRefine(), o.day(), o.quick());
            }
            r = PipelineBench.run(o.withDay(day), System.out);
        }
        System.out.println(r.toPrettyString());
        if (json != null) {
            Files.writeString(json, r.toPrettyString() + "\n");
        }
        return 0;
    }

    private int export() throws Exception {
        int n = blocks == null ? 100 : blocks;
        if (n < 1) {
            throw new UserException("--blocks must be at least 1");
        }
        MainnetChain chain = new MainnetChain(new ChainId(1, "ethereum"), MainnetChain.Params.defaults(seed)
            .withLaundering(laundering == null ? 20_000 : laundering));
        try (ExportWriter w = new ExportWriter(exportEtl, chain, false)) {
            for (int i = 0; i < n; i++) {
                w.write(chain.nextDetailed());
            }
            System.out.printf("wrote %d blocks (%d legs, blocks %d..%d) to %s: blocks.csv, transactions.csv, token_transfers.csv, seeds.csv, labels.csv%n",
                w.blocks(), w.legs(), chain.params().firstBlock(), chain.nextNumber() - 1, exportEtl);
            System.out.printf("replay them: taintwatch replay --etl %s --seeds %s --labels %s --no-default-labels --out OUT%n", exportEtl,
                exportEtl.resolve("seeds.csv"), exportEtl.resolve("labels.csv"));
        }
        return 0;
    }

    /** {@code 10x} (multiples of mainnet's 60 legs/s) or a number of legs per second. */
    static double parseRate(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        try {
            double r = v.endsWith("x") ? Double.parseDouble(v.substring(0, v.length() - 1)) * PipelineBench.MAINNET_LEGS_PER_S : Double.parseDouble(v);
            if (r > 0 && Double.isFinite(r)) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserException("--rate '" + s + "': expected a multiple of mainnet like 10x or legs per second like 600");
    }

    /** {@code 10m}, {@code 90s}, {@code 1h} or ISO-8601 ({@code PT10M}). */
    static Duration parseDuration(String option, String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.startsWith("pt")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                d = switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new NumberFormatException();
                };
            }
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new UserException(option + " '" + s + "': expected a duration like 90s, 10m or 1h");
    }
}
