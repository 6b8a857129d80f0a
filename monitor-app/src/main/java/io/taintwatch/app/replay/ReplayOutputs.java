package io.taintwatch.app.replay;

import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.MemoryLookups;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertLookalike;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.model.TokenStatus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a replay's six files into the output directory: {@code alerts.jsonl}, {@code flows.jsonl},
 * {@code paths.csv}, {@code paths.dot}, {@code skipped.csv} and {@code report.html}. Nothing in them depends on the
 * clock, the host or hash-map order, so the same input gives byte-identical files.
 */
public final class ReplayOutputs {
    public static final List<String> FILES = List.of("alerts.jsonl", "flows.jsonl", "paths.csv", "paths.dot", "skipped.csv", "report.html");
    /** The graph drawn and written as Graphviz is cut to the largest edges beyond this. */
    public static final int MAX_GRAPH_EDGES = 400;
    static final String PATHS_HEADER = "path,source_id,source,terminal,terminal_name,terminal_category,complete,hop,block,tx_index,"
        + "sub_index,tx_hash,from,to,asset,amount,tainted,symbol,decimals";
    static final String SKIPPED_HEADER = "block,tx_index,sub_index,tx_hash,from,to,asset,symbol,name,amount,amount_formatted,skip_reason,"
        + "asset_status,asset_reason,lookalike_of,lookalike_holder";

    private ReplayOutputs() {}

    public static void write(ReplayResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        PathGraph graph = PathGraph.of(r, MAX_GRAPH_EDGES);
        try (OutputStream out = Files.newOutputStream(dir.resolve("alerts.jsonl"))) {
            for (Alert a : r.alerts()) {
                out.write(AlertJson.toBytes(a));
                out.write('\n');
            }
        }
        Map<Address, AlertLookalike> lookalikes = lookalikes(r);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve("flows.jsonl")), 1 << 16)) {
            for (TaintFlow f : r.flows()) {
                out.write(f.kind() == FlowKind.SKIPPED ? skippedFlow(r, f, lookalikes.get(f.to())) : Json.flowBytes(f));
                out.write('\n');
            }
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("skipped.csv"), StandardCharsets.UTF_8)) {
            writeSkippedCsv(r, lookalikes, w);
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("paths.csv"), StandardCharsets.UTF_8)) {
            writePathsCsv(r, w);
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("paths.dot"), StandardCharsets.UTF_8)) {
            writeDot(r, graph, w);
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("report.html"), StandardCharsets.UTF_8)) {
            HtmlReport.write(r, graph, w);
        }
    }

    /** One row per hop of every path into a terminal entity; {@code path} numbers the paths from 1 in flow order. */
    static void writePathsCsv(ReplayResult r, Writer w) throws IOException {
        ChainKind k = r.settings().chain().kind();
        w.write(PATHS_HEADER);
        w.write('\n');
        int path = 0;
        for (TaintFlow f : r.flows()) {
            if (f.kind() != FlowKind.TERMINAL) {
                continue;
            }
            Entity t = f.recipientEntity();
            for (TaintPath p : f.paths()) {
                path++;
                int hop = 0;
                for (PathHop h : p.hops()) {
                    hop++;
                    w.write(String.join(",", Integer.toString(path), csv(p.sourceId()), k.format(p.source()), k.format(f.to()),
                        csv(t == null ? "" : t.name()), t == null ? "" : t.category().label(), Boolean.toString(p.complete()),
                        Integer.toString(hop), Long.toString(h.position().block()), Integer.toString(h.position().txIndex()),
                        Integer.toString(h.position().subIndex()), String.valueOf(h.txHash()), k.format(h.from()), k.format(h.to()),
                        assetName(r, h.asset()), h.amount().toString(), h.tainted().toString(), csv(meta(r, h.asset()).symbol()),
                        meta(r, h.asset()).known() ? Integer.toString(meta(r, h.asset()).decimals()) : ""));
                    w.write('\n');
                }
            }
        }
    }

    static void writeDot(ReplayResult r, PathGraph g, Writer w) throws IOException {
        ChainKind k = r.settings().chain().kind();
        w.write("// taintwatch replay: " + (g.fromPaths() ? "paths into terminal entities" : "taint flows (no path reached a terminal entity)")
            + (g.omittedEdges() > 0 ? "; " + g.omittedEdges() + " smaller edges omitted" : "") + "\n");
        w.write("digraph taint {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
        for (PathGraph.Node n : g.nodes()) {
            String style = switch (n.role()) {
                case SOURCE -> ", style=filled, fillcolor=\"#f4cccc\"";
                case TERMINAL -> ", style=filled, fillcolor=\"#cfe2f3\"";
                case HOP -> "";
            };
            String a = k.format(n.address());
            String label = n.label().isEmpty() ? a : a + "\\n" + dotEscape(n.label());
            w.write("  \"" + a + "\" [label=\"" + label + "\"" + style + "];\n");
        }
        for (PathGraph.Edge e : g.edges()) {
            w.write("  \"" + k.format(e.from()) + "\" -> \"" + k.format(e.to()) + "\" [label=\"" + amount(r, e.asset(), e.tainted()) + " "
                + assetName(r, e.asset())
                + (e.legs() > 1 ? " (" + e.legs() + " legs)" : "") + "\"];\n");
        }
        w.write("}\n");
    }

    /** {@code native} or the token contract (with {@code /id} for an NFT) in the chain's address form, as the flows file writes it. */
    static String assetName(ReplayResult r, Asset a) {
        return r.settings().chain().kind().format(a);
    }

    /**
     * A human amount: in whole units and the symbol where the registry knows the asset's decimals (exact, no rounding;
     * {@code (unverified)} or {@code (counterfeit)} after a token that is not verified); else base units.
     */
    static String amount(ReplayResult r, Asset asset, BigInteger raw) {
        TokenAmount t = MemoryLookups.amount(r.tokens(), asset, raw);
        if (!t.known()) {
            return raw.toString();
        }
        String status = t.status() == null || t.status() == TokenStatus.VERIFIED ? "" : " (" + t.status().label() + ")";
        return t.formatted() + (t.symbol().isEmpty() ? "" : " " + t.symbol()) + status;
    }

    /** Symbol, decimals and status of an asset as the replay's registry knows it. */
    static TokenAmount meta(ReplayResult r, Asset asset) {
        return MemoryLookups.amount(r.tokens(), asset, BigInteger.ZERO);
    }

    /** The recipients the replay's {@code address-poisoning} alerts flagged, with their evidence (the first alert by id wins). */
    static Map<Address, AlertLookalike> lookalikes(ReplayResult r) {
        Map<Address, AlertLookalike> m = new TreeMap<>();
        for (Alert a : r.alerts()) {
            if (a.rule() == AlertRule.ADDRESS_POISONING && a.lookalike() != null) {
                m.putIfAbsent(a.lookalike().address(), a.lookalike());
            }
        }
        return m;
    }

    /**
     * A skipped flow as {@code flows.jsonl} writes it: the engine's JSON and what the replay knows besides, the asset's
     * symbol and, when its recipient was flagged as a lookalike, whom it imitates ({@code lookalike_of}, else null).
     */
    static byte[] skippedFlow(ReplayResult r, TaintFlow f, AlertLookalike look) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(Json.flowBytes(f));
            n.put("asset_symbol", meta(r, f.asset()).symbol());
            n.put("lookalike_of", look == null ? null : look.lookalikeOf().toString());
            return Json.mapper().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One row per leg taint did not follow, with the token's names and, for a lookalike recipient, what it imitates. */
    static void writeSkippedCsv(ReplayResult r, Map<Address, AlertLookalike> lookalikes, Writer w) throws IOException {
        w.write(SKIPPED_HEADER);
        w.write('\n');
        for (TaintFlow f : r.flows()) {
            if (f.kind() != FlowKind.SKIPPED) {
                continue;
            }
            TokenAmount t = MemoryLookups.amount(r.tokens(), f.asset(), f.amount());
            io.taintwatch.tokens.Token token = f.asset().contract() == null ? null : r.tokens().token(f.asset().contract());
            AlertLookalike look = lookalikes.get(f.to());
            w.write(String.join(",", Long.toString(f.position().block()), Integer.toString(f.position().txIndex()),
                Integer.toString(f.position().subIndex()), String.valueOf(f.txHash()), r.settings().chain().format(f.from()), r.settings().chain().format(f.to()), assetName(r, f.asset()),
                csv(t.symbol()), csv(token == null ? "" : token.name()), f.amount().toString(), t.known() ? t.formatted() : "", f.skipped().label(),
                f.assetStatus() == null ? "" : f.assetStatus().label(), csv(f.assetReason()), look == null ? "" : r.settings().chain().format(look.lookalikeOf()),
                look == null ? "" : r.settings().chain().format(look.holder())));
            w.write('\n');
        }
    }

    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String dotEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Tainted amounts delivered to each terminal entity, per asset, in a stable order. */
    static Map<String, Map<Asset, BigInteger[]>> byTerminal(ReplayResult r) {
        Map<String, Map<Asset, BigInteger[]>> m = new TreeMap<>();
        for (TaintFlow f : r.flows()) {
            if (f.kind() != FlowKind.TERMINAL) {
                continue;
            }
            Entity e = f.recipientEntity();
            String key = (e == null ? "" : e.name()) + "\u0000" + (e == null ? "" : e.category().label()) + "\u0000" + f.chain().format(f.to());
            BigInteger[] v = m.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(f.asset(),
                k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
            v[0] = v[0].add(f.taintedTotal());
            v[1] = v[1].add(f.amount());
            v[2] = v[2].add(BigInteger.ONE);
        }
        return m;
    }

    /** Per source and asset: tainted moved in all flows, tainted delivered to terminals, flows, deepest hop. */
    static Map<String, Map<Asset, BigInteger[]>> bySource(ReplayResult r) {
        Map<String, Map<Asset, BigInteger[]>> m = new TreeMap<>();
        for (Seed s : r.settings().seeds()) {
            m.computeIfAbsent(s.sourceId(), k -> new TreeMap<>());
        }
        for (TaintFlow f : r.flows()) {
            for (SourceShare s : f.shares()) {
                BigInteger[] v = m.computeIfAbsent(s.sourceId(), k -> new TreeMap<>()).computeIfAbsent(f.asset(),
                    k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
                v[0] = v[0].add(s.amount());
                if (f.kind() == FlowKind.TERMINAL) {
                    v[1] = v[1].add(s.amount());
                }
                v[2] = v[2].add(BigInteger.ONE);
                v[3] = v[3].max(BigInteger.valueOf(s.hop()));
            }
        }
        return m;
    }
}
