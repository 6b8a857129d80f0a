package io.taintwatch.app.cli;

import io.taintwatch.app.replay.BlockFeed;
import io.taintwatch.app.replay.EtlFeed;
import io.taintwatch.app.replay.Progress;
import io.taintwatch.app.replay.ReplayException;
import io.taintwatch.app.replay.ReplayOutputs;
import io.taintwatch.app.replay.ReplayResult;
import io.taintwatch.app.replay.ReplayRun;
import io.taintwatch.app.replay.ReplaySettings;
import io.taintwatch.app.replay.RpcFeed;
import io.taintwatch.app.replay.TopicFeed;
import io.taintwatch.ingest.source.etl.ExportFormatException;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.labels.DefaultLabels;
import io.taintwatch.labels.PlainCsvImporter;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taintwatch replay}: the taint engine and alert rules over past blocks, with their own seeds, into files. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Replays past blocks through the taint engine and the alert rules with their own seeds, labels and policy,",
        "and writes alerts.jsonl, flows.jsonl, paths.csv, paths.dot and report.html into --out. Blocks come from an",
        "ethereum-etl export (a tronetl export on Tron) (--etl DIR), a node (--rpc URL --from N --to M; on Tron also --tron-http URL)",
        "or the retained blocks.<chain> topic (--bootstrap HOST:PORT --from N --to M, or --from-time/--to-time).",
        "Never reads or writes the live pipeline's state."})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--etl", paramLabel = "DIR", description = "An ethereum-etl export directory (token_transfers alone is enough); a tronetl "
        + "export on Tron chains.")
    Path etl;

    @Option(names = "--rpc", paramLabel = "URL", description = "A node's JSON-RPC URL (needs --from and --to; traces from callTracer; on Tron "
        + "java-tron's http://node:8545/jsonrpc).")
    String rpc;

    @Option(names = "--tron-http", paramLabel = "URL", description = "With --rpc on a Tron chain: java-tron's HTTP API (http://node:8090), for fees "
        + "and internal transactions.")
    String tronHttp;

    /** With --config or --bootstrap: replay the retained blocks.<chain> topic (the deployment's Kafka settings reach a secured cluster). */
    @picocli.CommandLine.Mixin
    KafkaOptions kafka;

    @Option(names = "--from", paramLabel = "BLOCK", description = "First block (inclusive).")
    Long from;

    @Option(names = "--to", paramLabel = "BLOCK", description = "Last block (inclusive).")
    Long to;

    @Option(names = "--from-time", paramLabel = "INSTANT",
        description = "With --bootstrap: first block at or after this time (ISO-8601, e.g. 2025-03-01T00:00:00Z), instead of --from.")
    String fromTime;

    @Option(names = "--to-time", paramLabel = "INSTANT", description = "With --bootstrap: last block at or before this time, instead of --to.")
    String toTime;

    @Option(names = "--chain", defaultValue = "ethereum", description = "Chain name, as in blocks.<chain> (default: ${DEFAULT-VALUE}; "
        + "tron is Tron mainnet).")
    String chainName;

    @Option(names = "--chain-id", description = "Chain id (default: 1 for ethereum, 728126428 for tron; required for other chains).")
    Long chainId;

    @Option(names = "--chain-kind", description = "evm or tron (default: tron for --chain tron, else evm): how blocks are read and addresses "
        + "written; only the seeds and labels of this kind apply.")
    String chainKind;

    @Option(names = "--traces", defaultValue = "call-tracer", description = "With --rpc: call-tracer, trace-block or none (default: ${DEFAULT-VALUE}).")
    String traces;

    @Option(names = "--seeds", paramLabel = "FILE", required = true,
        description = "CSV address,source_id,category,reference[,valid_from]: the taint sources of this replay.")
    Path seeds;

    @Option(names = "--labels", paramLabel = "FILE", description = "CSV address,category,name[,source,confidence]: labels (override the default pack).")
    Path labels;

    @Option(names = "--no-default-labels", description = "Do not load the built-in label pack.")
    boolean noDefaultLabels;

    @Option(names = "--policy", defaultValue = "haircut", description = "haircut, poison or fifo (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--max-hops", defaultValue = "6", description = "Taint is not followed beyond this many hops, 1..32 (default: ${DEFAULT-VALUE}).")
    int maxHops;

    @Option(names = "--dust", paramLabel = "WEI", defaultValue = "1000000000000",
        description = "Smallest native carry followed, in base units (default: ${DEFAULT-VALUE}).")
    String dust;

    @Option(names = "--min-share-ppm", defaultValue = "1000",
        description = "Smallest tainted share of a leg followed, in parts per million (default: ${DEFAULT-VALUE}).")
    long minSharePpm;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the output files (created if missing).")
    Path out;

    @Option(names = "--publish-id", paramLabel = "ID", description = {"With --bootstrap: also write the flows and final alerts to the replay's own",
        "topics replay.<ID>.taint-flows.<chain> and replay.<ID>.alerts (never the live topics)."})
    String publishId;

    @Option(names = "--quiet", description = "No progress line and no summary (for scripts).")
    boolean quiet;

    private Instant fromInstant;
    private Instant toInstant;

    PrintStream stdout = System.out;
    PrintStream stderr = System.err;

    @Override
    public Integer call() throws Exception {
        ChainId chain = chain();
        TaintConfig taint = taintConfig();
        if (tronHttp != null && (rpc == null || chain.kind() != ChainKind.TRON)) {
            throw new UserException("--tron-http goes with --rpc on a Tron chain (--chain tron, or --chain-kind tron)");
        }
        int sources = (etl != null ? 1 : 0) + (rpc != null ? 1 : 0) + (kafka.explicit() ? 1 : 0);
        if (sources != 1) {
            throw new UserException("give exactly one block source: --etl DIR, --rpc URL, or the retained topic with --bootstrap HOST:PORT or --config FILE");
        }
        Instant fromT = instant(fromTime, "--from-time");
        Instant toT = instant(toTime, "--to-time");
        if ((fromT != null || toT != null) && !kafka.explicit()) {
            throw new UserException("--from-time/--to-time select blocks of the retained topic: use them with --bootstrap (or give --from/--to)");
        }
        if (kafka.explicit()) {
            from = from != null ? from : fromT != null ? Long.valueOf(0) : null;
            to = to != null ? to : toT != null ? Long.valueOf(Long.MAX_VALUE) : null;
        }
        this.fromInstant = fromT;
        this.toInstant = toT;
        if (etl == null && (from == null || to == null)) {
            throw new UserException("--from and --to are required with " + (rpc != null ? "--rpc" : "--bootstrap (or --from-time/--to-time)"));
        }
        if (from != null && from < 0 || to != null && to < 0 || from != null && to != null && from > to) {
            throw new UserException("--from and --to must be block numbers with --from <= --to (got " + from + ".." + to + ")");
        }
        if (etl != null && !Files.isDirectory(etl)) {
            throw new UserException("--etl " + etl + ": no such directory");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserException("--out " + out + " exists and is not a directory");
        }
        List<Seed> seedList = InputFiles.readCsv(seeds, PlainCsvImporter.Kind.SEEDS, "--seeds").seeds();
        if (seedList.isEmpty()) {
            throw new UserException("--seeds " + seeds + " holds no seed: a replay follows taint from at least one source");
        }
        List<Seed> ours = seedList.stream().filter(x -> x.appliesTo(chain)).toList();
        if (ours.size() < seedList.size() && !quiet) {
            stderr.println("taintwatch: note: " + (seedList.size() - ours.size()) + " seeds of --seeds are addresses of other kinds of chain than "
                + chain.kind().label() + " and do not apply");
        }
        if (ours.isEmpty()) {
            throw new UserException("--seeds " + seeds + " holds no seed of a " + chain.kind().label() + " chain (addresses "
                + (chain.kind() == ChainKind.TRON ? "T..." : "0x...") + ")");
        }
        boolean tron = chain.kind() == ChainKind.TRON;
        ReplaySettings base = new ReplaySettings(chain, taint, ours, labels(chain), tron ? "TRX" : "ETH", tron ? 6 : 18);

        ReplayRun run;
        try (BlockFeed feed = feed(chain)) {
            try {
                run = new ReplayRun(base.withObservedTokens(feed.tokens()));
            } catch (ExportFormatException e) {
                throw new UserException(e.getMessage(), e);
            } catch (IOException e) {
                throw new UserException("--etl " + etl + ": " + e.getMessage(), e);
            }
            Progress progress = new Progress(run, stderr, feed.expectedBlocks(), System::nanoTime);
            try {
                feed.run(quiet ? run : progress);
            } catch (ReplayException e) {
                if (e.userError()) {
                    throw new UserException(e.getMessage(), e);
                }
                throw e;
            } catch (ExportFormatException e) {
                throw new UserException(e.getMessage(), e);
            } catch (IOException e) {
                throw new UserException("--etl " + etl + ": " + e.getMessage(), e);
            } finally {
                if (!quiet) {
                    progress.finish();
                }
            }
        }
        ReplayResult result = run.result();
        if (result.blocks() == 0) {
            stderr.println("taintwatch: warning: no block of the requested range was found in " + describe() + "; the files are empty");
        }
        try {
            ReplayOutputs.write(result, out);
        } catch (IOException e) {
            throw new UserException("--out " + out + ": cannot write (" + e.getMessage() + ")", e);
        }
        if (publishId != null) {
            if (!kafka.explicit()) {
                throw new UserException("--publish-id writes the replay's own topics on the broker the blocks came from: give --bootstrap or --config");
            }
            try {
                io.taintwatch.app.replay.ReplayTopics.publish(kafka.load().kafka(), publishId, result);
            } catch (IllegalArgumentException e) {
                throw new UserException("--publish-id: " + e.getMessage(), e);
            }
            if (!quiet) {
                stdout.println("replay: published to " + io.taintwatch.app.replay.ReplayTopics.flowsTopic(publishId, chain.name()) + " and "
                    + io.taintwatch.app.replay.ReplayTopics.alertsTopic(publishId));
            }
        }
        if (!quiet) {
            stdout.println("replay: " + result.blocks() + " blocks, " + result.legs() + " legs, " + result.flows().size() + " taint flows, "
                + result.alerts().size() + " alerts; wrote " + String.join(", ", ReplayOutputs.FILES) + " to " + out);
        }
        return 0;
    }

    private String describe() {
        return etl != null ? "--etl " + etl : rpc != null ? "the node" : "topic " + chain().blocksTopic();
    }

    private static Instant instant(String s, String flag) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new UserException(flag + " " + s + ": not an ISO-8601 instant such as 2025-03-01T00:00:00Z");
        }
    }

    /** Tron mainnet's chain id: what java-tron's {@code eth_chainId} answers there. */
    static final long TRON_MAINNET_ID = 728_126_428L;

    private ChainId chain() {
        ChainKind kind;
        try {
            kind = chainKind != null ? ChainKind.fromLabel(chainKind) : chainName.equals("tron") ? ChainKind.TRON : ChainKind.EVM;
        } catch (IllegalArgumentException e) {
            throw new UserException("--chain-kind " + chainKind + ": must be evm or tron");
        }
        if (chainId == null) {
            if (chainName.equals(ChainId.ETHEREUM.name()) && kind == ChainKind.EVM) {
                return ChainId.ETHEREUM;
            }
            if (chainName.equals("tron") && kind == ChainKind.TRON) {
                return new ChainId(TRON_MAINNET_ID, "tron", ChainKind.TRON);
            }
            throw new UserException("--chain " + chainName + ": give its chain id with --chain-id");
        }
        try {
            return new ChainId(chainId, chainName, kind);
        } catch (IllegalArgumentException e) {
            throw new UserException("--chain/--chain-id: " + e.getMessage());
        }
    }

    TaintConfig taintConfig() {
        PolicyKind p;
        try {
            p = PolicyKind.valueOf(policy.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("--policy " + policy + ": must be haircut, poison or fifo");
        }
        BigInteger d;
        try {
            d = new BigInteger(dust.strip());
        } catch (NumberFormatException e) {
            throw new UserException("--dust " + dust + ": must be a whole number of base units (wei), e.g. 1000000000000");
        }
        try {
            TaintConfig base = TaintConfig.defaults();
            return base.withPolicy(p).withMaxHops(maxHops).withDust(Map.of(Asset.NATIVE, d), base.defaultDust(), minSharePpm);
        } catch (IllegalArgumentException e) {
            throw new UserException("bad engine setting: " + e.getMessage() + " (see --max-hops, --dust, --min-share-ppm)");
        }
    }

    /** The default pack and --labels, the latter overriding per address; only the labels of the chain's kind. */
    private List<Entity> labels(ChainId chain) {
        Map<String, Entity> byAddress = new LinkedHashMap<>();
        if (!noDefaultLabels) {
            DefaultLabels.load().forEach(e -> byAddress.put(e.key(), e));
        }
        if (labels != null) {
            InputFiles.readCsv(labels, PlainCsvImporter.Kind.LABELS, "--labels").entities().forEach(e -> byAddress.put(e.key(), e));
        }
        return byAddress.values().stream().filter(e -> e.appliesTo(chain)).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** A replay is interactive: a dead node should fail in seconds, not after minutes of back-off. */
    private static RpcSettings interactive() {
        return RpcSettings.defaults().withTimeout(Duration.ofSeconds(20)).withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    private BlockFeed feed(ChainId chain) {
        if (etl != null) {
            Set<Address> weth = chain.equals(ChainId.ETHEREUM) ? EvmChainConfig.ethereum(List.of("http://unused")).wethContracts() : Set.of();
            return new EtlFeed(etl, chain, weth, from, to);
        }
        if (rpc != null && chain.kind() == ChainKind.TRON) {
            if (tronHttp == null) {
                throw new UserException("--rpc on a Tron chain needs --tron-http URL: java-tron's HTTP API (http://node:8090) gives fees and "
                    + "internal transactions");
            }
            return RpcFeed.tron(rpc, tronHttp, chain, from, to, interactive());
        }
        if (rpc != null) {
            TraceMode mode = switch (traces.strip().toLowerCase(Locale.ROOT)) {
                case "call-tracer" -> TraceMode.CALL_TRACER;
                case "trace-block" -> TraceMode.TRACE_BLOCK;
                case "none" -> TraceMode.NONE;
                default -> throw new UserException("--traces " + traces + ": must be call-tracer, trace-block or none");
            };
            return new RpcFeed(rpc, chain, from, to, mode, interactive());
        }
        return new TopicFeed(kafka.load().kafka(), chain, from, to, fromInstant, toInstant);
    }
}
