package io.taintwatch.alerts.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The HTTP API: bind address and port (0 = any free port), bearer tokens (from the config file or the environment;
 * never logged): plain {@code tokens}, each a viewer named {@code token:<first 8 hex digits of its SHA-256>}, and named
 * {@code users} with a role; how many alerts the in-memory index keeps (oldest updated evicted first), the server's
 * limits, and the analyst console.
 */
public record ApiConfig(String host, int port, List<String> tokens, int maxAlerts, HttpLimits limits, List<ApiUser> users,
                        ConsoleConfig console) {
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
        users = users == null ? List.of() : List.copyOf(users);
        Set<String> names = new HashSet<>();
        Set<String> secrets = new HashSet<>(tokens);
        for (ApiUser u : users) {
            if (!names.add(u.name())) {
                throw new IllegalArgumentException("api user '" + u.name() + "' is configured twice");
            }
            if (!secrets.add(u.token())) {
                throw new IllegalArgumentException("the token of api user '" + u.name() + "' is also another user's or a plain token");
            }
        }
        console = console == null ? ConsoleConfig.defaults() : console;
    }

    /** With the default {@link HttpLimits}. */
    public ApiConfig(String host, int port, List<String> tokens, int maxAlerts) {
        this(host, port, tokens, maxAlerts, null, null, null);
    }

    /** Plain tokens only, the console on without explorer links. */
    public ApiConfig(String host, int port, List<String> tokens, int maxAlerts, HttpLimits limits) {
        this(host, port, tokens, maxAlerts, limits, null, null);
    }

    public static ApiConfig defaults() {
        return new ApiConfig("127.0.0.1", 8081, List.of(), 100_000);
    }

    public ApiConfig withTokens(List<String> t) {
        return new ApiConfig(host, port, t, maxAlerts, limits, users, console);
    }

    public ApiConfig withPort(int p) {
        return new ApiConfig(host, p, tokens, maxAlerts, limits, users, console);
    }

    public ApiConfig withLimits(HttpLimits l) {
        return new ApiConfig(host, port, tokens, maxAlerts, l, users, console);
    }

    public ApiConfig withUsers(List<ApiUser> u) {
        return new ApiConfig(host, port, tokens, maxAlerts, limits, u, console);
    }

    public ApiConfig withConsole(ConsoleConfig c) {
        return new ApiConfig(host, port, tokens, maxAlerts, limits, users, c);
    }

    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", tokens=" + tokens.size() + " configured, users=" + users + ", maxAlerts="
            + maxAlerts + ", limits=" + limits + ", console=" + console + "]";
    }
}
