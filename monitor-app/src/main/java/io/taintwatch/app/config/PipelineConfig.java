package io.taintwatch.app.config;

import static io.taintwatch.app.config.ConfigKeys.*;

import io.taintwatch.alerts.AlertsConfig;
import io.taintwatch.alerts.ChainSettings;
import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.api.HttpLimits;
import io.taintwatch.alerts.delivery.WebhookEndpoint;
import io.taintwatch.alerts.delivery.WebhooksConfig;
import io.taintwatch.alerts.rules.LookalikeConfig;
import io.taintwatch.alerts.rules.OwnAddresses;
import io.taintwatch.alerts.rules.RuleThresholds;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.alerts.rules.SeverityConfig;
import io.taintwatch.app.retro.RetroMode;
import io.taintwatch.app.retro.RetroSettings;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.ingest.source.rpc.TraceMode;
import io.taintwatch.ingest.source.tron.TronChainConfig;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Severity;
import io.taintwatch.taint.AssetScope;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.topology.StateCaches;
import io.taintwatch.topology.TaintTopologyConfig;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Binds a {@link TaintwatchConfig} to what each part of the pipeline takes: the Kafka client baseline, the topics,
 * the chains, the taint engine's, the alert module's and retro-screening's settings. The one binder: every command and
 * preset gets its settings from here.
 */
public final class PipelineConfig {
    private final TaintwatchConfig c;

    public PipelineConfig(TaintwatchConfig config) {
        this.c = config;
    }

    public TaintwatchConfig raw() {
        return c;
    }

    /** The one Kafka client baseline of the process: bootstrap servers and {@code kafka.client.*}. */
    public KafkaClients kafka() {
        return new KafkaClients(c.string(KAFKA_BOOTSTRAP), c.withPrefix(KAFKA_CLIENT_PREFIX));
    }

    public PipelineTopics topics() {
        Map<PipelineTopics.Topic, String> names = new EnumMap<>(PipelineTopics.Topic.class);
        for (PipelineTopics.Topic t : PipelineTopics.Topic.values()) {
            if (!t.defaultName().contains("<chain>")) {
                names.put(t, c.string(topicKey(t)));
            }
        }
        return new PipelineTopics(new PipelineTopics.Names(names), c.integer(TOPIC_PARTITIONS), c.longValue(TOPIC_RETENTION_MS),
            c.integer(TOPIC_REPLICATION));
    }

    public Path stateDir() {
        return Path.of(c.string(STATE_DIR));
    }

    /** Every configured chain's identity (what the taint and alerts parts need). */
    public List<ChainId> chainIds() {
        List<ChainId> out = new ArrayList<>();
        for (String name : c.chainNames()) {
            String key = chainKey(name, CHAIN_ID);
            if (c.string(key) == null) {
                throw new ConfigException("configuration key '" + key + "' is required: the chain's EIP-155 id (or set "
                    + TaintwatchConfig.envName(key) + ")");
            }
            out.add(new ChainId(c.longValue(key), name, kind(name)));
        }
        if (out.isEmpty()) {
            throw new ConfigException("configuration key 'chains' names no chain");
        }
        return out;
    }

    private static String chainKey(String chain, String key) {
        return CHAIN_PREFIX + chain + "." + key;
    }

    private ChainKind kind(String chain) {
        return ChainKind.fromLabel(c.string(chainKey(chain, CHAIN_KIND)));
    }

    /** The chain's native symbol: as set, else the default of its kind ({@code TRX} on Tron). */
    private String nativeSymbol(ChainId chain) {
        String key = chainKey(chain.name(), CHAIN_NATIVE_SYMBOL);
        return chain.kind() == ChainKind.TRON && !c.isSet(key) ? "TRX" : c.string(key);
    }

    /** The chain's native decimals: as set, else the default of its kind (6 on Tron: sun). */
    private int nativeDecimals(ChainId chain) {
        String key = chainKey(chain.name(), CHAIN_NATIVE_DECIMALS);
        return chain.kind() == ChainKind.TRON && !c.isSet(key) ? 6 : c.integer(key);
    }

    /** Whether the chain follows the node's finalized tag: as set, else on Tron yes (the solidified block). */
    private boolean finalized(ChainId chain) {
        String key = chainKey(chain.name(), CHAIN_FINALIZED);
        return chain.kind() == ChainKind.TRON && !c.isSet(key) || c.bool(key);
    }

    /** A comma-separated secret list of endpoint URLs, required by the ingest part. */
    private List<String> endpoints(String key) {
        String urls = c.secret(key);
        List<String> endpoints = urls == null ? List.of() : List.of(urls.strip().split("\\s*,\\s*"));
        if (endpoints.isEmpty() || endpoints.get(0).isBlank()) {
            throw new ConfigException("configuration key '" + key + "' is required by the ingest part (or set " + TaintwatchConfig.envName(key) + ")");
        }
        return endpoints;
    }

    /** Every configured EVM chain as ingest follows it; each needs its {@code rpc-urls}. */
    public List<EvmChainConfig> ingestChains() {
        List<EvmChainConfig> out = new ArrayList<>();
        for (ChainId chain : chainIds()) {
            if (chain.kind() != ChainKind.EVM) {
                continue;
            }
            String p = CHAIN_PREFIX + chain.name() + ".";
            List<String> endpoints = endpoints(p + CHAIN_RPC_URLS);
            Set<Address> weth = new LinkedHashSet<>(parse(p + CHAIN_WETH, c.list(p + CHAIN_WETH), Address::parse));
            TraceMode trace = switch (c.string(p + CHAIN_TRACE)) {
                case "trace-block" -> TraceMode.TRACE_BLOCK;
                case "none" -> TraceMode.NONE;
                default -> TraceMode.CALL_TRACER;
            };
            out.add(new EvmChainConfig(chain, endpoints, c.integer(p + CHAIN_CONFIRMATIONS), finalized(chain),
                nativeSymbol(chain), nativeDecimals(chain), weth, trace, c.bool(p + CHAIN_BALANCES),
                c.bool(p + CHAIN_TOKEN_METADATA), c.integer(p + CHAIN_BATCH_BLOCKS), Duration.ofMillis(c.longValue(p + CHAIN_POLL_MS)),
                c.longValue(p + CHAIN_START_BLOCK), null, null));
        }
        return out;
    }

    /** Every configured Tron chain as ingest follows it; each needs its {@code rpc-urls} and {@code http-urls}. */
    public List<TronChainConfig> tronIngestChains() {
        List<TronChainConfig> out = new ArrayList<>();
        for (ChainId chain : chainIds()) {
            if (chain.kind() != ChainKind.TRON) {
                continue;
            }
            String p = CHAIN_PREFIX + chain.name() + ".";
            if (c.bool(p + CHAIN_BALANCES)) {
                throw new ConfigException(p + CHAIN_BALANCES + ": end-of-block balances cannot be read on Tron (java-tron answers balances at "
                    + "the latest block only); leave it false");
            }
            Set<Address> wrapped = new LinkedHashSet<>(parse(p + CHAIN_WETH, c.list(p + CHAIN_WETH), Address::parse));
            out.add(new TronChainConfig(chain, endpoints(p + CHAIN_RPC_URLS), endpoints(p + CHAIN_HTTP_URLS), c.integer(p + CHAIN_CONFIRMATIONS),
                finalized(chain), wrapped, c.integer(p + CHAIN_BATCH_BLOCKS), Duration.ofMillis(c.longValue(p + CHAIN_POLL_MS)),
                c.longValue(p + CHAIN_START_BLOCK), null, null, c.bool(p + CHAIN_TOKEN_METADATA), nativeSymbol(chain), nativeDecimals(chain)));
        }
        return out;
    }

    public RpcSettings rpc() {
        RpcSettings d = RpcSettings.defaults();
        return d.withTimeout(Duration.ofMillis(c.longValue(RPC_TIMEOUT_MS))).withMaxBatch(c.integer(RPC_MAX_BATCH))
            .withRetries(d.maxAttempts(), d.initialBackoff(), Duration.ofMillis(c.longValue(RPC_MAX_BACKOFF_MS)))
            .withMaxResponseBytes(c.longValue(RPC_MAX_RESPONSE_BYTES));
    }

    /** Each chain's native asset as alerts show it and classify tokens by it (the same as the engine's). */
    public List<ChainSettings> chainSettings() {
        return chainIds().stream().map(ch -> new ChainSettings(ch.id(), ch.name(), nativeAsset(ch), ch.kind())).toList();
    }

    public TaintConfig taint() {
        Set<Category> terminals = EnumSet.noneOf(Category.class);
        terminals.addAll(parse(TAINT_TERMINALS, c.list(TAINT_TERMINALS), Category::fromLabel));
        try {
            return new TaintConfig(PolicyKind.fromLabel(c.string(TAINT_POLICY)), c.integer(TAINT_MAX_HOPS),
                Map.of(Asset.NATIVE, new BigInteger(c.string(TAINT_DUST_NATIVE))), new BigInteger(c.string(TAINT_DUST_DEFAULT)),
                c.longValue(TAINT_MIN_SHARE_PPM), terminals, c.integer(TAINT_PROVENANCE_K), AssetScope.fromLabel(c.string(TAINT_ASSETS)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("taint.*: " + e.getMessage());
        }
    }

    /** The Kafka Streams application id of the live taint engine of every chain (it names its group and changelog topics). */
    public String taintApplicationId() {
        return c.string(TAINT_APPLICATION_ID);
    }

    /** The taint part's Kafka client baseline: the process's, with its standby replicas and stream threads (one per chain by default). */
    public KafkaClients taintKafka() {
        int threads = c.integer(TAINT_STREAM_THREADS);
        return kafka().with(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.integer(TAINT_STANDBY_REPLICAS))
            .with(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads == 0 ? chainIds().size() : threads);
    }

    /** The live taint topology of every configured chain, in the order {@code chains} lists them. */
    public List<TaintTopologyConfig> taintTopologies() {
        return chainIds().stream().map(this::taintTopology).toList();
    }

    /**
     * The live taint topology of one chain: its topics, the engine's settings, section times, the chain's native asset,
     * and the declared tokens of {@code token-registry}. Ingest's {@code tokens} topic is not read: its records carry their
     * publish time, so Kafka Streams would order them after the blocks that mention them (docs/tokens.md).
     */
    public TaintTopologyConfig taintTopology(ChainId chain) {
        PipelineTopics t = topics();
        return TaintTopologyConfig.live(chain, taint()).withTopics(chain.blocksTopic(), t.watchlist(), t.labels(), chain.flowsTopic())
            .withSectionTimes(c.bool(TAINT_SECTION_TIMES)).withTokenTopics(t.tokenRegistry(), null).withNativeAsset(nativeAsset(chain))
            .withStateCaches(new StateCaches(c.longValue(TAINT_ACCOUNT_CACHE), c.longValue(TAINT_LEDGER_CACHE)));
    }

    /** The chain's native asset and its wrapped forms (the chain's {@code weth} contracts), as the engine classifies tokens by them. */
    public NativeAsset nativeAsset(ChainId chain) {
        String p = CHAIN_PREFIX + chain.name() + ".";
        String name = chain.kind() == ChainKind.TRON && !c.isSet(p + CHAIN_NATIVE_NAME) ? "Tronix" : c.string(p + CHAIN_NATIVE_NAME);
        return new NativeAsset(nativeSymbol(chain), name, nativeDecimals(chain),
            new LinkedHashSet<>(parse(p + CHAIN_WETH, c.list(p + CHAIN_WETH), Address::parse)));
    }

    /** The alert rules: thresholds, our own addresses, severity, and the taint engine's parameters copied into each alert. */
    public RulesConfig rules() {
        Map<AlertRule, RuleThresholds> thresholds = new EnumMap<>(AlertRule.class);
        for (AlertRule r : AlertRule.values()) {
            String p = RULE_PREFIX + r.label() + ".";
            thresholds.put(r, new RuleThresholds(c.bool(p + RULE_ENABLED), amounts(p + RULE_MIN_AMOUNT), c.longValue(p + RULE_MIN_SHARE_PPM),
                c.integer(p + RULE_MAX_HOPS)));
        }
        OwnAddresses own = new OwnAddresses(new LinkedHashSet<>(c.list(OWN_ENTITY_NAMES)),
            new LinkedHashSet<>(parse(OWN_DEPOSITS, c.list(OWN_DEPOSITS), Address::parse)),
            new LinkedHashSet<>(parse(OWN_HOT_WALLETS, c.list(OWN_HOT_WALLETS), Address::parse)));
        Set<Category> sanctioned = new LinkedHashSet<>(parse(ALERTS_SANCTIONED, c.list(ALERTS_SANCTIONED), Category::fromLabel));
        SeverityConfig severity;
        try {
            severity = new SeverityConfig(c.integer(SEVERITY_MEDIUM_AT), c.integer(SEVERITY_HIGH_AT), amounts(SEVERITY_LARGE_AMOUNT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("alerts.severity.*: " + e.getMessage());
        }
        LookalikeConfig lookalike;
        try {
            lookalike = new LookalikeConfig(c.integer(LOOKALIKE_PREFIX_DIGITS), c.integer(LOOKALIKE_SUFFIX_DIGITS), c.longValue(LOOKALIKE_WINDOW_SECONDS),
                c.longValue(LOOKALIKE_MAX_ENTRIES), amounts(LOOKALIKE_DUST), LookalikeConfig.Scope.fromLabel(c.string(LOOKALIKE_SCOPE)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(LOOKALIKE_PREFIX + "*: " + e.getMessage());
        }
        return new RulesConfig(thresholds, own, sanctioned, c.longValue(ALERTS_QUIET_BLOCKS), severity, RulesConfig.policyParameters(taint()),
            lookalike);
    }

    public WebhooksConfig webhooks() {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (String name : c.webhookNames()) {
            String p = WEBHOOK_PREFIX + name + ".";
            for (String k : List.of(WEBHOOK_URL, WEBHOOK_SECRET)) {
                if (c.secret(p + k) == null) {
                    throw new ConfigException("webhook '" + name + "' needs " + p + k + " (or set " + TaintwatchConfig.envName(p + k) + ")");
                }
            }
            try {
                endpoints.add(new WebhookEndpoint(name, url(p + WEBHOOK_URL, c.secret(p + WEBHOOK_URL).strip()), c.secret(p + WEBHOOK_SECRET),
                    new LinkedHashSet<>(parse(p + WEBHOOK_SEVERITIES, c.list(p + WEBHOOK_SEVERITIES), Severity::fromLabel)),
                    new LinkedHashSet<>(parse(p + WEBHOOK_RULES, c.list(p + WEBHOOK_RULES), AlertRule::fromLabel)),
                    new LinkedHashSet<>(c.list(p + WEBHOOK_CHAINS)), Duration.ofMillis(c.longValue(p + WEBHOOK_RETRY_BUDGET_MS)),
                    Duration.ofMillis(c.longValue(p + WEBHOOK_INITIAL_BACKOFF_MS)), Duration.ofMillis(c.longValue(p + WEBHOOK_MAX_BACKOFF_MS)),
                    Duration.ofMillis(c.longValue(p + WEBHOOK_TIMEOUT_MS))));
            } catch (IllegalArgumentException e) {
                // the URL may carry a token: the endpoint's own messages never show it, and neither does this one
                throw new ConfigException("webhook '" + name + "' (" + p + "*): " + e.getMessage());
            }
        }
        for (WebhookEndpoint e : endpoints) {
            for (String chain : e.chains()) {
                if (!c.chainNames().contains(chain)) {
                    throw new ConfigException(WEBHOOK_PREFIX + e.name() + "." + WEBHOOK_CHAINS + ": chain '" + chain + "' is not in 'chains' "
                        + c.chainNames());
                }
            }
        }
        return endpoints.isEmpty() ? WebhooksConfig.none() : new WebhooksConfig(endpoints, null);
    }

    /** Parses a webhook URL; the error neither quotes it nor chains the parser's exception (both would show a token). */
    private static URI url(String key, String value) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(key + ": not a valid URL (" + e.getReason() + " at index " + e.getIndex() + "; value not shown: it may "
                + "hold a token)");
        }
    }

    /** Limits of both HTTP servers; {@code alerts.api.max-streams} for the alert API's. */
    public HttpLimits httpLimits() {
        try {
            return new HttpLimits(Duration.ofMillis(c.longValue(HTTP_REQUEST_TIMEOUT_MS)), c.integer(HTTP_MAX_CONNECTIONS), c.integer(HTTP_MAX_REQUESTS),
                c.integer(API_MAX_STREAMS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.*: " + e.getMessage());
        }
    }

    /** The host the other taint instances reach this one's API at ({@code http.advertised-host}, else the bind address or host name). */
    public String advertisedHost() {
        String host = c.string(HTTP_ADVERTISED_HOST);
        if (host != null && !host.isBlank()) {
            return host.strip();
        }
        String bind = c.string(HTTP_BIND);
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
            return bind;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new ConfigException("http.bind is a wildcard address and this host's name is unknown (" + e.getMessage()
                + "): set " + HTTP_ADVERTISED_HOST);
        }
    }

    public ApiConfig api() {
        String tokens = c.secret(API_TOKENS);
        List<String> list = tokens == null ? List.of() : java.util.Arrays.stream(tokens.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<io.taintwatch.alerts.api.ApiUser> users = new ArrayList<>();
        for (String name : c.userNames()) {
            String p = API_USER_PREFIX + name + ".";
            try {
                users.add(new io.taintwatch.alerts.api.ApiUser(name, c.secret(p + API_USER_TOKEN),
                    io.taintwatch.alerts.cases.Role.fromLabel(c.string(p + API_USER_ROLE))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("user '" + name + "' (" + p + "*): " + e.getMessage());
            }
        }
        Map<String, io.taintwatch.alerts.api.ConsoleConfig.Explorer> explorers = new TreeMap<>();
        for (ChainId ch : chainIds()) {
            explorers.put(ch.name(), new io.taintwatch.alerts.api.ConsoleConfig.Explorer(c.string(chainKey(ch.name(), CHAIN_EXPLORER_TX)),
                c.string(chainKey(ch.name(), CHAIN_EXPLORER_ADDRESS))));
        }
        try {
            return new ApiConfig(c.string(HTTP_BIND), c.integer(HTTP_PORT), list, c.integer(API_MAX_ALERTS), httpLimits(), users,
                new io.taintwatch.alerts.api.ConsoleConfig(c.bool(CONSOLE_ENABLED), explorers));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("alerts.api.*: " + e.getMessage());
        }
    }

    /** The alert module of all configured chains. */
    public AlertsConfig alerts() {
        PipelineTopics t = topics();
        KafkaClients kafka = kafka().with(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.integer(ALERTS_STANDBY_REPLICAS))
            .with(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.integer(ALERTS_STREAM_THREADS));
        return new AlertsConfig(kafka, c.string(ALERTS_APPLICATION_ID), stateDir().resolve("alerts"),
            t.replicationFactor(), chainSettings(), new io.taintwatch.alerts.AlertsTopics(t.watchlist(), t.labels(), t.tokens(), t.alerts(),
            t.tracked(), t.webhookDlq(), t.alertCases(), t.tokenRegistry()), c.bool(ALERTS_READ_BLOCKS), rules(), webhooks(), api(), t.partitions());
    }

    /** Retro-screening of one chain: mode, look-back, and the live engine's and alert rules' configuration. */
    public RetroSettings retro(ChainId chain) {
        RetroMode mode = RetroMode.fromLabel(c.string(RETRO_MODE));
        Duration lookbackTime = duration(RETRO_LOOKBACK_DURATION, c.string(RETRO_LOOKBACK_DURATION));
        PipelineTopics t = topics();
        ChainSettings cs = chainSettings().stream().filter(s -> s.name().equals(chain.name())).findFirst().orElseThrow();
        return new RetroSettings(mode, c.longValue(RETRO_LOOKBACK_BLOCKS), lookbackTime, t.retroScreenings(), kafka(), chain,
            cs.nativeSymbol(), cs.nativeDecimals(), taintApplicationId(), t.labels(), t.alerts(), taint(), rules());
    }

    public RetroMode retroMode() {
        return RetroMode.fromLabel(c.string(RETRO_MODE));
    }

    /** An ISO-8601 duration ({@code P7D}, {@code PT12H}) or a number with d, h, m or s ({@code 7d}); null when unset. */
    static Duration duration(String key, String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (s.matches("\\d+[dhms]")) {
                long n = Long.parseLong(s.substring(0, s.length() - 1));
                d = switch (s.charAt(s.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } else {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException(key + " must be positive, got '" + v + "'");
            }
            return d;
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(key + " must be a duration such as P7D, PT12H, 7d or 12h, got '" + v + "'");
        }
    }

    /** The given {@code <prefix><asset>} amounts, each a non-negative whole number of base units. */
    private Map<String, BigInteger> amounts(String prefix) {
        Map<String, BigInteger> m = new TreeMap<>();
        c.withPrefix(prefix).forEach((asset, v) -> {
            try {
                BigInteger b = new BigInteger(v);
                if (b.signum() < 0) {
                    throw new NumberFormatException();
                }
                m.put(asset, b);
            } catch (NumberFormatException e) {
                throw new ConfigException(prefix + asset + ": expected a non-negative whole number of base units, got '" + v + "'");
            }
        });
        return m;
    }

    private static <T> List<T> parse(String key, List<String> values, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(parser.apply(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        }
        return out;
    }
}
