package io.taintwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;

/** One alert as a person reads it in a terminal: severity, rule, amount, and the path hop by hop. */
public final class AlertText {
    private AlertText() {}

    public static String describe(JsonNode a) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n  [ALERT %s] %s: %s%s tainted of %s%s to %s%s%n",
            a.path("severity").asText().toUpperCase(), a.path("rule").asText(),
            amount(a.path("tainted")), "", amount(a.path("amount")), "",
            a.path("subject").asText(), entity(a.path("toEntity"))));
        sb.append(String.format("    block %d tx %s, id %s%n", a.path("block").asLong(), a.path("txHash").asText(), a.path("id").asText()));
        if (!a.path("recommendedAction").asText().isEmpty()) {
            sb.append("    action: ").append(a.path("recommendedAction").asText()).append('\n');
        }
        JsonNode hops = a.path("path").path("hops");
        if (hops.isArray() && !hops.isEmpty()) {
            sb.append(String.format("    path from %s (%s):%n", a.path("path").path("source").asText(),
                a.path("path").path("complete").asBoolean() ? "complete" : "incomplete"));
            int i = 1;
            for (JsonNode h : hops) {
                sb.append(String.format("      %d. %s -> %s  %s tainted of %s  tx %s%n", i++, h.path("from").asText(), h.path("to").asText(),
                    amount(h.path("tainted")), amount(h.path("amount")), h.path("txHash").asText()));
            }
        }
        return sb.toString();
    }

    /** An amount object ({raw, formatted, symbol, ...}) or a plain value, as "1.5 ETH". */
    static String amount(JsonNode a) {
        if (a.isObject()) {
            String sym = a.path("symbol").asText("");
            return a.path("formatted").asText(a.path("raw").asText()) + (sym.isEmpty() ? "" : " " + sym);
        }
        return a.asText();
    }

    private static String entity(JsonNode e) {
        return e.isMissingNode() || e.isNull() ? "" : " (" + e.path("name").asText() + ", " + e.path("category").asText() + ")";
    }
}
