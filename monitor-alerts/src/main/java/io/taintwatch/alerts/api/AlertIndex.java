package io.taintwatch.alerts.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSource;
import io.taintwatch.model.Severity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The latest version of every alert, for the HTTP API and the SSE stream. Each update gets the next sequence
 * number: lists are newest update first and page by sequence (a stable cursor), and the SSE stream uses it as
 * the event id so a client can resume with {@code Last-Event-ID}. Bounded: the least recently updated alerts go first.
 */
public final class AlertIndex {
    /** One indexed alert version with its JSON as published. */
    public record Entry(long seq, Alert alert, String json) {}

    /** List filters; empty sets and nulls mean "any". Times are block timestamps (unix seconds) of the latest leg. */
    public record Query(Set<Severity> severities, Set<AlertRule> rules, Set<String> chains, Address address, Long fromTime,
                        Long toTime, int limit, Long before) {
        public Query {
            severities = severities == null ? Set.of() : Set.copyOf(severities);
            rules = rules == null ? Set.of() : Set.copyOf(rules);
            chains = chains == null ? Set.of() : Set.copyOf(chains);
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be 1..1000");
            }
        }

        boolean matches(Alert a) {
            return (severities.isEmpty() || severities.contains(a.severity()))
                && (rules.isEmpty() || rules.contains(a.rule()))
                && (chains.isEmpty() || chains.contains(a.chain().name()))
                && (address == null || involves(a, address))
                && (fromTime == null || a.lastSeen().blockTimestamp() >= fromTime)
                && (toTime == null || a.lastSeen().blockTimestamp() < toTime);
        }

        private static boolean involves(Alert a, Address x) {
            if (x.equals(a.subject()) || x.equals(a.from()) || x.equals(a.to())) {
                return true;
            }
            for (AlertSource s : a.sources()) {
                if (x.equals(s.address())) {
                    return true;
                }
            }
            return a.path() != null && a.path().hops().stream().anyMatch(h -> x.equals(h.from()) || x.equals(h.to()));
        }
    }

    /** A page of results, newest first; {@code next} is the cursor for the following page or null at the end. */
    public record Page(List<Entry> entries, Long next) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int max;
    private final Map<String, Entry> byId = new HashMap<>();
    private final TreeMap<Long, Entry> bySeq = new TreeMap<>();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    private long seq;

    public AlertIndex(int maxAlerts) {
        this.max = maxAlerts;
    }

    /**
     * Adds a version; an older or equal version of a known id is ignored (re-reading the topic is harmless). The JSON is
     * kept compact (re-serialised): a line break in it would end an SSE {@code data:} line early.
     */
    public void put(Alert a, String json) {
        String compact = compact(a, json);
        Entry e;
        synchronized (this) {
            Entry old = byId.get(a.id());
            if (old != null && old.alert().version() >= a.version()) {
                return;
            }
            if (old != null) {
                bySeq.remove(old.seq());
            }
            e = new Entry(++seq, a, compact);
            byId.put(a.id(), e);
            bySeq.put(e.seq(), e);
            while (byId.size() > max) {
                Entry oldest = bySeq.pollFirstEntry().getValue();
                byId.remove(oldest.alert().id());
            }
        }
        for (Consumer<Entry> l : listeners) {
            l.accept(e);
        }
    }

    private static String compact(Alert a, String json) {
        try {
            return MAPPER.readTree(json).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("alert " + a.id() + ": JSON is not valid: " + e.getOriginalMessage(), e);
        }
    }

    public synchronized Optional<Entry> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized int size() {
        return byId.size();
    }

    public synchronized Page list(Query q) {
        List<Entry> out = new ArrayList<>();
        Map<Long, Entry> view = q.before() == null ? bySeq.descendingMap() : bySeq.headMap(q.before(), false).descendingMap();
        Long next = null;
        for (Entry e : view.values()) {
            if (!q.matches(e.alert())) {
                continue;
            }
            if (out.size() == q.limit()) {
                next = out.get(out.size() - 1).seq();
                break;
            }
            out.add(e);
        }
        return new Page(out, next);
    }

    /** Entries updated after {@code seq}, oldest first (SSE resume). */
    public synchronized List<Entry> after(long afterSeq) {
        return new ArrayList<>(bySeq.tailMap(afterSeq, false).values());
    }

    /** Calls the listener for every later update until the returned handle is closed. */
    public AutoCloseable subscribe(Consumer<Entry> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
