package io.taintwatch.alerts.api;

import java.util.List;

/**
 * The HTTP API: bind address and port (0 = any free port), bearer tokens (from the config file or the environment;
 * never logged), how many alerts the in-memory index keeps (oldest updated evicted first), and the server's limits.
 */
public record ApiConfig(String host, int port, List<String> tokens, int maxAlerts, HttpLimits limits) {
    public ApiConfig {
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("api port must be 0..65535, got " + port);
        }
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        for (String t : tokens) {
            if (t == null || t.length() < 16) {
                throw new IllegalArgumentException("api tokens must have at least 16 characters");
            }
        }
        if (maxAlerts < 1) {
            throw new IllegalArgumentException("api maxAlerts must be at least 1");
        }
        limits = limits == null ? HttpLimits.defaults() : limits;
    }

    /** With the default {@link HttpLimits}. */
    public ApiConfig(String host, int port, List<String> tokens, int maxAlerts) {
        this(host, port, tokens, maxAlerts, null);
    }

    public static ApiConfig defaults() {
        return new ApiConfig("127.0.0.1", 8081, List.of(), 100_000);
    }

    public ApiConfig withTokens(List<String> t) {
        return new ApiConfig(host, port, t, maxAlerts, limits);
    }

    public ApiConfig withPort(int p) {
        return new ApiConfig(host, p, tokens, maxAlerts, limits);
    }

    public ApiConfig withLimits(HttpLimits l) {
        return new ApiConfig(host, port, tokens, maxAlerts, l);
    }

    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", tokens=" + tokens.size() + " configured, maxAlerts=" + maxAlerts
            + ", limits=" + limits + "]";
    }
}
