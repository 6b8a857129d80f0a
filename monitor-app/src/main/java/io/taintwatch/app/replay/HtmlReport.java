package io.taintwatch.app.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.alerts.console.CaseExport;
import io.taintwatch.alerts.console.ConsoleAssets;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertHeadline;
import io.taintwatch.model.AlertLookalike;
import io.taintwatch.model.Asset;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The self-contained {@code report.html}: the path graph drawn by the analyst console's graph component (Cytoscape.js
 * and dagre, inlined: the file needs nothing else), sums per terminal entity and per source, and the alerts.
 */
final class HtmlReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HtmlReport() {}

    static void write(ReplayResult r, PathGraph g, Writer w) throws IOException {
        w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>taintwatch replay</title>\n<style>\n"
            + "body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}td.n{text-align:right;font-family:monospace}"
            + "code,.mono{font-family:monospace;font-size:12px}.tw-graph{height:560px}\n" + ConsoleAssets.graphCss() + "</style></head><body>\n");
        w.write("<h1>taintwatch replay</h1>\n<p>Chain <b>" + esc(r.settings().chain().name()) + "</b>, blocks "
            + (r.blocks() == 0 ? "none" : r.firstBlock() + "&ndash;" + r.lastBlock()) + " (" + r.blocks() + " blocks, " + r.legs()
            + " legs); policy <code>" + esc(r.settings().taint().describe()) + "</code>; " + r.settings().seeds().size() + " seeds, "
            + r.settings().labels().size() + " labels; " + r.flows().size() + " taint flows, " + r.alerts().size() + " alerts, "
            + r.trackedAddresses() + " addresses holding taint at the end.</p>\n");

        w.write("<h2>Path graph</h2>\n<p>" + (g.fromPaths() ? "Paths from the sources into terminal entities (exchanges, mixers, bridges)."
            : "No taint reached a terminal entity: the graph shows the taint flows.") + " Between two addresses, a box gives the tainted amount "
            + "and the number of legs; red marks a source, blue where taint arrived. Scroll to zoom, drag to pan."
            + (g.omittedEdges() > 0 ? " The " + g.omittedEdges() + " smallest edges are omitted (see flows.jsonl)." : "") + "</p>\n");
        graph(r, g, w);

        w.write("<h2>Per terminal entity</h2>\n<table><tr><th>entity</th><th>category</th><th>address</th><th>asset</th>"
            + "<th>tainted received</th><th>amount received</th><th>flows</th></tr>\n");
        for (Map.Entry<String, Map<Asset, BigInteger[]>> e : ReplayOutputs.byTerminal(r).entrySet()) {
            String[] k = e.getKey().split("\u0000", -1);
            for (Map.Entry<Asset, BigInteger[]> a : e.getValue().entrySet()) {
                w.write("<tr><td>" + esc(k[0]) + "</td><td>" + esc(k[1]) + "</td><td class=\"mono\">" + k[2] + "</td><td class=\"mono\">"
                    + esc(ReplayOutputs.assetName(r, a.getKey())) + "</td><td class=\"n\">" + esc(ReplayOutputs.amount(r, a.getKey(), a.getValue()[0]))
                    + "</td><td class=\"n\">" + esc(ReplayOutputs.amount(r, a.getKey(), a.getValue()[1])) + "</td><td class=\"n\">"
                    + a.getValue()[2] + "</td></tr>\n");
            }
        }
        w.write("</table>\n");

        Map<String, Seed> seedOf = new HashMap<>();
        r.settings().seeds().forEach(s -> seedOf.putIfAbsent(s.sourceId(), s));
        w.write("<h2>Per source</h2>\n<table><tr><th>source</th><th>category</th><th>reference</th><th>asset</th><th>tainted in flows (summed over hops)</th>"
            + "<th>tainted into terminals</th><th>flows</th><th>deepest hop</th></tr>\n");
        for (Map.Entry<String, Map<Asset, BigInteger[]>> e : ReplayOutputs.bySource(r).entrySet()) {
            Seed s = seedOf.get(e.getKey());
            String head = "<tr><td>" + esc(e.getKey()) + "</td><td>" + (s == null ? "" : s.category().label()) + "</td><td>"
                + esc(s == null ? "" : s.reference()) + "</td>";
            if (e.getValue().isEmpty()) {
                w.write(head + "<td colspan=\"5\">no taint moved in the replayed blocks</td></tr>\n");
            }
            for (Map.Entry<Asset, BigInteger[]> a : e.getValue().entrySet()) {
                BigInteger[] v = a.getValue();
                w.write(head + "<td class=\"mono\">" + esc(ReplayOutputs.assetName(r, a.getKey())) + "</td><td class=\"n\">"
                    + esc(ReplayOutputs.amount(r, a.getKey(), v[0])) + "</td><td class=\"n\">" + esc(ReplayOutputs.amount(r, a.getKey(), v[1]))
                    + "</td><td class=\"n\">" + v[2] + "</td><td class=\"n\">" + v[3] + "</td></tr>\n");
            }
        }
        w.write("</table>\n");

        notFollowed(r, w);

        w.write("<h2>Alerts</h2>\n<p>Each alert is shown by its headline: its largest movement in a verified asset.</p>\n"
            + "<table><tr><th>severity</th><th>rule</th><th>subject</th><th>headline block</th><th>headline to</th><th>amount</th>"
            + "<th>tainted</th><th>legs</th><th>skipped legs</th><th>id</th></tr>\n");
        for (Alert a : r.alerts()) {
            AlertHeadline h = a.headline();
            w.write("<tr><td>" + esc(a.severity().label()) + "</td><td>" + esc(a.rule().label()) + "</td><td class=\"mono\">" + a.chain().format(a.subject())
                + "</td><td class=\"n\">" + h.position().block() + "</td><td class=\"mono\">" + a.chain().format(h.to())
                + (h.to().equals(a.to()) && a.toEntity() != null ? " " + esc(a.toEntity().name()) : "") + "</td><td class=\"n\">"
                + esc(ReplayOutputs.amount(r, h.asset(), h.amount().raw())) + "</td><td class=\"n\">"
                + esc(ReplayOutputs.amount(r, h.asset(), h.tainted().raw())) + "</td><td class=\"n\">" + a.count() + "</td><td class=\"n\">"
                + (a.skipped() == null ? 0 : a.skipped().legs()) + "</td><td class=\"mono\">" + esc(a.id()) + "</td></tr>\n");
        }
        w.write("</table>\n" + ConsoleAssets.inlineGraphScripts() + "</body></html>\n");
    }

    /** The branches taint did not follow and why: per token and reason, and the recipients flagged as lookalikes. */
    private static void notFollowed(ReplayResult r, Writer w) throws IOException {
        Map<String, Object[]> byAsset = new TreeMap<>();
        for (TaintFlow f : r.flows()) {
            if (f.kind() != FlowKind.SKIPPED) {
                continue;
            }
            Object[] v = byAsset.computeIfAbsent(f.asset() + "\u0000" + f.skipped().label(), k -> new Object[] {f, 0L, BigInteger.ZERO});
            v[1] = (Long) v[1] + 1;
            v[2] = ((BigInteger) v[2]).add(f.amount());
        }
        Map<Address, AlertLookalike> lookalikes = ReplayOutputs.lookalikes(r);
        w.write("<h2>Not followed</h2>\n");
        if (byAsset.isEmpty() && lookalikes.isEmpty()) {
            w.write("<p>Taint followed every outflow of a source or tracked address (no counterfeit, unverified or unbacked leg).</p>\n");
            return;
        }
        w.write("<p>Outflows that would have carried taint but did not (docs/tokens.md): counterfeit tokens never carry taint; unbacked "
            + "transfers moved nothing the sender held; every leg is in skipped.csv.</p>\n<table><tr><th>asset</th><th>symbol</th><th>name</th>"
            + "<th>status</th><th>why not followed</th><th>registry's reason</th><th>legs</th><th>amount</th></tr>\n");
        for (Object[] v : byAsset.values()) {
            TaintFlow f = (TaintFlow) v[0];
            io.taintwatch.tokens.Token t = f.asset().contract() == null ? null : r.tokens().token(f.asset().contract());
            w.write("<tr><td class=\"mono\">" + esc(ReplayOutputs.assetName(r, f.asset())) + "</td><td>" + esc(t == null ? "" : t.symbol())
                + "</td><td>" + esc(t == null ? "" : t.name()) + "</td><td>" + (f.assetStatus() == null ? "" : f.assetStatus().label())
                + "</td><td>" + f.skipped().label() + "</td><td>" + esc(f.assetReason()) + "</td><td class=\"n\">" + v[1]
                + "</td><td class=\"n\">" + esc(ReplayOutputs.amount(r, f.asset(), (BigInteger) v[2])) + "</td></tr>\n");
        }
        w.write("</table>\n");
        if (!lookalikes.isEmpty()) {
            w.write("<p>Lookalike addresses: they share their first and last hex digits with a real counterparty of the poisoned address, "
                + "and received only poisoning transfers (rule address-poisoning).</p>\n<table><tr><th>lookalike</th><th>imitates</th>"
                + "<th>of</th><th>poisoning</th><th>real transfer it imitates</th></tr>\n");
            for (AlertLookalike l : lookalikes.values()) {
                w.write("<tr><td class=\"mono\">" + l.address() + "</td><td class=\"mono\">" + l.lookalikeOf() + "</td><td class=\"mono\">"
                    + l.holder() + "</td><td>" + esc(l.kind()) + "</td><td class=\"mono\">" + l.real().txHash() + " (block " + l.real().block()
                    + ")</td></tr>\n");
            }
            w.write("</table>\n");
        }
    }

    /**
     * The graph as data for the console's graph component (inlined below the page, so the file works offline), and the
     * same edges as a table for reading without script.
     */
    private static void graph(ReplayResult r, PathGraph g, Writer w) throws IOException {
        if (g.nodes().isEmpty()) {
            w.write("<p><i>No tainted flow in the replayed blocks.</i></p>\n");
            return;
        }
        ObjectNode data = MAPPER.createObjectNode();
        ArrayNode nodes = data.putArray("nodes");
        for (PathGraph.Node n : g.nodes()) {
            String a = r.settings().chain().format(n.address());
            nodes.addObject().put("id", a).put("role", n.role().name().toLowerCase(java.util.Locale.ROOT))
                .put("label", (n.label().isEmpty() ? "" : n.label() + "\n") + a.substring(0, 10) + "\u2026" + a.substring(a.length() - 6));
        }
        ArrayNode edges = data.putArray("edges");
        int i = 0;
        for (PathGraph.Edge e : g.edges()) {
            edges.addObject().put("id", "e" + (++i)).put("from", r.settings().chain().format(e.from())).put("to", r.settings().chain().format(e.to()))
                .put("label", amount(r, e.asset(), e.tainted()) + "\n" + e.legs() + (e.legs() == 1 ? " leg" : " legs"));
        }
        w.write("<div class=\"tw-graph\" data-tw-graph=\"tw-report-graph\" role=\"img\" aria-label=\"path graph\"></div>\n"
            + "<script type=\"application/json\" id=\"tw-report-graph\">" + CaseExport.scriptJson(data) + "</script>\n");
        w.write("<details><summary>The graph's edges as a table</summary>\n<table><tr><th>from</th><th>to</th><th>tainted</th><th>legs</th></tr>\n");
        for (PathGraph.Edge e : g.edges()) {
            w.write("<tr><td class=\"mono\">" + r.settings().chain().format(e.from()) + "</td><td class=\"mono\">" + r.settings().chain().format(e.to())
                + "</td><td class=\"n\">" + esc(amount(r, e.asset(), e.tainted())) + "</td><td class=\"n\">" + e.legs() + "</td></tr>\n");
        }
        w.write("</table></details>\n");
    }

    /** Human units with the symbol where the registry knows the token; else base units of the contract. */
    private static String amount(ReplayResult r, Asset asset, BigInteger raw) {
        return ReplayOutputs.amount(r, asset, raw) + (ReplayOutputs.meta(r, asset).known() ? "" : " of " + ReplayOutputs.assetName(r, asset));
    }

    static String esc(String s) {
        return CaseExport.esc(s);
    }

}
