package io.taintwatch.app.retro;

import io.taintwatch.alerts.AlertJson;
import io.taintwatch.app.replay.BlockFeed;
import io.taintwatch.app.replay.ReplayResult;
import io.taintwatch.app.replay.ReplayRun;
import io.taintwatch.app.replay.ReplaySettings;
import io.taintwatch.app.replay.TopicFeed;
import io.taintwatch.encoding.AddressKeys;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintEngine.ActiveSeed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import io.taintwatch.model.Block;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one retro-screening with the replay machinery: a {@link TopicFeed} over {@code fromBlock..toBlock} of the
 * retained {@code blocks.<chain>} into a {@link ReplayRun} (the live engine and alert rules, in memory), with the new
 * seeds, the rest of the watchlist as the live engine holds it now (each seed from the block it took effect at) and
 * the labels as they are now. Then publishes the retroactive alerts to the alerts topic and marks the screening done,
 * in one transaction.
 */
public final class ScreeningRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ScreeningRunner.class);
    /** Suffix of the replay-only source id of an old seed that shares its source id with a new seed. */
    static final String LIVE_ALIAS = "~live";

    /**
     * What a screening produced: the retroactive alerts (final versions, sorted by id) and counts; {@code holders} are
     * the addresses still holding the new seeds' taint after the range (the live engine does not follow that taint).
     */
    public record Result(List<Alert> alerts, long blocks, long legs, long flows, long holders) {}

    private ScreeningRunner() {}

    /** The replay's seeds: the new ones as they are, the live engine's others from the block each took effect at. */
    record Prepared(List<Seed> seeds, Map<String, String> aliases) {}

    static Prepared prepare(Screening s, Collection<ActiveSeed> live) {
        Set<Address> fresh = Set.copyOf(s.addresses());
        Set<String> freshSources = s.seeds().stream().map(n -> n.seed().sourceId()).collect(Collectors.toSet());
        List<Seed> seeds = new ArrayList<>(RetroAlerts.newSeeds(s));
        Map<String, String> aliases = new HashMap<>();
        for (ActiveSeed a : live) {
            Seed old = a.seed();
            if (fresh.contains(old.address())) {
                continue;
            }
            String sid = old.sourceId();
            if (freshSources.contains(sid)) {
                // an older address of the same party: the live engine followed its taint already. Under its own
                // replay-only id its taint stays apart from the new address's, so only the new address's is alerted.
                aliases.put(sid + LIVE_ALIAS, sid);
                sid = sid + LIVE_ALIAS;
            }
            seeds.add(new Seed(old.address(), sid, old.category(), a.effectiveFrom(), old.reference()));
        }
        return new Prepared(seeds, aliases);
    }

    /** Runs a screening against the deployment (each block, once processed, is handed to {@code progress}): its seeds changelog, labels topic and retained blocks topic. */
    public static Result replay(RetroSettings rs, Screening s, Consumer<Block> progress) throws Exception {
        Prepared p = prepare(s, liveSeeds(rs).values());
        ReplaySettings settings = new ReplaySettings(rs.chain(), rs.taint(), p.seeds(), labels(rs), rs.nativeSymbol(), rs.nativeDecimals(),
            rs.rules());
        return run(settings, s, p.aliases(), new TopicFeed(rs.kafka(), rs.chain(), s.fromBlock(), s.toBlock()), progress);
    }

    /** The replay itself, over any feed of the screening's blocks. */
    static Result run(ReplaySettings settings, Screening s, Map<String, String> aliases, BlockFeed feed, Consumer<Block> progress) throws Exception {
        RetroAlerts retro = new RetroAlerts(s, aliases);
        ReplayRun run = new ReplayRun(settings, retro);
        feed.run(b -> {
            run.accept(b);
            progress.accept(b);
        });
        ReplayResult r = run.result();
        if (r.blocks() > 0 && r.lastBlock() < s.toBlock()) {
            LOG.warn("retro-screening {}: {} holds blocks up to {} only; asked for {}", s.id(), settings.chain().blocksTopic(), r.lastBlock(),
                s.toBlock());
        }
        Set<String> freshSources = s.seeds().stream().map(n -> n.seed().sourceId()).collect(Collectors.toSet());
        List<Alert> alerts = r.alerts().stream().map(retro::toRetro).sorted(java.util.Comparator.comparing(Alert::id)).toList();
        return new Result(alerts, r.blocks(), r.legs(), r.flows().size(), run.holders(freshSources));
    }

    /**
     * Publishes the alerts and the screening's {@code done} record in one transaction: a consumer reading committed
     * records sees both or neither, so a crash in between re-runs the screening and publishes the same alerts once.
     */
    public static Screening publish(KafkaProducer<byte[], byte[]> producer, RetroSettings rs, RetroLedger ledger, Screening s, Result r) {
        Screening done = s.withState(Screening.State.DONE, r.blocks(), r.alerts().size(), "");
        List<ProducerRecord<byte[], byte[]>> state = List.of(ledger.screeningRecord(done));
        producer.beginTransaction();
        try {
            for (Alert a : r.alerts()) {
                producer.send(new ProducerRecord<>(rs.alertsTopic(), a.id().getBytes(StandardCharsets.UTF_8), AlertJson.toBytes(a)));
            }
            state.forEach(producer::send);
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abort(producer);
            throw e;
        }
        ledger.applyWritten(state);
        return done;
    }

    /** Writes records in one transaction and applies them to the ledger. */
    static void write(KafkaProducer<byte[], byte[]> producer, RetroLedger ledger, List<ProducerRecord<byte[], byte[]>> records) {
        producer.beginTransaction();
        try {
            records.forEach(producer::send);
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abort(producer);
            throw e;
        }
        ledger.applyWritten(records);
    }

    private static void abort(KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException ignored) {
            // fenced or closed: the transaction is void either way
        }
    }

    /** The live engine's seeds now: its {@code taint-seeds} changelog read to the end (key = 20 address bytes). */
    static Map<Address, ActiveSeed> liveSeeds(RetroSettings rs) {
        Map<Address, ActiveSeed> m = new TreeMap<>(java.util.Comparator.comparing(Address::toString));
        CompactedTopics.readAll(rs.kafka(), rs.seedsChangelog(), r -> {
            RetroPlanner.SeedRecord s;
            try {
                s = RetroScreener.parse(r);
            } catch (RuntimeException e) {
                // the screener following this changelog dead-letters it (RetroScreener.seedRecord)
                LOG.warn("retro-screening: skipping bad seed record {}-{}@{} ({}.dlq): {}", r.topic(), r.partition(), r.offset(), r.topic(), e.getMessage());
                return;
            }
            if (s.active() == null) {
                m.remove(s.address());
            } else {
                m.put(s.address(), s.active());
            }
        });
        return m;
    }

    /**
     * The labels of the screened chain's kind now, from the compacted labels topic (keyed by the address in its chains' form;
     * a record that does not read is skipped with a warning).
     */
    static List<Entity> labels(RetroSettings rs) {
        Map<String, Entity> m = new TreeMap<>();
        CompactedTopics.readAll(rs.kafka(), rs.labelsTopic(), r -> {
            if (r.key() == null) {
                return;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8).strip();
            try {
                if (r.value() == null) {
                    m.remove(AddressKeys.storeKey(key));
                    return;
                }
                Entity e = Json.parseEntity(r.value());
                AddressKeys.matching(key, e.address(), e.kind());
                m.put(e.key(), e);
            } catch (RuntimeException e) {
                // the taint engine of this chain reads the same record and dead-letters it to labels.dlq
                LOG.warn("retro-screening: skipping bad label {}-{}@{} (dead-lettered by the taint engine): {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            }
        });
        return m.values().stream().filter(e -> e.appliesTo(rs.chain())).toList();
    }
}
