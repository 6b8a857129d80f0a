package io.taintwatch.alerts.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.alerts.api.ConsoleConfig;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A case as a file for a report or a regulator: JSON ({@code case-export.schema.json}) and a self-contained HTML page
 * (every fact as text and tables, readable without script; the path graph drawn by the console's graph component,
 * inlined, so the page works offline).
 */
public final class CaseExport {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What an export holds: the alert (latest version, status from its case), its versions, the case with its trail. */
    public record Case(JsonNode alert, List<ObjectNode> versions, ObjectNode caseJson, String exportedBy, Instant exportedAt,
                       Map<String, ConsoleConfig.Explorer> explorers) {}

    private CaseExport() {}

    /** {@code taintwatch-case-<rule>-<first 12 hex of the id>.<ext>}: no characters a file system minds. */
    public static String fileName(String alertId, String ext) {
        return "taintwatch-case-" + alertId.replaceAll("[^A-Za-z0-9-]+", "-") + "." + ext;
    }

    public static ObjectNode json(Case c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("exportSchemaVersion", 1);
        n.put("exportedAt", c.exportedAt().toString());
        n.put("exportedBy", c.exportedBy());
        n.set("alert", c.alert());
        ArrayNode vs = n.putArray("versions");
        c.versions().forEach(vs::add);
        n.set("case", c.caseJson());
        ObjectNode ex = n.putObject("explorer");
        ConsoleConfig.Explorer e = c.explorers().get(c.alert().path("chain").path("name").asText());
        ex.put("tx", e == null ? "" : e.txUrl());
        ex.put("address", e == null ? "" : e.addressUrl());
        return n;
    }

    public static String html(Case c) {
        ObjectNode data = json(c);
        JsonNode a = c.alert();
        JsonNode cs = c.caseJson();
        String txUrl = data.path("explorer").path("tx").asText();
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>taintwatch case ").append(esc(a.path("id").asText()))
            .append("</title>\n<style>\nbody{font-family:sans-serif;margin:24px;color:#1b1b1b;max-width:1200px}h1{font-size:22px}"
                + "h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:6px 0 12px}td,th{border:1px solid #bbb;padding:3px 8px;"
                + "font-size:13px;text-align:left;vertical-align:top}th{background:#eee}.mono{font-family:monospace;font-size:12px}"
                + "dl{display:grid;grid-template-columns:max-content auto;gap:3px 16px;font-size:14px}dt{font-weight:bold}"
                + ".tw-graph{height:520px}\n").append(ConsoleAssets.graphCss()).append("</style></head><body>\n");
        h.append("<h1>Case: ").append(esc(a.path("rule").asText())).append(" alert on ").append(esc(a.path("chain").path("name").asText()))
            .append("</h1>\n<dl>");
        dl(h, "Alert id", "<span class=\"mono\">" + esc(a.path("id").asText()) + "</span>");
        dl(h, "Severity", esc(a.path("severity").asText()));
        dl(h, "Status", esc(cs.path("status").asText()) + (cs.hasNonNull("disposition") ? " (" + esc(cs.path("disposition").asText()) + ")" : ""));
        if (cs.hasNonNull("closingComment")) {
            dl(h, "Reason for closing", esc(cs.path("closingComment").asText()));
        }
        dl(h, "Assignee", cs.hasNonNull("assignee") ? esc(cs.path("assignee").asText()) : "none");
        dl(h, "Subject", "<span class=\"mono\">" + esc(a.path("subject").asText()) + "</span>");
        dl(h, "Tainted (this version)", esc(amount(a.path("tainted"))) + " of " + esc(amount(a.path("amount"))) + " (" + pct(a.path("sharePpm").asLong())
            + ")");
        StringBuilder totals = new StringBuilder();
        for (JsonNode t : a.path("totals")) {
            totals.append(totals.isEmpty() ? "" : "; ").append(esc(amount(t.path("tainted")))).append(" tainted of ").append(esc(amount(t.path("amount"))));
        }
        dl(h, "Totals over " + a.path("count").asLong() + " legs", totals.toString());
        dl(h, "Recommended action", esc(a.path("recommendedAction").asText("")));
        dl(h, "Exported", esc(c.exportedAt().toString()) + " by " + esc(c.exportedBy()));
        h.append("</dl>\n<h2>Why this severity</h2>\n<ul>");
        for (JsonNode r : a.path("reasons")) {
            h.append("<li>").append(esc(r.asText())).append("</li>");
        }
        h.append("</ul>\n<h2>Sources</h2>\n<table><tr><th>source</th><th>category</th><th>reference</th><th>address</th><th>hop</th><th>tainted</th>"
            + "<th>share</th></tr>\n");
        for (JsonNode s : a.path("sources")) {
            h.append("<tr><td>").append(esc(s.path("sourceId").asText())).append("</td><td>").append(esc(s.path("category").asText()))
                .append("</td><td>").append(esc(s.path("reference").asText(""))).append("</td><td class=\"mono\">").append(esc(s.path("address").asText()))
                .append("</td><td>").append(s.path("hop").asLong()).append("</td><td>").append(esc(amount(s.path("tainted")))).append("</td><td>")
                .append(pct(s.path("sharePpm").asLong())).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Laundering path</h2>\n");
        JsonNode path = a.path("path");
        if (path.isObject()) {
            h.append("<p>").append(path.path("complete").asBoolean() ? "The path reaches back to the source." : "The path is incomplete: the walk "
                + "back stopped before the source.").append(" Hops oldest first; the graph runs left to right in hop order.</p>\n");
            h.append("<div class=\"tw-graph\" data-tw-graph-alert=\"tw-case-data\" role=\"img\" aria-label=\"graph of the laundering path\"></div>\n");
            h.append("<table><tr><th>hop</th><th>transaction</th><th>time (UTC)</th><th>from</th><th>to</th><th>tainted</th><th>amount</th><th>share</th>"
                + "</tr>\n");
            int i = 0;
            for (JsonNode hop : path.path("hops")) {
                String tx = hop.path("txHash").asText();
                h.append("<tr><td>").append(++i).append("</td><td class=\"mono\">").append(link(txUrl, "{tx}", tx)).append("</td><td>")
                    .append(Instant.ofEpochSecond(hop.path("timestamp").asLong())).append("</td><td class=\"mono\">").append(esc(hop.path("from").asText()))
                    .append("</td><td class=\"mono\">").append(esc(hop.path("to").asText())).append("</td><td>").append(esc(amount(hop.path("tainted"))))
                    .append("</td><td>").append(esc(amount(hop.path("amount")))).append("</td><td>").append(pct(hop.path("sharePpm").asLong()))
                    .append("</td></tr>\n");
            }
            h.append("</table>\n");
        } else {
            h.append("<p>This rule carries no path.</p>\n");
        }
        h.append("<h2>Versions</h2>\n<table><tr><th>version</th><th>severity</th><th>block</th><th>transaction</th><th>tainted</th><th>amount</th>"
            + "<th>legs</th></tr>\n");
        for (ObjectNode v : c.versions()) {
            h.append("<tr><td>").append(v.path("version").asLong()).append("</td><td>").append(esc(v.path("severity").asText())).append("</td><td>")
                .append(v.path("block").asLong()).append("</td><td class=\"mono\">").append(link(txUrl, "{tx}", v.path("txHash").asText()))
                .append("</td><td>").append(esc(amount(v.path("tainted")))).append("</td><td>").append(esc(amount(v.path("amount")))).append("</td><td>")
                .append(v.path("count").asLong()).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Audit trail</h2>\n<table><tr><th>when (UTC)</th><th>who</th><th>role</th><th>action</th><th>details</th>"
            + "<th>alert version</th></tr>\n");
        for (JsonNode e : cs.path("events")) {
            StringBuilder d = new StringBuilder();
            if (e.hasNonNull("assignee")) {
                d.append("assignee: ").append(esc(e.path("assignee").asText())).append(". ");
            } else if ("assign".equals(e.path("action").asText())) {
                d.append("unassigned. ");
            }
            if (e.hasNonNull("disposition")) {
                d.append("disposition: ").append(esc(e.path("disposition").asText())).append(". ");
            }
            if (e.hasNonNull("comment")) {
                d.append(esc(e.path("comment").asText()));
            }
            h.append("<tr><td>").append(esc(e.path("at").asText())).append("</td><td>").append(esc(e.path("actor").asText())).append("</td><td>")
                .append(esc(e.path("role").asText())).append("</td><td>").append(esc(e.path("action").asText())).append("</td><td>").append(d)
                .append("</td><td>").append(e.path("alertVersion").asLong()).append("</td></tr>\n");
        }
        if (cs.path("events").isEmpty()) {
            h.append("<tr><td colspan=\"6\">no action yet</td></tr>\n");
        }
        h.append("</table>\n<script type=\"application/json\" id=\"tw-case-data\">").append(scriptJson(data)).append("</script>\n");
        h.append(ConsoleAssets.inlineGraphScripts()).append("</body></html>\n");
        return h.toString();
    }

    /** JSON inside a script element: {@code <} escaped, so no {@code </script>} or comment opener can end it. */
    public static String scriptJson(JsonNode n) {
        return n.toString().replace("<", "\\u003c");
    }

    private static void dl(StringBuilder h, String k, String v) {
        h.append("<dt>").append(esc(k)).append("</dt><dd>").append(v).append("</dd>");
    }

    private static String link(String template, String placeholder, String value) {
        if (template.isEmpty()) {
            return esc(value);
        }
        return "<a href=\"" + esc(template.replace(placeholder, value)) + "\" rel=\"noopener noreferrer\">" + esc(value) + "</a>";
    }

    /** {@code 1.5 ETH}; base units when the token is unknown. */
    static String amount(JsonNode a) {
        String sym = a.path("symbol").asText("");
        return a.path("known").asBoolean(true) ? a.path("formatted").asText() + (sym.isEmpty() ? "" : " " + sym)
            : a.path("raw").asText() + " base units" + (sym.isEmpty() ? "" : " of " + sym);
    }

    static String pct(long ppm) {
        return BigDecimal.valueOf(ppm).divide(BigDecimal.valueOf(10_000), 2, RoundingMode.DOWN).stripTrailingZeros().toPlainString() + "%";
    }

    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
