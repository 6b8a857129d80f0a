package io.taintwatch.app.demo;

import com.fasterxml.jackson.databind.JsonNode;

/** One alert as a person reads it in a terminal: severity, rule, amount, and the path hop by hop. */
public final class AlertText {
    private AlertText() {}

    public static String describe(JsonNode a) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n  [ALERT %s] %s: %s %s tainted of %s %s to %s%s%n",
            a.path("severity").asText().toUpperCase(), a.path("rule").asText(),
            a.path("tainted").path("formatted").asText(), a.path("tainted").path("symbol").asText(),
            a.path("amount").path("formatted").asText(), a.path("amount").path("symbol").asText(),
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
                sb.append(String.format("      %d. %s -> %s  %s of %s (%s)  tx %s%n", i++, h.path("from").asText(), h.path("to").asText(),
                    h.path("tainted").asText(), h.path("amount").asText(), h.path("asset").asText(), h.path("txHash").asText()));
            }
        }
        return sb.toString();
    }

    private static String entity(JsonNode e) {
        return e.isMissingNode() || e.isNull() ? "" : " (" + e.path("name").asText() + ", " + e.path("category").asText() + ")";
    }
}
