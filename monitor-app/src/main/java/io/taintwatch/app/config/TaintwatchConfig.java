package io.taintwatch.app.config;

import static io.taintwatch.app.config.ConfigKeys.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * taintwatch's configuration: one file (YAML or properties; nested YAML keys become dotted keys, lists become
 * comma-separated values) plus environment variables overriding it ({@code TAINTWATCH_KAFKA_BOOTSTRAP_SERVERS} overrides
 * {@code kafka.bootstrap-servers}), validated against the declarations in {@link ConfigKeys}: every value is typed and
 * checked, and an unknown key is refused with the nearest known key named. {@link PipelineConfig} binds it to the parts.
 */
public final class TaintwatchConfig {
    private static final String ENV_PREFIX = "TAINTWATCH_";
    /** Variables of the launcher and the deployment files, not configuration keys. */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("TAINTWATCH_JAVA_OPTS", "TAINTWATCH_VERSION", "TAINTWATCH_LOG_LEVEL");

    private final Map<String, String> raw;
    private final ConfigDef definition;
    private final Map<String, Object> values;
    private final List<String> chainNames;
    private final List<String> webhookNames;
    private final List<String> userNames;

    private TaintwatchConfig(Map<String, String> raw) {
        this.raw = Map.copyOf(raw);
        this.chainNames = names(raw, CHAINS, "ethereum");
        this.webhookNames = names(raw, WEBHOOKS, "");
        this.userNames = names(raw, API_USERS, "");
        this.definition = definition(chainNames, webhookNames, userNames);
        checkKeys();
        try {
            Map<String, String> declared = new TreeMap<>();
            raw.forEach((k, v) -> {
                if (definition.names().contains(k)) {
                    declared.put(k, v);
                }
            });
            this.values = definition.parse(declared);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException(e.getMessage() + " (see docs/configuration.md)");
        }
        for (String c : chainNames) {
            if (!c.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
                throw new ConfigException("chains: chain name '" + c + "' must be lower-case letters, digits, '-' or '_'");
            }
        }
    }

    /** The declarations for these chain and webhook names, without users. */
    public static ConfigDef definition(List<String> chains, List<String> webhooks) {
        return definition(chains, webhooks, List.of());
    }

    /** The declarations for these chain, webhook and API user names: the fixed keys and each name's template keys. */
    public static ConfigDef definition(List<String> chains, List<String> webhooks, List<String> users) {
        ConfigDef d = new ConfigDef(fixed());
        ConfigDef chain = chainTemplate();
        for (String c : chains) {
            prefixAll(d, chain, CHAIN_PREFIX + c + ".");
        }
        ConfigDef hook = webhookTemplate();
        for (String h : webhooks) {
            prefixAll(d, hook, WEBHOOK_PREFIX + h + ".");
        }
        ConfigDef user = userTemplate();
        for (String u : users) {
            prefixAll(d, user, API_USER_PREFIX + u + ".");
        }
        return d;
    }

    static void prefixAll(ConfigDef into, ConfigDef template, String prefix) {
        for (ConfigDef.ConfigKey k : template.configKeys().values()) {
            into.define(new ConfigDef.ConfigKey(prefix + k.name, k.type, k.defaultValue, k.validator, k.importance, k.documentation,
                k.group, k.orderInGroup, k.width, k.displayName, k.dependents, k.recommender, k.internalConfig));
        }
    }

    /** Reads the file (may be null), then the environment, then {@code overrides} (last wins). */
    public static TaintwatchConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> v = new TreeMap<>();
        if (file != null) {
            v.putAll(readFile(file));
        }
        // the names decide which per-chain and per-webhook keys the environment can set
        String chains = env.getOrDefault(envName(CHAINS), v.getOrDefault(CHAINS, "ethereum"));
        String hooks = env.getOrDefault(envName(WEBHOOKS), v.getOrDefault(WEBHOOKS, ""));
        String users = env.getOrDefault(envName(API_USERS), v.getOrDefault(API_USERS, ""));
        ConfigDef def = definition(split(chains), split(hooks), split(users));
        for (String key : def.names()) {
            String e = env.get(envName(key));
            if (e != null) {
                v.put(key, e);
            }
        }
        // Kafka client pass-through: TAINTWATCH_KAFKA_CLIENT_SASL_MECHANISM -> kafka.client.sasl.mechanism; a family's member:
        // TAINTWATCH_ALERTS_SEVERITY_LARGE_AMOUNT_NATIVE -> alerts.severity.large-amount.native
        Set<String> envNames = new HashSet<>();
        def.names().forEach(k -> envNames.add(envName(k)));
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || envNames.contains(name) || LAUNCHER_VARIABLES.contains(name)) {
                continue;
            }
            Prefixed family = prefixed().stream().filter(p -> name.startsWith(envName(p.prefix())) && name.length() > envName(p.prefix()).length())
                .findFirst().orElse(null);
            if (family == null) {
                throw new ConfigException("unknown environment variable " + name + suggestion(name, envNames.stream().sorted().toList(), "")
                    + " (TAINTWATCH_ + a configuration key; see docs/configuration.md)");
            }
            String rest = name.substring(envName(family.prefix()).length()).toLowerCase(Locale.ROOT);
            v.put(family.prefix() + (family.prefix().equals(KAFKA_CLIENT_PREFIX) ? rest.replace('_', '.') : rest), e.getValue());
        }
        v.putAll(overrides);
        return new TaintwatchConfig(v);
    }

    /** The configuration from these values alone (no file, no environment): presets and tests. */
    public static TaintwatchConfig of(Map<String, String> values) {
        return new TaintwatchConfig(new TreeMap<>(values));
    }

    public static TaintwatchConfig defaults() {
        return of(Map.of());
    }

    /** This configuration with some values replaced or added (validated again). */
    public TaintwatchConfig with(Map<String, String> more) {
        Map<String, String> v = new TreeMap<>(raw);
        v.putAll(more);
        return new TaintwatchConfig(v);
    }

    /** The environment variable that overrides a key: {@code TAINTWATCH_} + upper case, dots and dashes as underscores. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Map<String, String> readFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + file + " is missing or unreadable");
        }
        String name = file.getFileName().toString();
        try {
            Map<String, String> m = new LinkedHashMap<>();
            if (name.endsWith(".properties")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
                p.forEach((k, val) -> m.put(k.toString().strip(), val.toString().strip()));
                return m;
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
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
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            out.put(prefix, String.join(",", parts));
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    private static List<String> names(Map<String, String> raw, String key, String dflt) {
        return split(raw.getOrDefault(key, dflt));
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank() && !out.contains(s.strip())) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** Kafka client settings any client type or Kafka Streams knows, and Streams' per-client prefixes. */
    private static final Set<String> KAFKA_SETTINGS = kafkaSettings();
    /** Kafka Streams settings the taint and alerts parts each take from a key of their own. */
    private static final Map<String, String> PER_PART = Map.of(
        "num.standby.replicas", "'" + TAINT_STANDBY_REPLICAS + "' and '" + ALERTS_STANDBY_REPLICAS + "'",
        "num.stream.threads", "'" + TAINT_STREAM_THREADS + "' and '" + ALERTS_STREAM_THREADS + "'",
        "application.id", "'" + TAINT_APPLICATION_ID + "' and '" + ALERTS_APPLICATION_ID + "'");
    private static final List<String> KAFKA_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
        StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX,
        StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.TOPIC_PREFIX);

    private static Set<String> kafkaSettings() {
        Set<String> s = new HashSet<>();
        s.addAll(ProducerConfig.configNames());
        s.addAll(ConsumerConfig.configNames());
        s.addAll(AdminClientConfig.configNames());
        s.addAll(StreamsConfig.configDef().names());
        return Set.copyOf(s);
    }

    private void checkKeys() {
        List<String> known = knownNames();
        for (String k : new TreeMap<>(raw).keySet()) {
            if (definition.names().contains(k)) {
                continue;
            }
            if (k.startsWith(KAFKA_CLIENT_PREFIX)) {
                String setting = k.substring(KAFKA_CLIENT_PREFIX.length());
                if (PER_PART.containsKey(setting)) {
                    throw new ConfigException("'" + k + "' is set per part: use " + PER_PART.get(setting));
                }
                if (KAFKA_SETTINGS.contains(setting) || KAFKA_PREFIXES.stream().anyMatch(setting::startsWith)) {
                    continue;
                }
                throw new ConfigException("unknown Kafka client setting '" + k + "'" + suggestion(setting, KAFKA_SETTINGS.stream().sorted().toList(),
                    KAFKA_CLIENT_PREFIX) + " (kafka.client.<setting> takes Kafka's own client settings)");
            }
            if (prefixed().stream().anyMatch(p -> k.startsWith(p.prefix()) && k.length() > p.prefix().length())) {
                continue;
            }
            if (k.startsWith(CHAIN_PREFIX) && k.indexOf('.', CHAIN_PREFIX.length()) > 0) {
                String chain = k.substring(CHAIN_PREFIX.length(), k.indexOf('.', CHAIN_PREFIX.length()));
                if (!chainNames.contains(chain)) {
                    throw new ConfigException("configuration key '" + k + "' is for chain '" + chain + "', which 'chains' does not list "
                        + chainNames);
                }
            }
            if (k.startsWith(WEBHOOK_PREFIX) && k.indexOf('.', WEBHOOK_PREFIX.length()) > 0) {
                String hook = k.substring(WEBHOOK_PREFIX.length(), k.indexOf('.', WEBHOOK_PREFIX.length()));
                if (!webhookNames.contains(hook)) {
                    throw new ConfigException("configuration key '" + k + "' is for webhook '" + hook + "', which 'alerts.webhooks' does "
                        + "not list " + webhookNames);
                }
            }
            if (k.startsWith(API_USER_PREFIX) && k.indexOf('.', API_USER_PREFIX.length()) > 0) {
                String user = k.substring(API_USER_PREFIX.length(), k.indexOf('.', API_USER_PREFIX.length()));
                if (!userNames.contains(user)) {
                    throw new ConfigException("configuration key '" + k + "' is for user '" + user + "', which 'alerts.api.users' does not list "
                        + userNames);
                }
            }
            throw new ConfigException("unknown configuration key '" + k + "'" + suggestion(k, known, "") + " (see docs/configuration.md)");
        }
    }

    private List<String> knownNames() {
        List<String> known = new ArrayList<>(definition.names());
        prefixed().forEach(p -> known.add(p.pattern()));
        return known;
    }

    /** "; did you mean '<prefix>x'?" for the nearest known name within a third of the key's length, else nothing. */
    static String suggestion(String key, List<String> known, String prefix) {
        LevenshteinDistance lev = new LevenshteinDistance(Math.max(2, key.length() / 3));
        return known.stream().filter(n -> lev.apply(key, n) >= 0)
            .min(Comparator.comparingInt((String n) -> lev.apply(key, n)).thenComparing(n -> n))
            .map(n -> "; did you mean '" + prefix + n + "'?").orElse("");
    }

    // typed access to declared keys

    public List<String> chainNames() {
        return chainNames;
    }

    public List<String> webhookNames() {
        return webhookNames;
    }

    public List<String> userNames() {
        return userNames;
    }

    private Object value(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("configuration key '" + key + "' is not declared");
        }
        return values.get(key);
    }

    public String string(String key) {
        Object v = value(key);
        return v == null ? null : v.toString().strip();
    }

    public int integer(String key) {
        return (Integer) value(key);
    }

    public long longValue(String key) {
        return (Long) value(key);
    }

    public boolean bool(String key) {
        return (Boolean) value(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        List<String> l = (List<String>) value(key);
        return l == null ? List.of() : l.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A secret's value (null when unset); {@link Password} keeps it out of {@code toString} and Kafka's messages. */
    public String secret(String key) {
        Password p = (Password) value(key);
        return p == null ? null : p.value();
    }

    /** Whether the key was given (file, environment or override) rather than defaulted. */
    public boolean isSet(String key) {
        return raw.containsKey(key);
    }

    /** Every given key under {@code prefix}, with the prefix removed (the Kafka client settings, the asset families). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        raw.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v.strip());
            }
        });
        return m;
    }

    /** Never prints values: several are secrets. */
    @Override
    public String toString() {
        return "TaintwatchConfig[" + raw.size() + " keys given, chains=" + chainNames + ", webhooks=" + webhookNames + "]";
    }
}
