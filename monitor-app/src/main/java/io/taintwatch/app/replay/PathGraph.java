package io.taintwatch.app.replay;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The laundering graph of a replay: addresses as nodes, tainted amounts per (from, to, asset) as edges, built from
 * the paths attached to flows into terminal entities; when no path reached one, from all flows (the largest
 * {@code maxEdges} edges). Everything is sorted, so the same replay always gives the same graph and layout.
 */
public final class PathGraph {
    /** What a node is on the graph: a seed, a terminal entity, or an address in between. */
    public enum Role { SOURCE, TERMINAL, HOP }

    public record Node(Address address, Role role, String label, int layer, int row) {
    }

    public record Edge(Address from, Address to, Asset asset, BigInteger tainted, int legs) {
    }

    private final List<Node> nodes;
    private final List<Edge> edges;
    private final boolean fromPaths;
    private final int omittedEdges;

    private PathGraph(List<Node> nodes, List<Edge> edges, boolean fromPaths, int omittedEdges) {
        this.nodes = nodes;
        this.edges = edges;
        this.fromPaths = fromPaths;
        this.omittedEdges = omittedEdges;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Edge> edges() {
        return edges;
    }

    /** True when the graph holds the paths to terminal entities; false when it is the flow graph (no path reached one). */
    public boolean fromPaths() {
        return fromPaths;
    }

    public int omittedEdges() {
        return omittedEdges;
    }

    private record EdgeKey(Address from, Address to, Asset asset) implements Comparable<EdgeKey> {
        @Override
        public int compareTo(EdgeKey o) {
            int c = from.toString().compareTo(o.from.toString());
            if (c == 0) {
                c = to.toString().compareTo(o.to.toString());
            }
            return c != 0 ? c : asset.toString().compareTo(o.asset.toString());
        }
    }

    private record HopKey(String txHash, String position, Address from, Address to) {
    }

    public static PathGraph of(ReplayResult r, int maxEdges) {
        Map<Address, Entity> labels = new HashMap<>();
        r.settings().labels().forEach(e -> labels.put(e.address(), e));
        Map<Address, Seed> seeds = new HashMap<>();
        r.settings().seeds().forEach(s -> seeds.put(s.address(), s));

        TreeMap<EdgeKey, BigInteger[]> acc = new TreeMap<>();
        Set<Address> terminals = new HashSet<>();
        Set<HopKey> seen = new HashSet<>();
        for (TaintFlow f : r.flows()) {
            if (f.kind() != FlowKind.TERMINAL) {
                continue;
            }
            terminals.add(f.to());
            if (f.recipientEntity() != null) {
                labels.putIfAbsent(f.to(), f.recipientEntity());
            }
            for (TaintPath p : f.paths()) {
                for (PathHop h : p.hops()) {
                    // one leg on several paths (of one or more sources) counts once per source: key it by source too
                    if (seen.add(new HopKey(h.txHash() + "/" + p.sourceId(), h.position().toString(), h.from(), h.to()))) {
                        add(acc, new EdgeKey(h.from(), h.to(), h.asset()), h.tainted());
                    }
                }
            }
        }
        boolean fromPaths = !acc.isEmpty();
        if (!fromPaths) {
            for (TaintFlow f : r.flows()) {
                if (f.kind() == FlowKind.TERMINAL) {
                    terminals.add(f.to());
                }
                add(acc, new EdgeKey(f.from(), f.to(), f.asset()), f.taintedTotal());
            }
        }
        List<Edge> all = new ArrayList<>();
        acc.forEach((k, v) -> all.add(new Edge(k.from(), k.to(), k.asset(), v[0], v[1].intValueExact())));
        int omitted = 0;
        List<Edge> edges = all;
        if (all.size() > maxEdges) {
            List<Edge> largest = new ArrayList<>(all);
            largest.sort(Comparator.comparing(Edge::tainted).reversed()
                .thenComparing(e -> new EdgeKey(e.from(), e.to(), e.asset())));
            edges = new ArrayList<>(largest.subList(0, maxEdges));
            edges.sort(Comparator.comparing(e -> new EdgeKey(e.from(), e.to(), e.asset())));
            omitted = all.size() - maxEdges;
        }
        return new PathGraph(layout(edges, seeds, labels, terminals), List.copyOf(edges), fromPaths, omitted);
    }

    private static void add(TreeMap<EdgeKey, BigInteger[]> acc, EdgeKey k, BigInteger tainted) {
        BigInteger[] v = acc.computeIfAbsent(k, x -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        v[0] = v[0].add(tainted);
        v[1] = v[1].add(BigInteger.ONE);
    }

    /** Layers by shortest distance from a source (breadth first over the sorted edges); rows by role, then address. */
    private static List<Node> layout(List<Edge> edges, Map<Address, Seed> seeds, Map<Address, Entity> labels, Set<Address> terminals) {
        TreeMap<String, Address> all = new TreeMap<>();
        Map<Address, List<Address>> out = new HashMap<>();
        Set<Address> hasIn = new HashSet<>();
        for (Edge e : edges) {
            all.put(e.from().toString(), e.from());
            all.put(e.to().toString(), e.to());
            out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            hasIn.add(e.to());
        }
        Map<Address, Integer> layer = new HashMap<>();
        Deque<Address> queue = new ArrayDeque<>();
        for (Address a : all.values()) {
            if (seeds.containsKey(a) || !hasIn.contains(a)) {
                layer.put(a, 0);
                queue.add(a);
            }
        }
        while (!queue.isEmpty()) {
            Address a = queue.poll();
            for (Address b : out.getOrDefault(a, List.of())) {
                if (!layer.containsKey(b)) {
                    layer.put(b, layer.get(a) + 1);
                    queue.add(b);
                }
            }
        }
        for (Address a : all.values()) {
            layer.putIfAbsent(a, 0); // on a cycle not reached from a root
        }
        TreeMap<Integer, List<Address>> byLayer = new TreeMap<>();
        for (Address a : all.values()) {
            byLayer.computeIfAbsent(layer.get(a), k -> new ArrayList<>()).add(a);
        }
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<Integer, List<Address>> l : byLayer.entrySet()) {
            List<Address> col = l.getValue();
            col.sort(Comparator.comparing((Address a) -> role(a, seeds, terminals)).thenComparing(Address::toString));
            for (int i = 0; i < col.size(); i++) {
                Address a = col.get(i);
                nodes.add(new Node(a, role(a, seeds, terminals), label(a, seeds, labels), l.getKey(), i));
            }
        }
        return List.copyOf(nodes);
    }

    private static Role role(Address a, Map<Address, Seed> seeds, Set<Address> terminals) {
        return seeds.containsKey(a) ? Role.SOURCE : terminals.contains(a) ? Role.TERMINAL : Role.HOP;
    }

    private static String label(Address a, Map<Address, Seed> seeds, Map<Address, Entity> labels) {
        Seed s = seeds.get(a);
        if (s != null) {
            return s.sourceId() + " (" + s.category().label() + ")";
        }
        Entity e = labels.get(a);
        if (e != null) {
            return (e.name().isEmpty() ? e.category().label() : e.name()) + " (" + e.category().label() + ")";
        }
        return "";
    }
}
