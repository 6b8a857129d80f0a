package io.taintwatch.alerts.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.alerts.cases.AlertCase;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSource;
import io.taintwatch.model.AlertStatus;
import io.taintwatch.model.AlertTotal;
import io.taintwatch.model.Severity;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The latest version of every alert, for the HTTP API and the SSE stream, with a short summary of each version seen.
 * Each update gets the next sequence number: lists are newest update first and page by sequence (a stable cursor),
 * and the SSE stream uses it as the event id so a client can resume with {@code Last-Event-ID}. Bounded: the least
 * recently updated alerts go first.
 */
public final class AlertIndex {
    /** One indexed alert version with its JSON as published. */
    public record Entry(long seq, Alert alert, String json) {}

    /** Versions summarised per alert; older ones are dropped (the export says how many were seen). */
    public static final int MAX_VERSIONS = 200;

    /** How a list is ordered; {@code UPDATED} pages by a stable cursor, the others by position. */
    public enum Sort {
        UPDATED, SEVERITY, AMOUNT, FIRST_SEEN;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Sort fromLabel(String s) {
            for (Sort v : values()) {
                if (v.label().equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("expected updated, severity, amount or first-seen");
        }
    }

    /**
     * List filters; empty sets and nulls mean "any". Times are block timestamps (unix seconds) of the latest leg;
     * {@code statuses} and {@code assignee} are the case's ({@code assignee} "-" means unassigned); {@code source} a
     * source id; {@code minTainted} the alert's total tainted amount of its asset in human units. {@code before} is the
     * cursor for {@link Sort#UPDATED}, {@code offset} the position for the other orders.
     */
    public record Query(Set<Severity> severities, Set<AlertRule> rules, Set<String> chains, Address address, Long fromTime,
                        Long toTime, int limit, Long before, Set<AlertStatus> statuses, String assignee, String source,
                        BigDecimal minTainted, Sort sort, int offset) {
        public Query {
            severities = severities == null ? Set.of() : Set.copyOf(severities);
            rules = rules == null ? Set.of() : Set.copyOf(rules);
            chains = chains == null ? Set.of() : Set.copyOf(chains);
            statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
            sort = sort == null ? Sort.UPDATED : sort;
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be 1..1000");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative");
            }
        }

        /** The filters of the first API version: no case filters, newest update first. */
        public Query(Set<Severity> severities, Set<AlertRule> rules, Set<String> chains, Address address, Long fromTime, Long toTime, int limit,
                     Long before) {
            this(severities, rules, chains, address, fromTime, toTime, limit, before, null, null, null, null, null, 0);
        }

        boolean matches(Alert a, AlertCase c) {
            return (severities.isEmpty() || severities.contains(a.severity()))
                && (rules.isEmpty() || rules.contains(a.rule()))
                && (chains.isEmpty() || chains.contains(a.chain().name()))
                && (address == null || involves(a, address))
                && (fromTime == null || a.lastSeen().blockTimestamp() >= fromTime)
                && (toTime == null || a.lastSeen().blockTimestamp() < toTime)
                && (statuses.isEmpty() || statuses.contains(c.statusFor(a.version())))
                && (assignee == null || (assignee.equals("-") ? c.assignee() == null : assignee.equals(c.assignee())))
                && (source == null || a.sources().stream().anyMatch(s -> source.equals(s.sourceId())))
                && (minTainted == null || totalTainted(a).compareTo(minTainted) >= 0);
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

    /** The alert's total tainted amount of its own asset, in human units. */
    static BigDecimal totalTainted(Alert a) {
        for (AlertTotal t : a.totals()) {
            if (t.asset().equals(a.asset())) {
                return new BigDecimal(t.tainted().formatted());
            }
        }
        return new BigDecimal(a.tainted().formatted());
    }

    /** A page of results; {@code next} is the cursor for the following page or null at the end. */
    public record Page(List<Entry> entries, String next) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Comparator<Entry> BY_SEVERITY = Comparator.comparing((Entry e) -> e.alert().severity()).reversed()
        .thenComparing(Comparator.comparingLong(Entry::seq).reversed());
    private static final Comparator<Entry> BY_AMOUNT = Comparator.comparing((Entry e) -> totalTainted(e.alert())).reversed()
        .thenComparing(Comparator.comparingLong(Entry::seq).reversed());
    private static final Comparator<Entry> BY_FIRST_SEEN = Comparator.comparingLong((Entry e) -> e.alert().firstSeen().blockTimestamp())
        .reversed().thenComparing(Comparator.comparingLong(Entry::seq).reversed());

    private final int max;
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Deque<ObjectNode>> versions = new HashMap<>();
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
            Deque<ObjectNode> vs = versions.computeIfAbsent(a.id(), k -> new ArrayDeque<>());
            vs.addLast(versionSummary(a));
            if (vs.size() > MAX_VERSIONS) {
                vs.removeFirst();
            }
            while (byId.size() > max) {
                Entry oldest = bySeq.pollFirstEntry().getValue();
                byId.remove(oldest.alert().id());
                versions.remove(oldest.alert().id());
            }
        }
        for (Consumer<Entry> l : listeners) {
            l.accept(e);
        }
    }

    private static ObjectNode versionSummary(Alert a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("version", a.version());
        n.put("severity", a.severity().label());
        n.put("legId", a.legId());
        n.put("block", a.position().block());
        n.put("blockTimestamp", a.blockTimestamp());
        n.put("txHash", a.txHash().toString());
        n.put("from", a.chain().format(a.from()));
        n.put("to", a.chain().format(a.to()));
        n.set("amount", io.taintwatch.alerts.AlertJson.amount(a.amount()));
        n.set("tainted", io.taintwatch.alerts.AlertJson.amount(a.tainted()));
        n.put("sharePpm", a.sharePpm());
        n.put("count", a.count());
        return n;
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

    /** Summaries of the versions seen of one alert, oldest first (at most {@link #MAX_VERSIONS}). */
    public synchronized List<ObjectNode> versions(String id) {
        Deque<ObjectNode> vs = versions.get(id);
        return vs == null ? List.of() : List.copyOf(vs);
    }

    public synchronized int size() {
        return byId.size();
    }

    /** Every latest version, in no particular order (metrics over all alerts). */
    public synchronized List<Entry> all() {
        return new ArrayList<>(byId.values());
    }

    /** A page without case filters (every alert counts as never acted on). */
    public Page list(Query q) {
        return list(q, AlertCase::none);
    }

    /** A page of the alerts matching {@code q}, given each alert's case. */
    public synchronized Page list(Query q, Function<String, AlertCase> cases) {
        if (q.sort() == Sort.UPDATED) {
            List<Entry> out = new ArrayList<>();
            Map<Long, Entry> view = q.before() == null ? bySeq.descendingMap() : bySeq.headMap(q.before(), false).descendingMap();
            String next = null;
            for (Entry e : view.values()) {
                if (!q.matches(e.alert(), cases.apply(e.alert().id()))) {
                    continue;
                }
                if (out.size() == q.limit()) {
                    next = Long.toString(out.get(out.size() - 1).seq());
                    break;
                }
                out.add(e);
            }
            return new Page(out, next);
        }
        List<Entry> all = new ArrayList<>();
        for (Entry e : bySeq.values()) {
            if (q.matches(e.alert(), cases.apply(e.alert().id()))) {
                all.add(e);
            }
        }
        all.sort(switch (q.sort()) {
            case SEVERITY -> BY_SEVERITY;
            case AMOUNT -> BY_AMOUNT;
            default -> BY_FIRST_SEEN;
        });
        int from = Math.min(q.offset(), all.size());
        int to = Math.min(from + q.limit(), all.size());
        return new Page(List.copyOf(all.subList(from, to)), to < all.size() ? q.sort().label() + ":" + to : null);
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
