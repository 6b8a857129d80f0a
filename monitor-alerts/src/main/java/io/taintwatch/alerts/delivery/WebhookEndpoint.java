package io.taintwatch.alerts.delivery;

import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Severity;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One webhook receiver. Filters: empty {@code severities}, {@code rules} or {@code chains} mean "all"; an alert is
 * sent when it passes every non-empty filter. Delivery: at most {@code maxAttempts} attempts with exponential backoff
 * from {@code initialBackoff} doubling up to {@code maxBackoff}, each attempt bounded by {@code timeout}; then the
 * alert is dead-lettered. The secret signs the body and never appears in {@link #toString()} or logs.
 */
public record WebhookEndpoint(String name, URI url, String secret, Set<Severity> severities, Set<AlertRule> rules,
                              Set<String> chains, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                              Duration timeout) {
    public WebhookEndpoint {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("webhook name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(url, "webhook " + name + ": url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("webhook " + name + ": url must be http or https");
        }
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("webhook " + name + ": secret must have at least 16 characters");
        }
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        rules = rules == null ? Set.of() : Set.copyOf(rules);
        chains = chains == null ? Set.of() : Set.copyOf(chains);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("webhook " + name + ": maxAttempts must be at least 1");
        }
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("webhook " + name + ": need 0 <= initialBackoff <= maxBackoff and a positive timeout");
        }
    }

    /** An endpoint receiving every alert with the default retry policy (8 attempts, 1 s doubling to 5 min, 10 s timeout). */
    public static WebhookEndpoint of(String name, URI url, String secret) {
        return new WebhookEndpoint(name, url, secret, Set.of(), Set.of(), Set.of(), 8, null, null, null);
    }

    public boolean accepts(Alert a) {
        return (severities.isEmpty() || severities.contains(a.severity()))
            && (rules.isEmpty() || rules.contains(a.rule()))
            && (chains.isEmpty() || chains.contains(a.chain().name()));
    }

    /** Backoff before attempt {@code attempt + 1} (attempt counts from 1): initial * 2^(attempt-1), capped. */
    public Duration backoffAfter(int attempt) {
        long ms = initialBackoff.toMillis();
        for (int i = 1; i < attempt && ms < maxBackoff.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }

    @Override
    public String toString() {
        return "WebhookEndpoint[name=" + name + ", url=" + url + ", secret=***, severities=" + severities + ", rules=" + rules
            + ", chains=" + chains + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
            + maxBackoff + ", timeout=" + timeout + "]";
    }
}
