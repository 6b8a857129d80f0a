package io.taintwatch.topology;

import io.taintwatch.encoding.AddressKeys;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the reference data (seeds, labels, tokens) to every chain's engine task. Kafka Streams lets one source read a
 * topic, so the single-partition reference topics are read by this one task, which forwards each record unchanged,
 * with the topic it came from ({@link TaintTopology#REFERENCE_TOPIC_HEADER}), to each chain's repartition topic, in the
 * order it read them.
 *
 * <p>It keeps the latest record of every key (of every address for seeds and labels, whatever case the key is written
 * in), tombstones included ({@code taint-reference}), and which chains it has introduced ({@code taint-reference-chains}). A chain it does not know yet (a new deployment, a chain added to the
 * configuration) is introduced with that snapshot, oldest record first, before anything else is forwarded to it: its
 * engine starts from the reference data as it stands, as it would reading the compacted topics from their beginning.
 * A chain whose engine ran as its own application ({@link ReferencePositions}) is forwarded only the records from the
 * positions that application had reached: its engine has applied those before them.
 */
final class ReferenceFanOut implements Processor<String, ReferenceFanOut.Checked, String, ReferenceFanOut.Routed> {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceFanOut.class);
    private static final byte TOMBSTONE = 0;
    private static final byte VALUE = 1;

    /** A reference record as read: its decoded value (checked: an undecodable record never gets here) and its bytes. */
    record Checked(Object value, byte[] bytes) {}

    /** A record for one chain's engine. */
    record Routed(String chain, byte[] bytes) {}

    private final List<String> chains;
    private final ReferencePositions positions;
    private final String watchlistTopic;
    private final String labelsTopic;
    private ProcessorContext<String, Routed> context;
    private TimestampedKeyValueStore<String, byte[]> latest;
    private KeyValueStore<String, String> introduced;
    /** Per introduced chain: the first offset per topic it is forwarded (absent: every record). */
    private final Map<String, Map<String, Long>> from = new LinkedHashMap<>();
    private final List<String> pending = new ArrayList<>();
    private Cancellable introduction;

    ReferenceFanOut(List<String> chains, ReferencePositions positions, String watchlistTopic, String labelsTopic) {
        this.chains = List.copyOf(chains);
        this.positions = positions;
        this.watchlistTopic = watchlistTopic;
        this.labelsTopic = labelsTopic;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.latest = context.getStateStore(TaintTopology.REFERENCE_STORE);
        this.introduced = context.getStateStore(TaintTopology.REFERENCE_CHAINS_STORE);
        List<String> gone = new ArrayList<>();
        try (KeyValueIterator<String, String> it = introduced.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                if (chains.contains(kv.key)) {
                    from.put(kv.key, decodePositions(kv.value));
                } else {
                    gone.add(kv.key);
                }
            }
        }
        // a chain taken out of the configuration is introduced afresh if it comes back: it missed what came meanwhile
        gone.forEach(introduced::delete);
        for (String chain : chains) {
            if (!from.containsKey(chain)) {
                pending.add(chain);
            }
        }
        if (!pending.isEmpty()) {
            // records cannot be forwarded from init: the first record or the first punctuation introduces them
            introduction = context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, t -> introducePending());
        }
    }

    @Override
    public void process(Record<String, Checked> record) {
        introducePending();
        RecordMetadata m = context.recordMetadata().orElseThrow();
        String topic = m.topic();
        Checked c = record.value();
        // a key that is not an address, names another than the value's or is written for another kind of chain is refused
        // here, where the record was read (dead-lettered with its topic, partition and offset), not in every chain's task
        if (topic.equals(watchlistTopic)) {
            Seed s = c == null ? null : (Seed) c.value();
            AddressKeys.matching(record.key(), s == null ? null : s.address(), s == null ? null : s.kind());
        } else if (topic.equals(labelsTopic)) {
            Entity e = c == null ? null : (Entity) c.value();
            AddressKeys.matching(record.key(), e == null ? null : e.address(), e == null ? null : e.kind());
        }
        byte[] bytes = c == null ? null : c.bytes();
        // an address's records under one key whatever case or form the producer wrote it in: the latest one wins
        String key = topic.equals(watchlistTopic) || topic.equals(labelsTopic) ? AddressKeys.storeKey(record.key()) : record.key();
        latest.put(storeKey(topic, key, m.offset()), ValueAndTimestamp.make(encode(bytes), record.timestamp()));
        Headers headers = withTopic(record.headers(), topic);
        for (Map.Entry<String, Map<String, Long>> e : from.entrySet()) {
            if (m.offset() >= e.getValue().getOrDefault(topic, 0L)) {
                context.forward(new Record<>(record.key(), new Routed(e.getKey(), bytes), record.timestamp(), headers));
            }
        }
    }

    /** Forwards the snapshot to each chain not introduced yet, then records it as introduced. */
    private void introducePending() {
        if (pending.isEmpty()) {
            return;
        }
        List<Snapshot> snapshot = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<byte[]>> it = latest.all()) {
            while (it.hasNext()) {
                KeyValue<String, ValueAndTimestamp<byte[]>> kv = it.next();
                snapshot.add(new Snapshot(kv.key, kv.value.value(), kv.value.timestamp()));
            }
        }
        // oldest first, as the topics had them: the engine task orders them against the chain's blocks by timestamp
        snapshot.sort(Comparator.comparingLong(Snapshot::timestamp).thenComparing(Snapshot::storeKey));
        for (String chain : pending) {
            for (Snapshot s : snapshot) {
                int sep = s.storeKey().indexOf('\u0000');
                String topic = s.storeKey().substring(0, sep);
                String key = s.storeKey().charAt(sep + 1) == '=' ? s.storeKey().substring(sep + 2) : null;
                context.forward(new Record<>(key, new Routed(chain, decode(s.value())), s.timestamp(), withTopic(new RecordHeaders(), topic)));
            }
            Map<String, Long> start = positions.of(chain);
            from.put(chain, start);
            introduced.put(chain, encodePositions(start));
            LOG.info("reference data: chain {} introduced with {} records{}", chain, snapshot.size(),
                start.isEmpty() ? "" : ", then forwarded from the positions its own application had reached " + start);
        }
        pending.clear();
        if (introduction != null) {
            introduction.cancel();
            introduction = null;
        }
    }

    private record Snapshot(String storeKey, byte[] value, long timestamp) {}

    /**
     * {@code <topic> NUL =<key>}; a record without a key is kept under its offset ({@code #<offset>}), so that it is
     * neither lost nor replaced by another keyless record.
     */
    static String storeKey(String topic, String key, long offset) {
        return topic + '\u0000' + (key == null ? "#" + offset : "=" + key);
    }

    private static byte[] encode(byte[] value) {
        if (value == null) {
            return new byte[] {TOMBSTONE};
        }
        byte[] out = new byte[value.length + 1];
        out[0] = VALUE;
        System.arraycopy(value, 0, out, 1, value.length);
        return out;
    }

    private static byte[] decode(byte[] stored) {
        return stored[0] == TOMBSTONE ? null : java.util.Arrays.copyOfRange(stored, 1, stored.length);
    }

    private static Headers withTopic(Headers in, String topic) {
        Headers h = new RecordHeaders(in.toArray());
        h.remove(TaintTopology.REFERENCE_TOPIC_HEADER);
        h.add(TaintTopology.REFERENCE_TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    static String encodePositions(Map<String, Long> positions) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(positions).forEach((t, o) -> sb.append(sb.isEmpty() ? "" : "\n").append(t).append('=').append(o));
        return sb.toString();
    }

    static Map<String, Long> decodePositions(String s) {
        Map<String, Long> out = new TreeMap<>();
        for (String line : s.split("\n")) {
            if (!line.isEmpty()) {
                int eq = line.lastIndexOf('=');
                out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        return out;
    }
}
