package io.taintwatch.app.replay;

import io.taintwatch.model.Alert;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Seed;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * The self-contained {@code report.html}: the path graph as inline SVG laid out here (columns by distance from the
 * source, no script, no external file), sums per terminal entity and per source, and the alerts.
 */
final class HtmlReport {
    private static final int COL = 250;
    private static final int ROW = 56;
    private static final int BOX_W = 190;
    private static final int BOX_H = 36;
    private static final int MARGIN = 20;

    private HtmlReport() {}

    static void write(ReplayResult r, PathGraph g, Writer w) throws IOException {
        w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>taintwatch replay</title>\n<style>\n"
            + "body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}td.n{text-align:right;font-family:monospace}"
            + "code,.mono{font-family:monospace;font-size:12px}svg text{font-family:monospace;font-size:10px}\n</style></head><body>\n");
        w.write("<h1>taintwatch replay</h1>\n<p>Chain <b>" + esc(r.settings().chain().name()) + "</b>, blocks "
            + (r.blocks() == 0 ? "none" : r.firstBlock() + "&ndash;" + r.lastBlock()) + " (" + r.blocks() + " blocks, " + r.legs()
            + " legs); policy <code>" + esc(r.settings().taint().describe()) + "</code>; " + r.settings().seeds().size() + " seeds, "
            + r.settings().labels().size() + " labels; " + r.flows().size() + " taint flows, " + r.alerts().size() + " alerts, "
            + r.trackedAddresses() + " addresses holding taint at the end.</p>\n");

        w.write("<h2>Path graph</h2>\n<p>" + (g.fromPaths() ? "Paths from the sources into terminal entities (exchanges, mixers, bridges)."
            : "No taint reached a terminal entity: the graph shows the taint flows.") + " Edge labels: tainted amount."
            + (g.omittedEdges() > 0 ? " The " + g.omittedEdges() + " smallest edges are omitted (see flows.jsonl)." : "") + "</p>\n");
        svg(r, g, w);

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

        w.write("<h2>Alerts</h2>\n<table><tr><th>severity</th><th>rule</th><th>block</th><th>to</th><th>amount</th><th>tainted</th>"
            + "<th>legs</th><th>id</th></tr>\n");
        for (Alert a : r.alerts()) {
            w.write("<tr><td>" + esc(a.severity().label()) + "</td><td>" + esc(a.rule().label()) + "</td><td class=\"n\">" + a.position().block()
                + "</td><td class=\"mono\">" + a.chain().format(a.to()) + (a.toEntity() == null ? "" : " " + esc(a.toEntity().name())) + "</td><td class=\"n\">"
                + esc(ReplayOutputs.amount(r, a.asset(), a.amount().raw())) + "</td><td class=\"n\">"
                + esc(ReplayOutputs.amount(r, a.asset(), a.tainted().raw())) + "</td><td class=\"n\">" + a.count() + "</td><td class=\"mono\">"
                + esc(a.id()) + "</td></tr>\n");
        }
        w.write("</table>\n</body></html>\n");
    }

    private static void svg(ReplayResult r, PathGraph g, Writer w) throws IOException {
        if (g.nodes().isEmpty()) {
            w.write("<p><i>No tainted flow in the replayed blocks.</i></p>\n");
            return;
        }
        Map<String, int[]> pos = new HashMap<>();
        int maxLayer = 0;
        int maxRow = 0;
        for (PathGraph.Node n : g.nodes()) {
            pos.put(n.address().toString(), new int[] {MARGIN + n.layer() * COL, MARGIN + n.row() * ROW});
            maxLayer = Math.max(maxLayer, n.layer());
            maxRow = Math.max(maxRow, n.row());
        }
        int width = 2 * MARGIN + maxLayer * COL + BOX_W;
        int height = 2 * MARGIN + maxRow * ROW + BOX_H;
        w.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " "
            + height + "\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
            + "orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n");
        for (PathGraph.Edge e : g.edges()) {
            int[] a = pos.get(e.from().toString());
            int[] b = pos.get(e.to().toString());
            int x1 = a[0] + BOX_W;
            int y1 = a[1] + BOX_H / 2;
            int x2 = b[0];
            int y2 = b[1] + BOX_H / 2;
            if (b[0] <= a[0]) { // backwards or same column: leave from the box's left edge
                x1 = a[0];
                x2 = b[0] + BOX_W;
            }
            w.write("<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2
                + "\" stroke=\"#555\" stroke-width=\"1\" marker-end=\"url(#arrow)\"><title>" + r.settings().chain().format(e.from()) + " -> " + r.settings().chain().format(e.to()) + ": "
                + esc(ReplayOutputs.amount(r, e.asset(), e.tainted())) + " " + esc(ReplayOutputs.assetName(r, e.asset())) + " tainted in " + e.legs()
                + " legs</title></line>\n");
            w.write("<text x=\"" + ((x1 + x2) / 2) + "\" y=\"" + ((y1 + y2) / 2 - 3) + "\" text-anchor=\"middle\" fill=\"#333\">"
                + esc(shortAmount(r, e)) + "</text>\n");
        }
        for (PathGraph.Node n : g.nodes()) {
            int[] p = pos.get(n.address().toString());
            String fill = switch (n.role()) {
                case SOURCE -> "#f4cccc";
                case TERMINAL -> "#cfe2f3";
                case HOP -> "#ffffff";
            };
            String a = r.settings().chain().format(n.address());
            w.write("<g><title>" + a + (n.label().isEmpty() ? "" : " " + esc(n.label())) + "</title><rect x=\"" + p[0] + "\" y=\"" + p[1]
                + "\" width=\"" + BOX_W + "\" height=\"" + BOX_H + "\" rx=\"4\" fill=\"" + fill + "\" stroke=\"#333\"/>"
                + "<text x=\"" + (p[0] + 6) + "\" y=\"" + (p[1] + 14) + "\">" + a.substring(0, 10) + "&hellip;" + a.substring(a.length() - 6)
                + "</text><text x=\"" + (p[0] + 6) + "\" y=\"" + (p[1] + 28) + "\">" + esc(clip(n.label(), 28)) + "</text></g>\n");
        }
        w.write("</svg>\n");
    }

    private static String shortAmount(ReplayResult r, PathGraph.Edge e) {
        String s = ReplayOutputs.amount(r, e.asset(), e.tainted());
        return e.asset().isNative() ? s : clip(s, 16) + " of " + ReplayOutputs.assetName(r, e.asset()).substring(0, 8);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
