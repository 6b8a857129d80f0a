package io.taintwatch.app.retro;

import io.micrometer.core.instrument.MeterRegistry;
import io.taintwatch.encoding.BadRecordException;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Address;
import io.taintwatch.topology.DeadLetterHandler;
import io.taintwatch.taint.StateCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retro-screening for one chain in the live app: one background thread follows the live engine's seeds changelog,
 * decides with {@link RetroPlanner} which seeds are new, records the decisions (and, in {@code offer} mode, the offer)
 * on the {@code retro-screenings} topic, and in {@code trigger} mode runs the screenings one at a time. While a
 * screening runs, new seeds wait in the changelog: nothing is lost, the work is bounded to one replay per chain.
 * The writer is transactional with a fixed id per chain, so a second instance fences the first instead of screening twice
 * ({@link RetroScreeners} runs a chain's screener where its engine runs).
 */
public final class RetroScreener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetroScreener.class);

    private final RetroSettings rs;
    private final RetroMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private RetroScreener(RetroSettings rs, MeterRegistry registry) {
        this.rs = rs;
        this.metrics = new RetroMetrics(registry, rs.chain());
        this.thread = new Thread(this::loop, "taintwatch-retro-" + rs.chain().name());
        this.thread.setDaemon(true);
    }

    public static RetroScreener start(RetroSettings rs, MeterRegistry registry) {
        RetroScreener s = new RetroScreener(rs, registry);
        s.thread.start();
        return s;
    }

    public RetroMetrics metrics() {
        return metrics;
    }

    /** False once the thread stopped on an error (the log says why). */
    public boolean alive() {
        return failure == null;
    }

    /** True once the thread has ended: closed, failed, or fenced by another instance's screener of the chain. */
    public boolean stopped() {
        return !thread.isAlive();
    }

    public Throwable failure() {
        return failure;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = rs.kafka().producer(java.util.Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, rs.transactionalId(),
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void loop() {
        String chain = rs.chain().name();
        try (KafkaProducer<byte[], byte[]> producer = producer();
             KafkaConsumer<byte[], byte[]> changelog = CompactedTopics.consumer(rs.kafka(), "taintwatch-retro-" + chain)) {
            producer.initTransactions();
            RetroLedger ledger = RetroLedger.load(rs.kafka(), rs.screeningsTopic());
            TopicPartition tp = awaitChangelog(changelog);
            if (tp == null) {
                return;
            }
            changelog.assign(List.of(tp));
            RetroPlanner planner = new RetroPlanner(rs.chain(), rs.lookback());
            Long cursor = ledger.cursor(chain);
            if (cursor == null) {
                cursor = baseline(producer, ledger, changelog, tp, planner);
            }
            if (rs.mode() == RetroMode.TRIGGER) {
                // screenings this service started and did not finish (a stop or crash mid-run): run them again,
                // they publish the same alert ids, and only once (alerts and "done" commit together)
                for (Screening s : ledger.screenings()) {
                    if (s.chain().equals(chain) && s.state() == Screening.State.RUNNING && running) {
                        LOG.info("retro-screening {} was running when the service stopped: running it again", s.id());
                        execute(producer, ledger, s);
                    }
                }
            }
            changelog.seek(tp, cursor);
            while (running) {
                List<RetroPlanner.SeedRecord> batch = new ArrayList<>();
                List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
                long next = -1;
                for (ConsumerRecord<byte[], byte[]> r : changelog.poll(Duration.ofMillis(500))) {
                    seedRecord(r, batch, dead);
                    next = r.offset() + 1;
                }
                if (next < 0) {
                    continue;
                }
                RetroPlanner.Plan plan = planner.plan(batch, ledger.known(chain), false,
                    CompactedTopics.firstRetainedBlock(rs.kafka(), rs.chain().blocksTopic()), rs.mode());
                record(producer, ledger, plan, chain, dead, next);
                if (rs.mode() == RetroMode.TRIGGER) {
                    for (Screening s : plan.screenings()) {
                        if (!running) {
                            break; // stays "running": resumed at the next start
                        }
                        execute(producer, ledger, s);
                    }
                }
            }
        } catch (ProducerFencedException e) {
            // the instance that now runs the chain's engine started its screener (RetroScreeners)
            LOG.info("retro-screening for {} stopped here: another instance took over its writer ({})", chain, rs.transactionalId());
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            if (running) {
                failure = e;
                LOG.error("retro-screening for {} interrupted", chain, e);
            }
        } catch (Exception e) {
            failure = e;
            LOG.error("retro-screening for {} stopped: {}", chain, e.getMessage(), e);
        }
    }

    /** Waits for the live engine to create its seeds changelog (Kafka Streams does at its first start). */
    private TopicPartition awaitChangelog(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
        boolean said = false;
        while (running) {
            List<TopicPartition> parts = CompactedTopics.partitions(c, rs.seedsChangelog());
            if (parts.size() == 1) {
                return parts.get(0);
            }
            if (parts.size() > 1) {
                throw new IllegalStateException("topic " + rs.seedsChangelog() + " has " + parts.size() + " partitions; the taint engine writes one");
            }
            if (!said) {
                LOG.info("retro-screening for {} waits for the taint engine's changelog {}", rs.chain().name(), rs.seedsChangelog());
                said = true;
            }
            Thread.sleep(500);
        }
        return null;
    }

    /** First start for this chain: the seeds in effect now are the baseline, decided once and never screened. */
    private long baseline(KafkaProducer<byte[], byte[]> producer, RetroLedger ledger, KafkaConsumer<byte[], byte[]> c, TopicPartition tp,
                          RetroPlanner planner) {
        long end = c.endOffsets(List.of(tp)).get(tp);
        c.seekToBeginning(List.of(tp));
        List<RetroPlanner.SeedRecord> records = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        while (c.position(tp) < end) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                if (r.offset() < end) {
                    seedRecord(r, records, out);
                }
            }
        }
        RetroPlanner.Plan plan = planner.plan(records, ledger.known(rs.chain().name()), true, java.util.OptionalLong.empty(), rs.mode());
        plan.decisions().forEach(d -> out.add(ledger.decisionRecord(rs.chain().name(), d)));
        out.add(ledger.cursorRecord(rs.chain().name(), end));
        ScreeningRunner.write(producer, ledger, out);
        LOG.info("retro-screening for {} starts ({} mode, look-back {}): {} seeds already in effect are the baseline and are not screened",
            rs.chain().name(), rs.mode().label(), rs.lookback().describe(), plan.decisions().size());
        return end;
    }

    /** Decisions, screenings, the dead letters of the batch and the cursor past it, in one transaction. */
    private void record(KafkaProducer<byte[], byte[]> producer, RetroLedger ledger, RetroPlanner.Plan plan, String chain,
                        List<ProducerRecord<byte[], byte[]>> dead, long next) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(dead);
        plan.decisions().forEach(d -> out.add(ledger.decisionRecord(chain, d)));
        plan.screenings().forEach(s -> out.add(ledger.screeningRecord(s)));
        out.add(ledger.cursorRecord(chain, Math.max(next, plan.nextOffset())));
        ScreeningRunner.write(producer, ledger, out);
        plan.warnings().forEach(w -> LOG.warn("{}", w));
        for (Screening s : plan.screenings()) {
            metrics.entered(s.state());
            if (s.state() == Screening.State.OFFERED) {
                LOG.warn("retro-screening {} offered: {} new seed(s) {} picked up at block {}; blocks {}..{} were processed before they existed. "
                    + "Run it with: taintwatch retro run --id {}", s.id(), s.seeds().size(), s.addresses(), s.pickupBlock(), s.fromBlock(),
                    s.toBlock(), s.id());
            }
        }
    }

    private void execute(KafkaProducer<byte[], byte[]> producer, RetroLedger ledger, Screening s) {
        LOG.info("retro-screening {} running: blocks {}..{} for {}", s.id(), s.fromBlock(), s.toBlock(), s.addresses());
        metrics.started(s);
        try {
            ScreeningRunner.Result r = ScreeningRunner.replay(rs, s, b -> {
                if (!running) {
                    // stopping: leave the screening "running", the next start runs it again from its first block
                    throw new CancellationException("the service is stopping");
                }
                metrics.block();
            });
            ScreeningRunner.publish(producer, rs, ledger, s, r);
            metrics.entered(Screening.State.DONE);
            LOG.info("retro-screening {} done: {} blocks, {} legs, {} retroactive alerts; {} addresses still hold the new seeds' taint at block {}"
                + " (the live engine does not follow it: taintwatch replay --bootstrap ... --from {} follows it to the head)", s.id(), r.blocks(),
                r.legs(), r.alerts().size(), r.holders(), s.toBlock(), s.fromBlock());
        } catch (ProducerFencedException e) {
            throw e;
        } catch (CancellationException e) {
            LOG.info("retro-screening {} interrupted by the stop; it runs again at the next start", s.id());
        } catch (Exception e) {
            LOG.error("retro-screening {} failed: {}; retry with: taintwatch retro run --id {}", s.id(), e.getMessage(), s.id(), e);
            ScreeningRunner.write(producer, ledger, List.of(ledger.screeningRecord(s.withState(Screening.State.FAILED, 0, 0,
                String.valueOf(e.getMessage())))));
            metrics.entered(Screening.State.FAILED);
        } finally {
            metrics.finished();
        }
    }

    /**
     * A record of the seeds changelog: its key is the 20 address bytes, its value the seed of that address with its pickup
     * block (or none: a removal). Anything else was not written by the engine and goes to {@code <changelog>.dlq}, in the
     * transaction that moves the cursor past it.
     */
    static void seedRecord(ConsumerRecord<byte[], byte[]> r, List<RetroPlanner.SeedRecord> good, List<ProducerRecord<byte[], byte[]>> dead) {
        try {
            good.add(parse(r));
        } catch (RuntimeException e) {
            String reason = DeadLetterHandler.reason(e);
            LOG.error("bad record {}/{}@{} of the seeds changelog sent to {}: {}", r.topic(), r.partition(), r.offset(),
                PipelineTopics.dlq(r.topic()), reason);
            dead.add(DeadLetterHandler.deadLetter(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers(), reason));
        }
    }

    /** A changelog record as the engine writes it; anything else is an exception saying why it is not one. */
    static RetroPlanner.SeedRecord parse(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || r.key().length != 20) {
            throw new BadRecordException("key of " + (r.key() == null ? "no" : r.key().length) + " bytes, expected the 20 bytes of an address");
        }
        Address a = Address.of(r.key());
        if (r.value() == null) {
            return new RetroPlanner.SeedRecord(r.offset(), r.timestamp(), a, null);
        }
        io.taintwatch.taint.TaintEngine.ActiveSeed s = StateCodec.decodeSeed(r.value());
        if (!s.seed().address().equals(a)) {
            throw new BadRecordException("key " + a + " does not match the value's address " + s.seed().address());
        }
        return new RetroPlanner.SeedRecord(r.offset(), r.timestamp(), a, s);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }

    /** For logs and tests: the settings this screener runs with. */
    public RetroSettings settings() {
        return rs;
    }
}
