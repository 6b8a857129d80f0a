package io.taintwatch.app.retro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.model.Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What retro-screening has decided, kept on the compacted {@code retro-screenings} topic (1 partition, written only in
 * transactions) and held in memory: per chain the next changelog offset to read ({@code cursor|<chain>}), one record
 * per seed address decided ({@code seed|<chain>|<address>}: baseline, not needed, or the screening that covers it),
 * and the latest state of every screening ({@code screening|<id>}). Decisions, screenings and the cursor are written in
 * one transaction, so after a restart nothing is decided twice and nothing is skipped.
 */
public final class RetroLedger {
    private static final Logger LOG = LoggerFactory.getLogger(RetroLedger.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String topic;
    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, Set<Address>> known = new HashMap<>();
    private final Map<String, Screening> screenings = new LinkedHashMap<>();

    public RetroLedger(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** Reads the whole topic (read_committed) into a ledger. */
    public static RetroLedger load(io.taintwatch.kafka.KafkaClients kafka, String topic) {
        RetroLedger l = new RetroLedger(topic);
        CompactedTopics.readAll(kafka, topic, l::apply);
        return l;
    }

    /** Applies one record of the topic; a record that cannot be read is skipped with an error naming its offset. */
    void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        try {
            applyValue(key, r.value());
        } catch (RuntimeException e) {
            LOG.error("skipping unreadable record {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), key, e.getMessage());
        }
    }

    void applyValue(String key, byte[] value) {
        String[] k = key.split("\\|");
        switch (k[0]) {
            case "cursor" -> {
                if (value == null) {
                    cursors.remove(k[1]);
                } else {
                    cursors.put(k[1], node(value).path("offset").asLong());
                }
            }
            case "seed" -> {
                Address a = Address.parse(k[2]);
                if (value == null) {
                    known.getOrDefault(k[1], new HashSet<>()).remove(a);
                } else {
                    known.computeIfAbsent(k[1], x -> new HashSet<>()).add(a);
                }
            }
            case "screening" -> {
                if (value == null) {
                    screenings.remove(k[1]);
                } else {
                    Screening s = Screening.parse(value);
                    screenings.put(s.id(), s);
                }
            }
            default -> throw new IllegalArgumentException("unknown key kind '" + k[0] + "'");
        }
    }

    private static JsonNode node(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** The next changelog offset to read for a chain; null before the chain's first start. */
    public Long cursor(String chain) {
        return cursors.get(chain);
    }

    public Set<Address> known(String chain) {
        return Set.copyOf(known.getOrDefault(chain, Set.of()));
    }

    public Screening screening(String id) {
        return screenings.get(id);
    }

    /** Every screening, oldest pickup first. */
    public List<Screening> screenings() {
        List<Screening> out = new ArrayList<>(screenings.values());
        out.sort(Comparator.comparing(Screening::chain).thenComparingLong(Screening::pickupBlock).thenComparing(Screening::id));
        return out;
    }

    // ---- records to write (the caller sends them in one transaction, then applies them here)

    public ProducerRecord<byte[], byte[]> cursorRecord(String chain, long offset) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("offset", offset);
        return record("cursor|" + chain, n);
    }

    public ProducerRecord<byte[], byte[]> decisionRecord(String chain, RetroPlanner.Decision d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("address", d.address().toString());
        n.put("outcome", d.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        n.put("pickupBlock", d.pickupBlock());
        n.put("screening", d.screeningId());
        n.put("reason", d.reason());
        return record("seed|" + chain + "|" + d.address(), n);
    }

    public ProducerRecord<byte[], byte[]> screeningRecord(Screening s) {
        return new ProducerRecord<>(topic, bytes("screening|" + s.id()), s.toJson());
    }

    private ProducerRecord<byte[], byte[]> record(String key, ObjectNode value) {
        try {
            return new ProducerRecord<>(topic, bytes(key), MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies records this process wrote to the ledger's topic (after their transaction committed; it may hold dead letters too). */
    public void applyWritten(Collection<ProducerRecord<byte[], byte[]>> written) {
        for (ProducerRecord<byte[], byte[]> r : written) {
            if (r.topic().equals(topic)) {
                applyValue(new String(r.key(), StandardCharsets.UTF_8), r.value());
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
