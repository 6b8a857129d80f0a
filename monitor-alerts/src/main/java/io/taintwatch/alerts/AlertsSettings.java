package io.taintwatch.alerts;

import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.api.HttpLimits;
import io.taintwatch.alerts.delivery.WebhookEndpoint;
import io.taintwatch.alerts.delivery.WebhooksConfig;
import io.taintwatch.alerts.rules.OwnAddresses;
import io.taintwatch.alerts.rules.RuleThresholds;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.alerts.rules.SeverityConfig;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Category;
import io.taintwatch.model.Severity;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Binds {@link AlertsConfig} from flat {@code alerts.*} keys (a properties file, or YAML flattened to dotted keys),
 * so the app's config file and environment drive the module. Every key, its default and meaning is in {@link #KEYS}
 * (and docs/alert-schema.md). An unknown {@code alerts.*} key or a bad value is an error naming the key.
 * Secrets: {@code alerts.api.tokens} and {@code alerts.webhook.<name>.secret} are usually given in the environment.
 */
public final class AlertsSettings {
    /** Key patterns ({@code <rule>}, {@code <asset>}, {@code <name>} are placeholders) with defaults and meaning. */
    public static final Map<String, String> KEYS = keys();

    private static Map<String, String> keys() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("alerts.application-id", "taintwatch-alerts | Kafka Streams application id of the alert service");
        m.put("alerts.read-blocks", "false | also read blocks.<chain>: payments into sanctioned addresses, our hot wallets' outgoing exposure");
        m.put("alerts.quiet-blocks", RulesConfig.DEFAULT_QUIET_BLOCKS + " | blocks without movement after which a watchlist address's next movement is a new alert");
        m.put("alerts.own.entities", " | comma-separated names of our own entity in the labels (case-insensitive)");
        m.put("alerts.own.deposit-addresses", " | comma-separated addresses of our deposit addresses");
        m.put("alerts.own.hot-wallets", " | comma-separated addresses of our hot wallets");
        m.put("alerts.sanctioned-categories", "sanctions,terrorism-financing | seed categories that count as sanctioned");
        m.put("alerts.severity.medium-at", "4 | score from which an arrival at another service is medium");
        m.put("alerts.severity.high-at", "7 | score from which an arrival at another service is high");
        m.put("alerts.severity.large-amount.<asset>", " | tainted amount (base units) from which the amount adds a point; asset: native, a contract, or <chain>:<asset>");
        m.put("alerts.rule.<rule>.enabled", "true | rule on or off");
        m.put("alerts.rule.<rule>.min-share-ppm", "per rule (docs) | minimum tainted share in parts per million");
        m.put("alerts.rule.<rule>.max-hops", "per rule (docs) | maximum hops from the source");
        m.put("alerts.rule.<rule>.min-amount.<asset>", "0 | minimum tainted amount (base units) per asset");
        m.put("alerts.policy.<parameter>", " | the taint engine's parameters, copied into every alert (policy.parameters)");
        m.put("alerts.topics.tokens", "tokens | compacted token metadata topic");
        m.put("alerts.topics.tracked", "alerts.tracked | compacted topic of tracked addresses this service writes");
        m.put("alerts.topics.webhook-dlq", "alerts.webhook-dlq | dead letters of webhook deliveries");
        m.put("alerts.api.tokens", " | comma-separated bearer tokens (at least 16 characters each); none = API refuses all");
        m.put("alerts.api.max-alerts", "100000 | alerts the API keeps in memory");
        m.put("alerts.api.request-timeout-ms", "10000 | time from a request's first byte to the end of its response; a connection over it is closed");
        m.put("alerts.api.max-connections", "1000 | connections with a request in progress (SSE streams included); more are closed at once");
        m.put("alerts.api.max-requests", "64 | requests handled at once (streams, /health and /ready not counted); more are answered 503");
        m.put("alerts.api.max-streams", "100 | SSE streams open at once; more are answered 503");
        m.put("alerts.webhooks", " | comma-separated webhook endpoint names");
        m.put("alerts.webhook.<name>.url", " | http(s) URL (required)");
        m.put("alerts.webhook.<name>.secret", " | HMAC secret, at least 16 characters (required)");
        m.put("alerts.webhook.<name>.severities", " | only these severities (empty = all)");
        m.put("alerts.webhook.<name>.rules", " | only these rules (empty = all)");
        m.put("alerts.webhook.<name>.chains", " | only these chains (empty = all)");
        m.put("alerts.webhook.<name>.retry-budget-ms", "86400000 | how long a failing receiver is retried before alerts are dead-lettered");
        m.put("alerts.webhook.<name>.initial-backoff-ms", "1000 | first retry delay, doubling");
        m.put("alerts.webhook.<name>.max-backoff-ms", "300000 | largest retry delay");
        m.put("alerts.webhook.<name>.timeout-ms", "10000 | per-attempt timeout");
        return java.util.Collections.unmodifiableMap(m);
    }

    private AlertsSettings() {}

    /**
     * The engine's parameters as an alert's {@code policy.parameters}: {@code policy}, {@code max_hops},
     * {@code min_share_ppm}, {@code dust_default}, {@code dust[<asset>]}, {@code terminal_categories}, {@code provenance_k}.
     * Pass it to {@link RulesConfig#withPolicyParameters} so every alert says how its numbers were computed.
     */
    public static Map<String, String> policyParameters(io.taintwatch.taint.TaintConfig t) {
        Map<String, String> m = new TreeMap<>();
        m.put("policy", t.policy().label());
        m.put("max_hops", Integer.toString(t.maxHops()));
        m.put("min_share_ppm", Long.toString(t.minSharePpm()));
        m.put("dust_default", t.defaultDust().toString());
        t.dustByAsset().forEach((a, d) -> m.put("dust[" + a + "]", d.toString()));
        m.put("terminal_categories", String.join(",", new TreeSet<>(t.terminalCategories().stream().map(Category::label).toList())));
        m.put("provenance_k", Integer.toString(t.provenanceK()));
        return m;
    }

    /**
     * @param flat         every configuration key (only {@code alerts.*} are read here)
     * @param alertsTopic  the app's alerts topic name; {@code watchlistTopic}, {@code labelsTopic} likewise
     * @param host         bind address of the API; {@code port} its port
     */
    public static AlertsConfig bind(Map<String, String> flat, String bootstrapServers, Path stateDir, List<ChainSettings> chains,
                                    String watchlistTopic, String labelsTopic, String alertsTopic, String host, int port,
                                    int replicationFactor) {
        Reader r = new Reader(flat);
        Set<String> entities = new LinkedHashSet<>(r.list("alerts.own.entities"));
        Set<Address> deposits = new LinkedHashSet<>(r.list("alerts.own.deposit-addresses", Address::parse));
        Set<Address> hot = new LinkedHashSet<>(r.list("alerts.own.hot-wallets", Address::parse));
        Set<Category> sanctioned = new LinkedHashSet<>(r.list("alerts.sanctioned-categories", Category::fromLabel));

        Map<AlertRule, RuleThresholds> thresholds = new EnumMap<>(AlertRule.class);
        Map<AlertRule, RuleThresholds> defaults = RulesConfig.defaultThresholds();
        for (AlertRule rule : AlertRule.values()) {
            String p = "alerts.rule." + rule.label() + ".";
            RuleThresholds d = defaults.get(rule);
            Map<String, BigInteger> min = new TreeMap<>(d.minAmount());
            min.putAll(r.amounts(p + "min-amount."));
            thresholds.put(rule, new RuleThresholds(r.bool(p + "enabled", d.enabled()), min,
                r.longValue(p + "min-share-ppm", d.minSharePpm()), (int) r.longValue(p + "max-hops", d.maxHops())));
        }
        SeverityConfig sev = new SeverityConfig((int) r.longValue("alerts.severity.medium-at", 4), (int) r.longValue("alerts.severity.high-at", 7),
            r.amounts("alerts.severity.large-amount."));
        Map<String, String> policy = r.prefixed("alerts.policy.");
        RulesConfig rules = new RulesConfig(thresholds, new OwnAddresses(entities, deposits, hot), sanctioned,
            r.longValue("alerts.quiet-blocks", RulesConfig.DEFAULT_QUIET_BLOCKS), sev, policy);

        WebhooksConfig webhooks = webhooks(r);
        ApiConfig api;
        try {
            HttpLimits d = HttpLimits.defaults();
            HttpLimits limits = new HttpLimits(Duration.ofMillis(r.longValue("alerts.api.request-timeout-ms", d.requestTimeout().toMillis())),
                (int) r.longValue("alerts.api.max-connections", d.maxConnections()), (int) r.longValue("alerts.api.max-requests", d.maxRequests()),
                (int) r.longValue("alerts.api.max-streams", d.maxStreams()));
            api = new ApiConfig(host, port, r.list("alerts.api.tokens"), (int) r.longValue("alerts.api.max-alerts", 100_000), limits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config alerts.api.*: " + e.getMessage(), e);
        }
        AlertsTopics topics = new AlertsTopics(watchlistTopic, labelsTopic, r.string("alerts.topics.tokens", "tokens"), alertsTopic,
            r.string("alerts.topics.tracked", "alerts.tracked"), r.string("alerts.topics.webhook-dlq", "alerts.webhook-dlq"));
        AlertsConfig c = new AlertsConfig(bootstrapServers, r.string("alerts.application-id", "taintwatch-alerts"), stateDir,
            replicationFactor, chains, topics, r.bool("alerts.read-blocks", false), rules, webhooks, api);
        r.checkAllUsed("alerts.");
        return c;
    }

    /**
     * Only the webhook endpoints ({@code alerts.webhooks} and {@code alerts.webhook.<name>.*}; other keys are ignored),
     * for tools that deliver without running the alert service.
     */
    public static WebhooksConfig bindWebhooks(Map<String, String> flat) {
        Reader r = new Reader(flat);
        WebhooksConfig c = webhooks(r);
        r.checkAllUsed("alerts.webhook.");
        return c;
    }

    private static WebhooksConfig webhooks(Reader r) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (String name : r.list("alerts.webhooks")) {
            String p = "alerts.webhook." + name + ".";
            URI url = url(p + "url", r.required(p + "url"));
            String secret = r.required(p + "secret");
            try {
                endpoints.add(new WebhookEndpoint(name, url, secret,
                    new LinkedHashSet<>(r.list(p + "severities", Severity::fromLabel)), new LinkedHashSet<>(r.list(p + "rules", AlertRule::fromLabel)),
                    new LinkedHashSet<>(r.list(p + "chains")),
                    Duration.ofMillis(r.longValue(p + "retry-budget-ms", WebhookEndpoint.DEFAULT_RETRY_BUDGET.toMillis())),
                    Duration.ofMillis(r.longValue(p + "initial-backoff-ms", 1000)), Duration.ofMillis(r.longValue(p + "max-backoff-ms", 300_000)),
                    Duration.ofMillis(r.longValue(p + "timeout-ms", 10_000))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config " + p + "*: " + e.getMessage(), e);
            }
        }
        return new WebhooksConfig(endpoints, null);
    }

    /** Parses a webhook URL; the error does not quote it or chain the parser's exception (both would show a token). */
    private static URI url(String key, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("config " + key + ": not a valid URL (" + e.getReason() + " at index " + e.getIndex()
                + "; value not shown: it may hold a token)");
        }
    }

    /** Reads keys and remembers which {@code alerts.*} keys were used, so unknown ones can be reported. */
    private static final class Reader {
        private final Map<String, String> flat;
        private final Set<String> used = new TreeSet<>();

        Reader(Map<String, String> flat) {
            this.flat = new HashMap<>(flat);
        }

        String string(String key, String dflt) {
            used.add(key);
            String v = flat.get(key);
            return v == null || v.isBlank() ? dflt : v.strip();
        }

        String required(String key) {
            String v = string(key, null);
            if (v == null) {
                throw new IllegalArgumentException("config " + key + " is required");
            }
            return v;
        }

        boolean bool(String key, boolean dflt) {
            String v = string(key, null);
            if (v == null) {
                return dflt;
            }
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("config " + key + ": expected true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }

        long longValue(String key, long dflt) {
            String v = string(key, null);
            if (v == null) {
                return dflt;
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("config " + key + ": expected an integer, got '" + v + "'");
            }
        }

        List<String> list(String key) {
            return list(key, s -> s);
        }

        <T> List<T> list(String key, Function<String, T> parse) {
            String v = string(key, null);
            List<T> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            for (String part : v.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(parse.apply(part.strip()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("config " + key + ": bad value '" + part.strip() + "': " + e.getMessage(), e);
                }
            }
            return out;
        }

        Map<String, String> prefixed(String prefix) {
            Map<String, String> m = new TreeMap<>();
            flat.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    used.add(k);
                    m.put(k.substring(prefix.length()), v.strip());
                }
            });
            return m;
        }

        Map<String, BigInteger> amounts(String prefix) {
            Map<String, BigInteger> m = new TreeMap<>();
            prefixed(prefix).forEach((asset, v) -> {
                try {
                    BigInteger b = new BigInteger(v);
                    if (b.signum() < 0) {
                        throw new NumberFormatException("negative");
                    }
                    m.put(asset, b);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("config " + prefix + asset + ": expected a non-negative integer in base units, got '" + v + "'");
                }
            });
            return m;
        }

        void checkAllUsed(String prefix) {
            for (String k : new TreeSet<>(flat.keySet())) {
                if (k.startsWith(prefix) && !used.contains(k)) {
                    throw new IllegalArgumentException("unknown config key " + k + " (alerts keys: " + KEYS.keySet() + ")");
                }
            }
        }
    }
}
