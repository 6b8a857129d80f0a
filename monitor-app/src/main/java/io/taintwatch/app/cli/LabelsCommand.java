package io.taintwatch.app.cli;

import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.labels.ImportException;
import io.taintwatch.labels.ImportMode;
import io.taintwatch.labels.ImportProblem;
import io.taintwatch.labels.ImportResult;
import io.taintwatch.labels.LabelFormat;
import io.taintwatch.labels.NormalisedCsv;
import io.taintwatch.labels.SdnDiff;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taintwatch labels import|diff}: read label and sanctions files, export them as CSV, publish them to Kafka. */
@Command(name = "labels", mixinStandardHelpOptions = true, description = "Imports, exports, diffs and publishes labels and watchlist seeds.",
    subcommands = {LabelsCommand.Import.class, LabelsCommand.Diff.class})
public final class LabelsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where {@code --publish} writes: the compacted topics the engine reads, named by the deployment's configuration. */
    static final class PublishOptions {
        @Option(names = "--publish", description = "Write the result to Kafka (seeds to the watchlist topic, labels to the labels topic).")
        boolean publish;

        @CommandLine.Mixin
        KafkaOptions kafka;

        PipelineConfig check() {
            if (publish && !kafka.given()) {
                throw new UserException("--publish needs --config FILE (the deployment's Kafka settings) or --bootstrap HOST:PORT");
            }
            if (!publish && (kafka.config != null || kafka.bootstrap != null)) {
                throw new UserException("--config and --bootstrap are only used with --publish");
            }
            return publish ? kafka.load() : null;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
        description = "Reads FILE (validating every row), prints a summary and the rejected rows, and optionally exports or publishes it.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every row imported", "1:a runtime failure (Kafka unreachable, ...)",
            "2:a user error, a file that cannot be read, or --strict with bad rows (nothing imported)",
            "3:rows rejected (without --strict): the valid rows were imported, exported and published"})
    static final class Import implements Callable<Integer> {
        /** Exit code of a lenient import that rejected rows: the valid ones went through, but the input needs fixing. */
        static final int ROWS_REJECTED = 3;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--format", required = true, description = "ofac-xml, ofac-csv, csv, etherscan or tagpack.")
        String format;

        @Option(names = "--strict", description = "Import nothing when any row is bad (exit 2).")
        boolean strict;

        @Option(names = "--export", paramLabel = "FILE",
            description = "Write seeds (address,source_id,category,reference) or labels (address,category,name) as the CSV replay reads; "
                + "with both, labels go to <FILE stem>-labels.csv.")
        Path export;

        @CommandLine.Mixin
        PublishOptions pub;

        PrintStream out = System.out;
        PrintStream err = System.err;

        @Override
        public Integer call() throws IOException {
            LabelFormat f;
            try {
                f = LabelFormat.fromCliName(format);
            } catch (IllegalArgumentException e) {
                throw new UserException("--format: " + e.getMessage());
            }
            PipelineConfig kafka = pub.check();
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new UserException(file + ": no such readable file");
            }
            ImportResult r;
            try {
                r = f.read(file, strict ? ImportMode.STRICT : ImportMode.LENIENT);
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
            if (strict && r.hasErrors()) {
                throw new UserException(file + ": " + r.errors().size() + " bad rows (listed above); --strict: nothing imported");
            }
            out.println(r.summary());
            if (export != null) {
                export(r);
            }
            if (kafka != null) {
                String watchlist = kafka.topics().watchlist();
                String labels = kafka.topics().labels();
                kafka.topics().ensure(kafka.kafka(), PipelineTopics.Topic.WATCHLIST, PipelineTopics.Topic.LABELS);
                try (KafkaPublisher p = new KafkaPublisher(kafka.kafka())) {
                    p.seeds(watchlist, r.seeds());
                    p.labels(labels, r.entities());
                    int n = p.flush();
                    out.println("published " + r.seeds().size() + " seeds to " + watchlist + " and " + r.entities().size()
                        + " labels to " + labels + " (" + n + " records)");
                }
            }
            if (r.hasErrors()) {
                err.println("taintwatch: " + file + ": " + r.errors().size() + (r.errors().size() == 1 ? " row" : " rows")
                    + " rejected, the valid rows were imported (exit " + ROWS_REJECTED + "); first: " + InputFiles.problems(r.errors()));
                return ROWS_REJECTED;
            }
            return 0;
        }

        private void export(ImportResult r) {
            try {
                if (!r.seeds().isEmpty()) {
                    NormalisedCsv.writeSeeds(export, r.seeds());
                    out.println("exported " + r.seeds().size() + " seeds to " + export);
                }
                if (!r.entities().isEmpty()) {
                    Path target = export;
                    if (!r.seeds().isEmpty()) {
                        String name = export.getFileName().toString();
                        int dot = name.lastIndexOf('.');
                        target = export.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-labels.csv");
                    }
                    NormalisedCsv.writeLabels(target, r.entities());
                    out.println("exported " + r.entities().size() + " labels to " + target);
                }
                if (r.seeds().isEmpty() && r.entities().isEmpty()) {
                    out.println("nothing to export");
                }
            } catch (IOException e) {
                throw new UserException("--export " + export + ": cannot write (" + e.getMessage() + ")", e);
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compares two OFAC SDN files (sdn_advanced.xml or sdn.csv): prints added (+), removed (-) and changed (~) addresses; "
            + "--publish upserts added and changed seeds and tombstones removed ones.")
    static final class Diff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OLD")
        Path older;

        @Parameters(index = "1", paramLabel = "NEW")
        Path newer;

        @CommandLine.Mixin
        PublishOptions pub;

        PrintStream out = System.out;

        @Override
        public Integer call() {
            PipelineConfig kafka = pub.check();
            for (Path p : new Path[] {older, newer}) {
                if (!Files.isReadable(p) || Files.isDirectory(p)) {
                    throw new UserException(p + ": no such readable file");
                }
            }
            SdnDiff d;
            try {
                d = SdnDiff.between(older, newer);
            } catch (ImportException e) {
                throw new UserException(e.problems().isEmpty() ? e.getMessage() : InputFiles.problems(e.problems()), e);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserException("cannot read the SDN files: " + e.getMessage(), e);
            }
            out.print(d.report());
            if (kafka != null) {
                String watchlist = kafka.topics().watchlist();
                kafka.topics().ensure(kafka.kafka(), PipelineTopics.Topic.WATCHLIST);
                try (KafkaPublisher p = new KafkaPublisher(kafka.kafka())) {
                    p.seeds(watchlist, d.seedsToUpsert());
                    p.tombstones(watchlist, d.keysToRemove());
                    p.flush();
                    out.println("published " + d.seedsToUpsert().size() + " upserts and " + d.keysToRemove().size()
                        + " tombstones to " + watchlist);
                }
            }
            return 0;
        }
    }
}
