package io.taintwatch.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * taintwatch's configuration: one file (YAML or properties; nested YAML keys become dotted keys) plus
 * environment variables overriding it ({@code TAINTWATCH_KAFKA_BOOTSTRAP_SERVERS} overrides
 * {@code kafka.bootstrap-servers}). Keys are documented in {@link Keys} and docs/configuration.md;
 * an unknown key is an error, except under the pass-through prefixes ({@code kafka.client.}, {@code chain.}).
 */
public final class Settings {
    private final TreeMap<String, String> values;

    private Settings(TreeMap<String, String> values) {
        this.values = values;
    }

    public static Settings load(Path file, Map<String, String> env, Map<String, String> overrides) {
        TreeMap<String, String> v = new TreeMap<>();
        for (ConfigKey k : Keys.ALL) {
            if (k.defaultValue() != null) {
                v.put(k.name(), k.defaultValue());
            }
        }
        if (file != null) {
            v.putAll(readFile(file));
        }
        for (ConfigKey k : Keys.ALL) {
            String e = env.get(k.envName());
            if (e != null) {
                v.put(k.name(), e);
            }
        }
        // per-chain and per-webhook keys named in the file (or in TAINTWATCH_CHAINS) can be overridden too,
        // e.g. TAINTWATCH_CHAIN_ETHEREUM_RPC_URLS for chain.ethereum.rpc-urls (so RPC keys stay in a Secret)
        String chains = env.getOrDefault(ConfigKey.envName(Keys.CHAINS), v.getOrDefault(Keys.CHAINS, ""));
        for (String chain : chains.split(",")) {
            for (String ck : Keys.CHAIN_KEYS) {
                String key = "chain." + chain.strip() + "." + ck;
                String e = env.get(ConfigKey.envName(key));
                if (e != null && !chain.isBlank()) {
                    v.put(key, e);
                }
            }
        }
        String hooks = env.getOrDefault(ConfigKey.envName(Keys.WEBHOOKS), v.getOrDefault(Keys.WEBHOOKS, ""));
        for (String hook : hooks.split(",")) {
            for (String hk : new String[] {"url", "secret"}) {
                String key = "alerts.webhook." + hook.strip() + "." + hk;
                String e = env.get(ConfigKey.envName(key));
                if (e != null && !hook.isBlank()) {
                    v.put(key, e);
                }
            }
        }
        // Kafka client pass-through: TAINTWATCH_KAFKA_CLIENT_SASL_MECHANISM -> kafka.client.sasl.mechanism
        env.forEach((name, value) -> {
            if (name.startsWith("TAINTWATCH_KAFKA_CLIENT_")) {
                v.put("kafka.client." + name.substring("TAINTWATCH_KAFKA_CLIENT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
            }
        });
        v.putAll(overrides);
        Settings s = new Settings(v);
        s.validateKeys();
        return s;
    }

    public static Settings defaults() {
        return load(null, Map.of(), Map.of());
    }

    static Map<String, String> readFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + file + " is missing or unreadable");
        }
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".properties")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
                Map<String, String> m = new LinkedHashMap<>();
                p.forEach((k, val) -> m.put(k.toString().strip(), val.toString().strip()));
                return m;
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            Map<String, String> m = new LinkedHashMap<>();
            if (root != null) {
                flatten("", root, m);
            }
            return m;
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " cannot be parsed: " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode n : node) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(n.asText());
            }
            out.put(prefix, sb.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    private void validateKeys() {
        for (String k : values.keySet()) {
            if (Keys.find(k) == null && !k.startsWith("kafka.client.") && !k.startsWith("chain.") && !k.startsWith("alerts.webhook.")) {
                throw new ConfigException("unknown configuration key '" + k + "' (see docs/configuration.md)");
            }
        }
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException("configuration key '" + key + "' is required (or set " + ConfigKey.envName(key) + ")");
        }
        return v;
    }

    public String getOrNull(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key).strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("configuration key '" + key + "' must be an integer, got '" + get(key) + "'");
        }
    }

    public long getLong(String key) {
        try {
            return Long.parseLong(get(key).strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("configuration key '" + key + "' must be an integer, got '" + get(key) + "'");
        }
    }

    public boolean getBoolean(String key) {
        String v = get(key).strip().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException("configuration key '" + key + "' must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    public List<String> getList(String key) {
        String v = getOrNull(key);
        if (v == null) {
            return List.of();
        }
        return java.util.Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Every key under {@code prefix} with the prefix removed (e.g. Kafka client pass-through settings). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }

    public Settings with(String key, String value) {
        TreeMap<String, String> v = new TreeMap<>(values);
        v.put(key, value);
        return new Settings(v);
    }
}
