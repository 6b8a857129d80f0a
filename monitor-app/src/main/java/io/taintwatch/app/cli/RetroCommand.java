package io.taintwatch.app.cli;

import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.replay.Progress;
import io.taintwatch.app.replay.ReplayException;
import io.taintwatch.app.retro.NewSeed;
import io.taintwatch.app.retro.RetroLedger;
import io.taintwatch.app.retro.RetroSettings;
import io.taintwatch.app.retro.Screening;
import io.taintwatch.app.retro.ScreeningRunner;
import io.taintwatch.model.ChainId;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taintwatch retro}: the retro-screenings the live app recorded, and running an offered one. */
@Command(name = "retro", mixinStandardHelpOptions = true,
    description = {"Retro-screenings: replays of the retained blocks.<chain> for seeds added while the pipeline runs",
        "(docs/labels.md, \"Retro-screening\"). 'list' shows them; 'run --id ID' runs one (an offer, or a failed one)."},
    subcommands = {RetroCommand.ListCmd.class, RetroCommand.RunCmd.class})
public final class RetroCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static RetroLedger ledger(PipelineConfig c) {
        try {
            return RetroLedger.load(c.kafka(), c.topics().retroScreenings());
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage(), e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new ReplayException("cannot reach Kafka at " + c.kafka().bootstrapServers() + " (no answer in time); check kafka.bootstrap-servers",
                false, e);
        }
    }

    /** {@code taintwatch retro list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the retro-screenings, oldest pickup first.")
    public static final class ListCmd implements Callable<Integer> {
        @CommandLine.Mixin
        KafkaOptions config;

        @Option(names = "--state", description = "Only screenings in this state: offered, running, done or failed.")
        String state;

        PrintStream stdout = System.out;

        @Override
        public Integer call() {
            PipelineConfig s = config.load();
            Screening.State only = null;
            if (state != null) {
                try {
                    only = Screening.State.fromLabel(state.strip());
                } catch (IllegalArgumentException e) {
                    throw new UserException("--state " + state + ": must be offered, running, done or failed");
                }
            }
            List<Screening> all = ledger(s).screenings();
            Map<String, ChainId> chains = s.chainIds().stream().collect(Collectors.toMap(ChainId::name, c -> c));
            stdout.println(String.join("\t", "id", "state", "pickup", "blocks", "seeds", "designated", "alerts", "note"));
            for (Screening sc : all) {
                if (only != null && sc.state() != only) {
                    continue;
                }
                // a screening of a chain no longer configured shows its addresses as hex
                ChainId chain = chains.get(sc.chain());
                String seeds = sc.seeds().stream().map(n -> (chain == null ? n.seed().address().toString() : chain.format(n.seed().address()))
                    + " (" + n.seed().sourceId() + ")").collect(Collectors.joining(", "));
                String designated = sc.seeds().stream().map(n -> n.designatedAt() + " " + n.designationBasis()).distinct()
                    .collect(Collectors.joining(", "));
                String note = sc.state() == Screening.State.FAILED ? "error: " + sc.error() : sc.note();
                stdout.println(String.join("\t", sc.id(), sc.state().label(), Long.toString(sc.pickupBlock()), sc.fromBlock() + ".." + sc.toBlock(),
                    seeds, designated, sc.state() == Screening.State.DONE ? Long.toString(sc.alerts()) : "-", note));
            }
            return 0;
        }
    }

    /** {@code taintwatch retro run --id ID}: runs a screening in this process and publishes its alerts. */
    @Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs one retro-screening here: replays its blocks with its new seeds and the deployment's watchlist,",
            "labels, engine and rule settings, and publishes its retroactive alerts to the alerts topic."})
    public static final class RunCmd implements Callable<Integer> {
        @CommandLine.Mixin
        KafkaOptions config;

        @Option(names = "--id", required = true, description = "The screening id (taintwatch retro list).")
        String id;

        @Option(names = "--force", description = "Run a screening that is done or marked running (its alerts keep their ids: consumers dedupe).")
        boolean force;

        PrintStream stdout = System.out;
        PrintStream stderr = System.err;

        @Override
        public Integer call() throws Exception {
            PipelineConfig s = config.load();
            RetroLedger ledger = ledger(s);
            Screening sc = ledger.screening(id.strip());
            if (sc == null) {
                throw new UserException("no retro-screening '" + id + "' on " + ledger.topic() + " (see taintwatch retro list)");
            }
            if (!force && sc.state() == Screening.State.DONE) {
                throw new UserException("retro-screening " + sc.id() + " is done (" + sc.alerts() + " alerts); --force runs it again");
            }
            if (!force && sc.state() == Screening.State.RUNNING) {
                throw new UserException("retro-screening " + sc.id() + " is running (in the service or another 'retro run'); --force if that died");
            }
            ChainId chain = s.chainIds().stream().filter(c -> c.name().equals(sc.chain())).findFirst()
                .orElseThrow(() -> new UserException("retro-screening " + sc.id() + " is for chain " + sc.chain() + ", which 'chains' does not name"));
            RetroSettings rs = s.retro(chain);
            // its own transactional id: the service's writer keeps running beside this command
            Properties p = rs.kafka().producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "taintwatch-retro-cli-" + sc.id()));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                Screening running = sc.withState(Screening.State.RUNNING, 0, 0, "");
                producer.beginTransaction();
                producer.send(ledger.screeningRecord(running));
                producer.commitTransaction();
                stderr.println("retro-screening " + sc.id() + ": replaying blocks " + sc.fromBlock() + ".." + sc.toBlock() + " of "
                    + chain.blocksTopic() + " for " + sc.seeds().stream().map(NewSeed::seed).map(x -> chain.format(x.address())).toList());
                ScreeningRunner.Result r;
                Progress progress = new Progress(b -> { }, stderr, java.util.OptionalLong.of(sc.toBlock() - sc.fromBlock() + 1), System::nanoTime);
                try {
                    r = ScreeningRunner.replay(rs, running, progress);
                } catch (Exception e) {
                    producer.beginTransaction();
                    producer.send(ledger.screeningRecord(sc.withState(Screening.State.FAILED, 0, 0, String.valueOf(e.getMessage()))));
                    producer.commitTransaction();
                    if (e instanceof ReplayException re && re.userError()) {
                        throw new UserException(re.getMessage(), re);
                    }
                    throw e;
                }
                progress.finish();
                ScreeningRunner.publish(producer, rs, ledger, running, r);
                stdout.println("retro-screening " + sc.id() + " done: " + r.blocks() + " blocks, " + r.legs() + " legs, " + r.alerts().size()
                    + " retroactive alerts published to " + rs.alertsTopic() + "; " + r.holders() + " addresses still hold the new seeds' taint at block "
                    + sc.toBlock() + " (follow them with taintwatch replay --bootstrap ... --from " + sc.fromBlock() + ")");
            }
            return 0;
        }
    }
}
