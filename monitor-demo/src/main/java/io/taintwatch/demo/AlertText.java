package io.taintwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One alert as a person reads it in a terminal: severity, rule, amount, and the path hop by hop; for a lookalike, whom it
 * imitates; for a movement, what taint did not follow.
 */
public final class AlertText {
    private AlertText() {}

    public static String describe(JsonNode a) {
        JsonNode look = a.path("lookalike");
        if (look.isObject()) {
            return String.format("%n  [ALERT %s] %s: %s imitates %s (first and last hex digits), a real counterparty of %s;%n"
                    + "    %s transfer of %s in block %d tx %s, id %s%n", a.path("severity").asText().toUpperCase(), a.path("rule").asText(),
                look.path("address").asText(), look.path("lookalikeOf").asText(), look.path("holder").asText(), look.path("kind").asText(),
                amount(a.path("amount")), a.path("block").asLong(), a.path("txHash").asText(), a.path("id").asText())
                + (a.path("recommendedAction").asText().isEmpty() ? "" : "    action: " + a.path("recommendedAction").asText() + "\n");
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n  [ALERT %s] %s: %s%s tainted of %s%s to %s%s%n",
            a.path("severity").asText().toUpperCase(), a.path("rule").asText(),
            amount(a.path("tainted")), "", amount(a.path("amount")), "",
            a.path("subject").asText(), entity(a.path("toEntity"))));
        sb.append(String.format("    block %d tx %s, id %s%n", a.path("block").asLong(), a.path("txHash").asText(), a.path("id").asText()));
        if (!a.path("recommendedAction").asText().isEmpty()) {
            sb.append("    action: ").append(a.path("recommendedAction").asText()).append('\n');
        }
        if (a.path("skipped").isObject()) {
            sb.append("    ").append(skipped(a)).append('\n');
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

    /** What taint did not follow from the alert's subject: legs per token and reason. */
    public static String skipped(JsonNode a) {
        JsonNode skipped = a.path("skipped");
        StringBuilder sb = new StringBuilder(String.format("not followed: %d legs", skipped.path("legs").asLong()));
        for (JsonNode x : skipped.path("assets")) {
            sb.append(String.format(" [%s %s: %d, %s]", x.path("symbol").asText(), x.path("asset").asText(), x.path("legs").asLong(),
                x.path("reason").asText()));
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
