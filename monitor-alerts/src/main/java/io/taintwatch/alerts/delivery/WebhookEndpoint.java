package io.taintwatch.alerts.delivery;

import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Severity;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One webhook receiver. Filters: empty {@code severities}, {@code rules} or {@code chains} mean "all"; an alert is
 * sent when it passes every non-empty filter. Delivery: retried with exponential backoff from {@code initialBackoff}
 * doubling up to {@code maxBackoff}, each attempt bounded by {@code timeout}, for as long as the receiver has been
 * failing for less than {@code retryBudget}; then the alert is dead-lettered. The secret signs the body and never
 * appears in {@link #toString()} or logs; the URL (providers put tokens in its path and query) is printed only as
 * {@link #safeUrl()}.
 */
public record WebhookEndpoint(String name, URI url, String secret, Set<Severity> severities, Set<AlertRule> rules,
                              Set<String> chains, Duration retryBudget, Duration initialBackoff, Duration maxBackoff,
                              Duration timeout) {
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofHours(24);

    public WebhookEndpoint {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("webhook name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(url, "webhook " + name + ": url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("webhook " + name + ": url must be http or https");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("webhook " + name + ": url must name a host (value not shown: it may hold a token)");
        }
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("webhook " + name + ": secret must have at least 16 characters");
        }
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        rules = rules == null ? Set.of() : Set.copyOf(rules);
        chains = chains == null ? Set.of() : Set.copyOf(chains);
        retryBudget = retryBudget == null ? DEFAULT_RETRY_BUDGET : retryBudget;
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (retryBudget.isNegative()) {
            throw new IllegalArgumentException("webhook " + name + ": retryBudget must not be negative");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("webhook " + name + ": need 0 <= initialBackoff <= maxBackoff and a positive timeout");
        }
    }

    /** An endpoint receiving every alert with the default retry policy (24 h budget, 1 s doubling to 5 min, 10 s timeout). */
    public static WebhookEndpoint of(String name, URI url, String secret) {
        return new WebhookEndpoint(name, url, secret, Set.of(), Set.of(), Set.of(), null, null, null, null);
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

    /** The URL as it may be printed: scheme, host and port; user info, path and query each shown as {@code ***}. */
    public String safeUrl() {
        StringBuilder sb = new StringBuilder(url.getScheme().toLowerCase(Locale.ROOT)).append("://");
        if (url.getRawUserInfo() != null) {
            sb.append("***@");
        }
        sb.append(url.getHost().toLowerCase(Locale.ROOT));
        if (url.getPort() >= 0) {
            sb.append(':').append(url.getPort());
        }
        if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")) {
            sb.append("/***");
        }
        if (url.getRawQuery() != null) {
            sb.append("?***");
        }
        return sb.toString();
    }

    /** {@code message} with this URL and each of its secret-bearing parts (raw or decoded) replaced by the safe form. */
    public String scrub(String message) {
        if (message == null) {
            return null;
        }
        String m = message.replace(url.toString(), safeUrl()).replace(url.toASCIIString(), safeUrl());
        for (String part : new String[] {url.getRawUserInfo(), url.getUserInfo(), url.getRawQuery(), url.getQuery()}) {
            if (part != null && !part.isEmpty()) {
                m = m.replace(part, "***");
            }
        }
        for (String path : new String[] {url.getRawPath(), url.getPath()}) {
            if (path != null && path.length() > 1) {
                m = m.replace(path, "/***");
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "WebhookEndpoint[name=" + name + ", url=" + safeUrl() + ", secret=***, severities=" + severities + ", rules=" + rules
            + ", chains=" + chains + ", retryBudget=" + retryBudget + ", initialBackoff=" + initialBackoff + ", maxBackoff="
            + maxBackoff + ", timeout=" + timeout + "]";
    }
}
