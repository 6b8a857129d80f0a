package io.taintwatch.app.cli;

import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.labels.ImportException;
import io.taintwatch.labels.ImportMode;
import io.taintwatch.labels.ImportProblem;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.tokens.TokenFormat;
import io.taintwatch.tokens.TokenImport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taintwatch tokens import}: read a token list or the user's token CSV and publish it to the token registry topic. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Imports and publishes token lists and the user's own tokens.",
    subcommands = {TokensCommand.Import.class})
public final class TokensCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
        description = "Reads FILE (validating every entry), prints a summary and the rejected entries, and optionally publishes the tokens"
            + " of the chain to the token registry topic the taint engine reads.")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--format", required = true,
            description = "tokenlist (Token Lists JSON, e.g. @uniswap/default-token-list), metamask (@metamask/contract-metadata's"
                + " contract-map.json) or csv (address,symbol,name,decimals[,status,reason]).")
        String format;

        @Option(names = "--chain", defaultValue = "ethereum", description = "Chain name (default: ${DEFAULT-VALUE}).")
        String chainName;

        @Option(names = "--chain-id", defaultValue = "1", description = "Chain id whose tokens are imported (default: ${DEFAULT-VALUE}).")
        long chainId;

        @Option(names = "--strict", description = "Import nothing when any entry is bad (exit 2).")
        boolean strict;

        @Option(names = "--publish", description = "Write the tokens to Kafka.")
        boolean publish;

        @picocli.CommandLine.Mixin
        KafkaOptions kafka;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws IOException {
            TokenFormat f;
            ChainId chain;
            try {
                f = TokenFormat.fromCliName(format);
                chain = new ChainId(chainId, chainName);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            if (publish && !kafka.given()) {
                throw new UserException("--publish needs --config FILE (the deployment's Kafka settings) or --bootstrap HOST:PORT");
            }
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new UserException(file + ": no such readable file");
            }
            TokenImport r;
            try {
                r = f.read(file, chain, strict ? ImportMode.STRICT : ImportMode.LENIENT);
            } catch (ImportException e) {
                throw new UserException(e.problems().isEmpty() ? e.getMessage() : InputFiles.problems(e.problems())
                    + (strict ? " (--strict: nothing imported)" : ""), e);
            }
            for (ImportProblem p : r.errors()) {
                err.println("error: " + p);
            }
            for (ImportProblem p : r.warnings()) {
                err.println("warning: " + p);
            }
            out.println(r.summary());
            Map<TokenStatus, Integer> byStatus = new TreeMap<>();
            r.tokens().forEach(t -> byStatus.merge(t.status(), 1, Integer::sum));
            byStatus.forEach((s, n) -> out.println("  " + n + " " + s.label()));
            if (publish) {
                PipelineConfig c = kafka.load();
                String topic = c.topics().tokenRegistry();
                c.topics().ensure(c.kafka(), PipelineTopics.Topic.TOKEN_REGISTRY);
                try (KafkaPublisher p = new KafkaPublisher(c.kafka())) {
                    p.tokens(topic, r.tokens());
                    int n = p.flush();
                    out.println("published " + n + " tokens of " + chain.name() + " to " + topic);
                }
            }
            return 0;
        }
    }
}
