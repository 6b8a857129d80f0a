package io.taintwatch.app.run;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taintwatch.alerts.AlertsConfig;
import io.taintwatch.alerts.AlertsRuntime;
import io.taintwatch.alerts.AlertsTopics;
import io.taintwatch.alerts.ChainSettings;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.delivery.WebhookEndpoint;
import io.taintwatch.alerts.delivery.WebhooksConfig;
import io.taintwatch.alerts.rules.OwnAddresses;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.app.config.ConfigException;
import io.taintwatch.app.config.Keys;
import io.taintwatch.app.config.Settings;
import io.taintwatch.app.http.MetricsServer;
import io.taintwatch.app.retro.RetroMode;
import io.taintwatch.app.retro.RetroScreener;
import io.taintwatch.app.retro.RetroSettings;
import io.taintwatch.ingest.IngestConfig;
import io.taintwatch.ingest.IngestService;
import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.topology.TaintTopologyConfig;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The production composition root: builds ingest, taint and alerts from {@link Settings} and runs the
 * requested parts in one process (each part alone for separate deployments), with /metrics, /health, /ready.
 */
public final class PipelineRuntime implements AutoCloseable {
    /** The parts a process can run. */
    public enum Part { INGEST, TAINT, ALERTS }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<BooleanSupplier> alive = new ArrayList<>();
    private final List<BooleanSupplier> ready = new ArrayList<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private PipelineRuntime() {}

    public static PipelineRuntime start(Settings s, Set<Part> parts) throws Exception {
        PipelineRuntime rt = new PipelineRuntime();
        try {
            rt.startParts(s, parts);
            return rt;
        } catch (Exception e) {
            rt.close();
            throw e;
        }
    }

    private void startParts(Settings s, Set<Part> parts) throws Exception {
        io.taintwatch.app.http.Binders.bindJvm(registry);
        io.taintwatch.topology.BoundedRocksDb.budget(s.getLong(Keys.STATE_ROCKSDB_MEMORY));
        String bootstrap = s.get(Keys.KAFKA_BOOTSTRAP);
        Map<String, String> client = s.withPrefix("kafka.client.");
        List<EvmChainConfig> chains = chains(s);
        for (EvmChainConfig c : chains) {
            Topics.ensure(bootstrap, client, Topics.forChain(c.chain(), s.get(Keys.TOPIC_WATCHLIST), s.get(Keys.TOPIC_LABELS),
                s.getLong(Keys.TOPIC_RETENTION_MS), s.getInt(Keys.TOPIC_PARTITIONS)));
        }
        Path stateDir = Path.of(s.get(Keys.STATE_DIR));
        MetricsServer http = new MetricsServer(s.get(Keys.HTTP_BIND), s.getInt(Keys.METRICS_PORT), registry,
            () -> alive.stream().allMatch(BooleanSupplier::getAsBoolean), () -> ready.stream().allMatch(BooleanSupplier::getAsBoolean));
        started.add(http);
        if (parts.contains(Part.INGEST)) {
            Map<String, Object> producer = new HashMap<>(client);
            IngestService ingest = IngestService.start(new IngestConfig(new KafkaSinkConfig(bootstrap, KafkaSinkConfig.DEFAULT_CHECKPOINT_TOPIC,
                KafkaSinkConfig.DEFAULT_TOKENS_TOPIC, "taintwatch-ingest-", true, producer), rpcSettings(s), chains), new IngestMetrics(registry));
            started.add(ingest);
            alive.add(() -> ingest.failures().isEmpty());
        }
        if (parts.contains(Part.TAINT)) {
            TaintConfig tc = taintConfig(s);
            for (EvmChainConfig c : chains) {
                TaintTopologyConfig cfg = TaintTopologyConfig.live(c.chain(), tc)
                    .withTopics(c.blocksTopic(), s.get(Keys.TOPIC_WATCHLIST), s.get(Keys.TOPIC_LABELS), c.chain().flowsTopic())
                    .withSectionTimes(s.getBoolean(Keys.TAINT_SECTION_TIMES))
                    // ingest's token metadata (tokens) is not read yet: its records carry their publish time and would be ordered
                    // after the blocks that mention them (docs/tokens.md, "Topics and state")
                    .withTokenTopics(TaintTopologyConfig.TOKEN_REGISTRY_TOPIC, null);
                TaintService t = new TaintService(cfg, taintApplicationId(c.chain()), bootstrap, stateDir, client, registry).start();
                started.add(t);
                alive.add(t::alive);
                ready.add(t::ready);
            }
            startRetro(s, chains, bootstrap, client);
        }
        if (parts.contains(Part.ALERTS)) {
            AlertsRuntime a = AlertsRuntime.start(alertsConfig(s, chains, bootstrap, stateDir), registry, new HashMap<>(client),
                s.getInt(Keys.TOPIC_PARTITIONS));
            started.add(a);
            alive.add(a::alive);
            ready.add(a::ready);
        }
    }

    /**
     * Retro-screening beside the taint engines (it reads their seeds changelogs), unless {@code retro.mode=off}:
     * one background screener per chain (docs/labels.md, "Retro-screening").
     */
    private void startRetro(Settings s, List<EvmChainConfig> chains, String bootstrap, Map<String, String> client) {
        List<RetroSettings> all = new ArrayList<>();
        for (EvmChainConfig c : chains) {
            all.add(retroSettings(s, c));
        }
        if (all.isEmpty() || all.get(0).mode() == RetroMode.OFF) {
            return;
        }
        Topics.ensure(bootstrap, client, List.of(Topics.retroScreenings(s.get(Keys.TOPIC_RETRO))));
        for (RetroSettings rs : all) {
            RetroScreener r = RetroScreener.start(rs, registry);
            started.add(r);
            alive.add(r::alive);
        }
    }

    /** The Kafka Streams application id of a chain's live taint engine (it names the engine's changelog topics). */
    public static String taintApplicationId(ChainId chain) {
        return "taintwatch-taint-" + chain.name();
    }

    /** Retro-screening of one chain as configured: mode, look-back, and the live engine's and alert rules' configuration. */
    public static RetroSettings retroSettings(Settings s, EvmChainConfig c) {
        RetroMode mode;
        try {
            mode = RetroMode.fromLabel(s.get(Keys.RETRO_MODE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Keys.RETRO_MODE + ": " + e.getMessage());
        }
        long lookback = s.getLong(Keys.RETRO_LOOKBACK_BLOCKS);
        if (lookback < 0) {
            throw new ConfigException(Keys.RETRO_LOOKBACK_BLOCKS + " must not be negative, got " + lookback);
        }
        Duration lookbackTime = duration(Keys.RETRO_LOOKBACK_DURATION, s.getOrNull(Keys.RETRO_LOOKBACK_DURATION));
        String bootstrap = s.get(Keys.KAFKA_BOOTSTRAP);
        AlertsConfig ac = alertsConfig(s, List.of(c), bootstrap, Path.of(s.get(Keys.STATE_DIR)));
        return new RetroSettings(mode, lookback, lookbackTime, s.get(Keys.TOPIC_RETRO), bootstrap, s.withPrefix("kafka.client."), c.chain(), c.nativeSymbol(),
            c.nativeDecimals(), taintApplicationId(c.chain()), s.get(Keys.TOPIC_LABELS), s.get(Keys.TOPIC_ALERTS), taintConfig(s), ac.rules());
    }

    /** An ISO-8601 duration ({@code P7D}, {@code PT12H}) or a number with d, h, m or s ({@code 7d}); null when unset. */
    static Duration duration(String key, String v) {
        if (v == null) {
            return null;
        }
        String t = v.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.matches("\\d+[dhms]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } else {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException(key + " must be positive, got '" + v + "'");
            }
            return d;
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(key + " must be a duration such as P7D, PT12H, 7d or 12h, got '" + v + "'");
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public boolean alive() {
        return alive.stream().allMatch(BooleanSupplier::getAsBoolean);
    }

    public static TaintConfig taintConfig(Settings s) {
        Set<Category> terminals = EnumSet.noneOf(Category.class);
        for (String c : s.getList(Keys.TAINT_TERMINALS)) {
            terminals.add(parseCategory(Keys.TAINT_TERMINALS, c));
        }
        PolicyKind policy;
        try {
            policy = PolicyKind.fromLabel(s.get(Keys.TAINT_POLICY));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Keys.TAINT_POLICY + ": " + e.getMessage());
        }
        try {
            return new TaintConfig(policy, s.getInt(Keys.TAINT_MAX_HOPS), Map.of(Asset.NATIVE, new BigInteger(s.get(Keys.TAINT_DUST_NATIVE))),
                new BigInteger(s.get(Keys.TAINT_DUST_DEFAULT)), s.getLong(Keys.TAINT_MIN_SHARE_PPM), terminals, s.getInt(Keys.TAINT_PROVENANCE_K));
        } catch (NumberFormatException e) {
            throw new ConfigException("taint.dust.*: must be whole numbers of base units");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("taint.*: " + e.getMessage());
        }
    }

    private static Category parseCategory(String key, String c) {
        try {
            return Category.fromLabel(c);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    static RpcSettings rpcSettings(Settings s) {
        return RpcSettings.defaults().withTimeout(Duration.ofMillis(s.getLong(Keys.RPC_TIMEOUT_MS))).withMaxBatch(s.getInt(Keys.RPC_MAX_BATCH));
    }

    /** Every chain named in {@code chains}, from its {@code chain.<name>.*} keys. */
    public static List<EvmChainConfig> chains(Settings s) {
        List<EvmChainConfig> out = new ArrayList<>();
        for (String name : s.getList(Keys.CHAINS)) {
            String p = "chain." + name + ".";
            Map<String, String> c = s.withPrefix(p);
            for (String k : c.keySet()) {
                if (!Keys.CHAIN_KEYS.contains(k)) {
                    throw new ConfigException("unknown configuration key '" + p + k + "' (chain keys: " + Keys.CHAIN_KEYS + ")");
                }
            }
            long id = parseLong(p + "id", c.get("id"), -1);
            if (id <= 0) {
                throw new ConfigException("configuration key '" + p + "id' is required: the chain's EIP-155 id");
            }
            List<String> urls = c.get("rpc-urls") == null ? List.of() : List.of(c.get("rpc-urls").split("\\s*,\\s*"));
            if (urls.isEmpty() || urls.get(0).isBlank()) {
                throw new ConfigException("configuration key '" + p + "rpc-urls' is required (or set " + io.taintwatch.app.config.ConfigKey.envName(p + "rpc-urls") + ")");
            }
            Set<Address> weth = new LinkedHashSet<>();
            if (c.get("weth") != null) {
                for (String w : c.get("weth").split("\\s*,\\s*")) {
                    try {
                        weth.add(Address.parse(w));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(p + "weth: " + e.getMessage());
                    }
                }
            }
            TraceMode trace = switch (c.getOrDefault("trace", "call-tracer").toLowerCase(Locale.ROOT)) {
                case "call-tracer" -> TraceMode.CALL_TRACER;
                case "trace-block" -> TraceMode.TRACE_BLOCK;
                case "none" -> TraceMode.NONE;
                default -> throw new ConfigException(p + "trace must be call-tracer, trace-block or none");
            };
            ChainId chain;
            try {
                chain = new ChainId(id, name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("chains: " + e.getMessage());
            }
            out.add(new EvmChainConfig(chain, urls, (int) parseLong(p + "confirmations", c.get("confirmations"), 12),
                Boolean.parseBoolean(c.getOrDefault("finalized", "false")), c.getOrDefault("native-symbol", "ETH"),
                (int) parseLong(p + "native-decimals", c.get("native-decimals"), 18), weth, trace,
                Boolean.parseBoolean(c.getOrDefault("balances", "false")), Boolean.parseBoolean(c.getOrDefault("token-metadata", "true")),
                (int) parseLong(p + "batch-blocks", c.get("batch-blocks"), 10), Duration.ofMillis(parseLong(p + "poll-ms", c.get("poll-ms"), 4000)),
                parseLong(p + "start-block", c.get("start-block"), 0), null, null));
        }
        if (out.isEmpty()) {
            throw new ConfigException("configuration key 'chains' names no chain");
        }
        return out;
    }

    private static long parseLong(String key, String v, long dflt) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("configuration key '" + key + "' must be an integer, got '" + v + "'");
        }
    }

    static AlertsConfig alertsConfig(Settings s, List<EvmChainConfig> chains, String bootstrap, Path stateDir) {
        List<ChainSettings> cs = chains.stream().map(c -> new ChainSettings(c.chain().id(), c.chain().name(), c.nativeSymbol(), c.nativeDecimals())).toList();
        Set<Address> deposits = addresses(s, Keys.OWN_DEPOSITS);
        Set<Address> hot = addresses(s, Keys.OWN_HOT_WALLETS);
        RulesConfig rules = RulesConfig.defaults().withOwn(new OwnAddresses(new LinkedHashSet<>(s.getList(Keys.OWN_ENTITY_NAMES)), deposits, hot));
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (String name : s.getList(Keys.WEBHOOKS)) {
            String url = s.getOrNull("alerts.webhook." + name + ".url");
            String secret = s.getOrNull("alerts.webhook." + name + ".secret");
            if (url == null || secret == null) {
                throw new ConfigException("webhook '" + name + "' needs alerts.webhook." + name + ".url and .secret");
            }
            try {
                endpoints.add(WebhookEndpoint.of(name, URI.create(url), secret));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("webhook '" + name + "': " + e.getMessage());
            }
        }
        List<String> tokens = s.getList(Keys.API_TOKENS);
        AlertsTopics d = AlertsTopics.defaults();
        return new AlertsConfig(bootstrap, "taintwatch-alerts", stateDir.resolve("alerts"), -1, cs,
            new AlertsTopics(s.get(Keys.TOPIC_WATCHLIST), s.get(Keys.TOPIC_LABELS), d.tokens(), s.get(Keys.TOPIC_ALERTS), d.tracked(), d.webhookDlq()),
            true, rules, endpoints.isEmpty() ? WebhooksConfig.none() : new WebhooksConfig(endpoints, WebhooksConfig.none().groupPrefix()),
            ApiConfig.defaults().withPort(s.getInt(Keys.HTTP_PORT)).withTokens(tokens));
    }

    private static Set<Address> addresses(Settings s, String key) {
        Set<Address> out = new LinkedHashSet<>();
        for (String a : s.getList(key)) {
            try {
                out.add(Address.parse(a));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(PipelineRuntime.class).warn("closing {} failed: {}", started.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        started.clear();
    }
}
