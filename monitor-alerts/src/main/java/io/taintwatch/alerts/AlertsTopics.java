package io.taintwatch.alerts;

/**
 * Topic names the alert service reads and writes. {@code tracked} is a compacted topic this service writes
 * (addresses the engine made tracked, for the outgoing-exposure rule) and reads back as a global table;
 * {@code cases} holds the analysts' case actions (the audit trail); {@code tokenRegistry} the declared tokens (lists, the
 * user's own), by which tokens are judged as the engine judges them.
 */
public record AlertsTopics(String watchlist, String labels, String tokens, String alerts, String tracked, String webhookDlq, String cases,
                           String tokenRegistry) {
    public AlertsTopics {
        for (String t : new String[] {watchlist, labels, tokens, alerts, tracked, webhookDlq, cases, tokenRegistry}) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("every alert topic name must be set");
            }
        }
    }

    public static AlertsTopics defaults() {
        return new AlertsTopics("watchlist", "labels", "tokens", "alerts", "alerts.tracked", "alerts.webhook-dlq", "alert-cases", "token-registry");
    }
}
