package io.taintwatch.app.config;

import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.api.HttpLimits;
import io.taintwatch.alerts.delivery.WebhookEndpoint;
import io.taintwatch.alerts.rules.LookalikeConfig;
import io.taintwatch.alerts.rules.RuleThresholds;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.alerts.rules.SeverityConfig;
import io.taintwatch.ingest.source.rpc.RpcSettings;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Severity;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.topology.StateCaches;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every configuration key of taintwatch, declared once with its type, default, validation and documentation (Kafka's
 * {@link ConfigDef}). Keys of a named chain ({@code chain.<name>.*}) and a named webhook ({@code alerts.webhook.<name>.*})
 * are declared once as a template and instantiated for the names the configuration lists; keys ending in an asset
 * ({@code ...min-amount.<asset>}) and the Kafka client pass-through ({@code kafka.client.<setting>}) are declared as
 * {@link Prefixed} families. docs/configuration.md is generated from these declarations ({@link ConfigDocs}).
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    // groups, in the order the docs show them
    static final String G_GENERAL = "General";
    static final String G_TOPICS = "Topics";
    static final String G_CHAINS = "Chains";
    static final String G_CHAIN = "Chain";
    static final String G_TAINT = "Taint engine";
    static final String G_ALERTS = "Alerts";
    static final String G_RULES = "Alert rules";
    static final String G_SEVERITY = "Severity";
    static final String G_WEBHOOK = "Webhook";
    static final String G_CONSOLE = "Console and users";
    static final String G_USER = "User";
    static final String G_RETRO = "Retro-screening";

    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap-servers";
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";
    public static final String STATE_DIR = "state.dir";
    public static final String STATE_ROCKSDB_MEMORY = "state.rocksdb.memory-bytes";
    public static final String HTTP_BIND = "http.bind";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised-host";
    public static final String METRICS_PORT = "metrics.port";
    public static final String HTTP_REQUEST_TIMEOUT_MS = "http.request-timeout-ms";
    public static final String HTTP_MAX_CONNECTIONS = "http.max-connections";
    public static final String HTTP_MAX_REQUESTS = "http.max-requests";
    public static final String RPC_TIMEOUT_MS = "rpc.timeout-ms";
    public static final String RPC_MAX_BATCH = "rpc.max-batch";
    public static final String RPC_MAX_RESPONSE_BYTES = "rpc.max-response-bytes";
    public static final String RPC_MAX_BACKOFF_MS = "rpc.max-backoff-ms";

    public static final String TOPIC_PARTITIONS = "topics.create.partitions";
    public static final String TOPIC_REPLICATION = "topics.create.replication-factor";
    public static final String TOPIC_RETENTION_MS = "topics.blocks.retention-ms";

    public static final String CHAINS = "chains";
    public static final String CHAIN_PREFIX = "chain.";
    public static final String CHAIN_ID = "id";
    public static final String CHAIN_KIND = "kind";
    public static final String CHAIN_RPC_URLS = "rpc-urls";
    public static final String CHAIN_HTTP_URLS = "http-urls";
    public static final String CHAIN_CONFIRMATIONS = "confirmations";
    public static final String CHAIN_FINALIZED = "finalized";
    public static final String CHAIN_NATIVE_SYMBOL = "native-symbol";
    public static final String CHAIN_NATIVE_DECIMALS = "native-decimals";
    public static final String CHAIN_NATIVE_NAME = "native-name";
    public static final String CHAIN_WETH = "weth";
    public static final String CHAIN_TRACE = "trace";
    public static final String CHAIN_BALANCES = "balances";
    public static final String CHAIN_TOKEN_METADATA = "token-metadata";
    public static final String CHAIN_BATCH_BLOCKS = "batch-blocks";
    public static final String CHAIN_POLL_MS = "poll-ms";
    public static final String CHAIN_START_BLOCK = "start-block";
    public static final String CHAIN_EXPLORER_TX = "explorer-tx-url";
    public static final String CHAIN_EXPLORER_ADDRESS = "explorer-address-url";

    public static final String TAINT_POLICY = "taint.policy";
    public static final String TAINT_MAX_HOPS = "taint.max-hops";
    public static final String TAINT_DUST_NATIVE = "taint.dust.native";
    public static final String TAINT_DUST_DEFAULT = "taint.dust.default";
    public static final String TAINT_MIN_SHARE_PPM = "taint.min-share-ppm";
    public static final String TAINT_TERMINALS = "taint.terminal-categories";
    public static final String TAINT_PROVENANCE_K = "taint.provenance-k";
    public static final String TAINT_SECTION_TIMES = "taint.section-times";
    public static final String TAINT_ASSETS = "taint.assets";
    public static final String TAINT_ACCOUNT_CACHE = "taint.state.account-cache-bytes";
    public static final String TAINT_LEDGER_CACHE = "taint.state.ledger-cache-bytes";
    public static final String TAINT_APPLICATION_ID = "taint.application-id";
    public static final String TAINT_STANDBY_REPLICAS = "taint.standby-replicas";
    public static final String TAINT_STREAM_THREADS = "taint.stream-threads";

    public static final String ALERTS_APPLICATION_ID = "alerts.application-id";
    public static final String ALERTS_STANDBY_REPLICAS = "alerts.standby-replicas";
    public static final String ALERTS_STREAM_THREADS = "alerts.stream-threads";
    public static final String ALERTS_READ_BLOCKS = "alerts.read-blocks";
    public static final String ALERTS_QUIET_BLOCKS = "alerts.quiet-blocks";
    public static final String ALERTS_SANCTIONED = "alerts.sanctioned-categories";
    public static final String OWN_ENTITY_NAMES = "alerts.own.entity-names";
    public static final String OWN_DEPOSITS = "alerts.own.deposit-addresses";
    public static final String OWN_HOT_WALLETS = "alerts.own.hot-wallets";
    public static final String API_TOKENS = "alerts.api.tokens";
    public static final String API_MAX_ALERTS = "alerts.api.max-alerts";
    public static final String API_MAX_STREAMS = "alerts.api.max-streams";
    public static final String API_USERS = "alerts.api.users";
    public static final String API_USER_PREFIX = "alerts.api.user.";
    public static final String API_USER_TOKEN = "token";
    public static final String API_USER_ROLE = "role";
    public static final String CONSOLE_ENABLED = "alerts.console.enabled";
    public static final String SEVERITY_MEDIUM_AT = "alerts.severity.medium-at";
    public static final String SEVERITY_HIGH_AT = "alerts.severity.high-at";
    public static final String SEVERITY_LARGE_AMOUNT = "alerts.severity.large-amount.";
    public static final String RULE_PREFIX = "alerts.rule.";
    public static final String RULE_ENABLED = "enabled";
    public static final String RULE_MIN_SHARE_PPM = "min-share-ppm";
    public static final String RULE_MAX_HOPS = "max-hops";
    public static final String RULE_MIN_AMOUNT = "min-amount.";
    /** What makes a lookalike (both lookalike rules), under {@code alerts.rule.address-poisoning.}. */
    public static final String LOOKALIKE_PREFIX = RULE_PREFIX + AlertRule.ADDRESS_POISONING.label() + ".";
    public static final String LOOKALIKE_PREFIX_DIGITS = LOOKALIKE_PREFIX + "prefix-digits";
    public static final String LOOKALIKE_SUFFIX_DIGITS = LOOKALIKE_PREFIX + "suffix-digits";
    public static final String LOOKALIKE_WINDOW_SECONDS = LOOKALIKE_PREFIX + "window-seconds";
    public static final String LOOKALIKE_MAX_ENTRIES = LOOKALIKE_PREFIX + "max-entries";
    public static final String LOOKALIKE_SCOPE = LOOKALIKE_PREFIX + "scope";
    public static final String LOOKALIKE_DUST = LOOKALIKE_PREFIX + "dust.";

    public static final String WEBHOOKS = "alerts.webhooks";
    public static final String WEBHOOK_PREFIX = "alerts.webhook.";
    public static final String WEBHOOK_URL = "url";
    public static final String WEBHOOK_SECRET = "secret";
    public static final String WEBHOOK_SEVERITIES = "severities";
    public static final String WEBHOOK_RULES = "rules";
    public static final String WEBHOOK_CHAINS = "chains";
    public static final String WEBHOOK_RETRY_BUDGET_MS = "retry-budget-ms";
    public static final String WEBHOOK_INITIAL_BACKOFF_MS = "initial-backoff-ms";
    public static final String WEBHOOK_MAX_BACKOFF_MS = "max-backoff-ms";
    public static final String WEBHOOK_TIMEOUT_MS = "timeout-ms";

    public static final String RETRO_MODE = "retro.mode";
    public static final String RETRO_LOOKBACK_BLOCKS = "retro.lookback.blocks";
    public static final String RETRO_LOOKBACK_DURATION = "retro.lookback.duration";

    /** The key of a shared topic's name: {@code topics.<default name>} ({@code topics.watchlist}, {@code topics.alerts.tracked}). */
    public static String topicKey(PipelineTopics.Topic t) {
        return "topics." + t.defaultName();
    }

    /** A family of keys sharing a prefix whose last part is free (an asset, a Kafka client setting). */
    public record Prefixed(String prefix, String placeholder, String group, String doc) {
        public String pattern() {
            return prefix + placeholder;
        }
    }

    /** The key families, documented as one row each. Their values are validated where they are bound. */
    public static List<Prefixed> prefixed() {
        List<Prefixed> out = new java.util.ArrayList<>();
        out.add(new Prefixed(KAFKA_CLIENT_PREFIX, "<setting>", G_GENERAL,
            "Passed to every Kafka client of the process as `<setting>`: security (`security.protocol`, `sasl.mechanism`, "
                + "`sasl.jaas.config`, `ssl.truststore.location`, ...), timeouts, tuning; each client takes the settings its type knows "
                + "(an unknown setting is refused). Env: `TAINTWATCH_KAFKA_CLIENT_<SETTING>`."));
        out.add(new Prefixed(SEVERITY_LARGE_AMOUNT, "<asset>", G_SEVERITY,
            "Tainted amount (base units) from which the amount adds a severity point. `<asset>`: `native`, a token contract, or "
                + "`<chain>:<asset>`."));
        out.add(new Prefixed(LOOKALIKE_DUST, "<asset>", G_RULES,
            "Largest amount (base units) of `<asset>` that a poisoning transfer may carry as dust (`native`, a token contract, or "
                + "`<chain>:<asset>`). Unset: " + LookalikeConfig.DEFAULT_NATIVE_DUST + " for the native asset and its wrapped form (about "
                + "10 USD), " + LookalikeConfig.DEFAULT_TOKEN_DUST_UNITS + " whole units of a token with known decimals, zero (only "
                + "zero-value transfers) when the decimals are unknown (docs/alert-schema.md, \"Lookalike addresses\")."));
        for (AlertRule r : AlertRule.values()) {
            out.add(new Prefixed(RULE_PREFIX + r.label() + "." + RULE_MIN_AMOUNT, "<asset>", G_RULES,
                "Minimum tainted amount (base units; the leg amount for rules without taint) per asset for `" + r.label() + "`. "
                    + "`<asset>`: `native`, a token contract, or `<chain>:<asset>`."));
        }
        return out;
    }

    /** The keys of one chain, without the {@code chain.<name>.} prefix. */
    static ConfigDef chainTemplate() {
        ConfigDef d = new ConfigDef();
        int o = 0;
        d.define(CHAIN_ID, Type.LONG, null, ConfigDef.LambdaValidator.with((name, v) -> {
            if (v != null && (Long) v < 1) {
                throw new ConfigException(name, v, "a chain id is positive");
            }
        }, () -> "a positive number"), Importance.HIGH, "Chain id (EIP-155; on Tron what `eth_chainId` answers: 728126428 for mainnet). "
                + "Required for every chain in `chains`.", G_CHAIN, ++o, Width.SHORT, "id");
        d.define(CHAIN_KIND, Type.STRING, ChainKind.EVM.label(), labels(ChainKind.values(), ChainKind::label, false), Importance.HIGH,
            "`evm` or `tron`: how the chain is read and how its addresses are written (`0x...`, or Base58Check `T...` on Tron, in alerts, "
                + "reports, the API and `topic dump`); seeds and labels apply to the chains of their address's kind.", G_CHAIN, ++o,
            Width.SHORT, "kind");
        d.define(CHAIN_RPC_URLS, Type.PASSWORD, null, Importance.HIGH,
            "Comma-separated JSON-RPC endpoints, tried in order with failover (on Tron java-tron's `http://node:8545/jsonrpc`); a key may "
                + "be in the path or query, and `https://user:pass@host/` is sent as HTTP Basic authentication. A secret: never printed "
                + "(logs show scheme, host and port). Required by the ingest part.", G_CHAIN, ++o, Width.LONG, "rpc-urls");
        d.define(CHAIN_HTTP_URLS, Type.PASSWORD, null, Importance.HIGH,
            "Tron only: comma-separated java-tron HTTP API endpoints (`http://node:8090`), tried in order with failover, for "
                + "`/wallet/getblockbynum` (contract types) and `/wallet/gettransactioninfobyblocknum` (fees, internal transactions: the "
                + "node needs `vm.saveInternalTx = true`). A secret, as `rpc-urls`. Required by the ingest part on tron chains "
                + "(docs/ingest.md).", G_CHAIN, ++o, Width.LONG, "http-urls");
        d.define(CHAIN_CONFIRMATIONS, Type.INT, 12, Range.atLeast(0), Importance.HIGH,
            "Blocks behind the head that are published: the pipeline never sees unconfirmed blocks.", G_CHAIN, ++o, Width.SHORT, "confirmations");
        d.define(CHAIN_FINALIZED, Type.BOOLEAN, false, Importance.MEDIUM,
            "Follow the node's `finalized` tag instead of a confirmation depth (on Tron the latest solidified block; the default "
                + "there is `true`).", G_CHAIN, ++o, Width.SHORT, "finalized");
        d.define(CHAIN_NATIVE_SYMBOL, Type.STRING, "ETH", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            "Symbol of the native asset in alerts (default `TRX` on Tron).", G_CHAIN, ++o, Width.SHORT, "native-symbol");
        d.define(CHAIN_NATIVE_DECIMALS, Type.INT, 18, Range.between(0, 77), Importance.MEDIUM,
            "Decimals of the native asset (default 6 on Tron: 1 TRX = 10^6 sun).", G_CHAIN, ++o, Width.SHORT, "native-decimals");
        d.define(CHAIN_NATIVE_NAME, Type.STRING, "Ether", new ConfigDef.NonEmptyString(), Importance.LOW,
            "Name of the native asset: a token whose name looks like it (or like its symbol) is counterfeit (docs/tokens.md); default "
                + "`Tronix` on Tron.", G_CHAIN, ++o,
            Width.SHORT, "native-name");
        d.define(CHAIN_WETH, Type.LIST, "", Importance.MEDIUM,
            "WETH-like contracts whose `Deposit`/`Withdrawal` events are legs (on Tron WTRX, as `T...` or hex).", G_CHAIN, ++o, Width.LONG, "weth");
        d.define(CHAIN_TRACE, Type.STRING, "call-tracer", ValidString.in("call-tracer", "trace-block", "none"), Importance.MEDIUM,
            "Internal transfers from `debug_traceBlockByNumber` with the callTracer (`call-tracer`), Parity's `trace_block` "
                + "(`trace-block`), or none. EVM only (Tron's come from the HTTP API).", G_CHAIN, ++o, Width.SHORT, "trace");
        d.define(CHAIN_BALANCES, Type.BOOLEAN, false, Importance.LOW,
            "Collect end-of-block balances of touched addresses (opening balances with basis `end-of-block-balance`). EVM only: "
                + "java-tron answers balances at the latest block only.", G_CHAIN, ++o, Width.SHORT, "balances");
        d.define(CHAIN_TOKEN_METADATA, Type.BOOLEAN, true, Importance.LOW,
            "Read symbol, name and decimals of the tokens seen (`eth_call`) into the tokens topic; on Tron of the TRC-20 contracts, "
                + "at `latest` (the only block java-tron answers calls at).", G_CHAIN, ++o, Width.SHORT,
            "token-metadata");
        d.define(CHAIN_BATCH_BLOCKS, Type.INT, 10, Range.between(1, 10_000), Importance.LOW,
            "Blocks fetched per round while catching up.", G_CHAIN, ++o, Width.SHORT, "batch-blocks");
        d.define(CHAIN_POLL_MS, Type.LONG, 4000L, Range.atLeast(1), Importance.LOW,
            "Wait between head polls when caught up (ms).", G_CHAIN, ++o, Width.SHORT, "poll-ms");
        d.define(CHAIN_START_BLOCK, Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM,
            "First block when there is no checkpoint yet.", G_CHAIN, ++o, Width.SHORT, "start-block");
        d.define(CHAIN_EXPLORER_TX, Type.STRING, "", urlTemplate("{tx}"), Importance.LOW,
            "Block-explorer link of a transaction in the console and exported cases: an http(s) URL with `{tx}` for the transaction hash "
                + "(e.g. `https://etherscan.io/tx/{tx}`); empty: no link.", G_CHAIN, ++o, Width.LONG, "explorer tx");
        d.define(CHAIN_EXPLORER_ADDRESS, Type.STRING, "", urlTemplate("{address}"), Importance.LOW,
            "Block-explorer link of an address, with `{address}` (e.g. `https://etherscan.io/address/{address}`); empty: no link.", G_CHAIN,
            ++o, Width.LONG, "explorer address");
        return d;
    }

    /** The keys of one webhook endpoint, without the {@code alerts.webhook.<name>.} prefix. */
    static ConfigDef webhookTemplate() {
        ConfigDef d = new ConfigDef();
        int o = 0;
        d.define(WEBHOOK_URL, Type.PASSWORD, null, Importance.HIGH,
            "Endpoint URL (http or https); required by the alerts part. A secret (it may carry a token): never printed.", G_WEBHOOK, ++o,
            Width.LONG, "url");
        d.define(WEBHOOK_SECRET, Type.PASSWORD, null, Importance.HIGH,
            "HMAC-SHA256 signing secret, at least 16 characters (docs/alert-schema.md, \"Webhooks\"); required by the alerts part.", G_WEBHOOK,
            ++o, Width.LONG, "secret");
        d.define(WEBHOOK_SEVERITIES, Type.LIST, "", labels(Severity.values(), Severity::label), Importance.MEDIUM,
            "Only alerts of these severities (empty: all).", G_WEBHOOK, ++o, Width.MEDIUM, "severities");
        d.define(WEBHOOK_RULES, Type.LIST, "", labels(AlertRule.values(), AlertRule::label), Importance.MEDIUM,
            "Only alerts of these rules (empty: all).", G_WEBHOOK, ++o, Width.MEDIUM, "rules");
        d.define(WEBHOOK_CHAINS, Type.LIST, "", Importance.MEDIUM,
            "Only alerts on these chains (empty: all).", G_WEBHOOK, ++o, Width.MEDIUM, "chains");
        d.define(WEBHOOK_RETRY_BUDGET_MS, Type.LONG, WebhookEndpoint.DEFAULT_RETRY_BUDGET.toMillis(), Range.atLeast(1), Importance.MEDIUM,
            "How long a failing receiver is retried (ms, from its first failure after its last success) before alerts are dead-lettered "
                + "to `alerts.webhook-dlq`, whence `taintwatch webhooks redeliver` sends them again (docs/alert-schema.md, \"Webhooks\").",
            G_WEBHOOK, ++o, Width.SHORT, "retry budget");
        d.define(WEBHOOK_INITIAL_BACKOFF_MS, Type.LONG, 1000L, Range.atLeast(0), Importance.LOW,
            "First retry delay (ms), doubling.", G_WEBHOOK, ++o, Width.SHORT, "initial-backoff-ms");
        d.define(WEBHOOK_MAX_BACKOFF_MS, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW,
            "Largest retry delay (ms).", G_WEBHOOK, ++o, Width.SHORT, "max-backoff-ms");
        d.define(WEBHOOK_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
            "Timeout of one delivery attempt (ms).", G_WEBHOOK, ++o, Width.SHORT, "timeout-ms");
        return d;
    }

    /** The keys of one API user, without the {@code alerts.api.user.<name>.} prefix. */
    static ConfigDef userTemplate() {
        ConfigDef d = new ConfigDef();
        d.define(API_USER_TOKEN, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
            "The user's bearer token, at least 16 characters, unique. A secret: put it in the environment "
                + "(`TAINTWATCH_ALERTS_API_USER_<NAME>_TOKEN`).", G_USER, 1, Width.LONG, "token");
        d.define(API_USER_ROLE, Type.STRING, "viewer", ValidString.in("viewer", "analyst", "admin"), Importance.HIGH,
            "`viewer` reads; `analyst` also acknowledges, assigns (alerts nobody or they hold), escalates, notes, closes and reopens; "
                + "`admin` also reassigns others' alerts and reads the audit log (docs/console.md).", G_USER, 2, Width.SHORT, "role");
        return d;
    }

    /** The fixed keys (everything but the templates and families). */
    static ConfigDef fixed() {
        ConfigDef d = new ConfigDef();
        int o = 0;
        d.define(KAFKA_BOOTSTRAP, Type.STRING, "localhost:9092", new ConfigDef.NonEmptyString(), Importance.HIGH,
            "Kafka bootstrap servers.", G_GENERAL, ++o, Width.LONG, "bootstrap");
        d.define(STATE_DIR, Type.STRING, "./taintwatch-state", new ConfigDef.NonEmptyString(), Importance.HIGH,
            "Kafka Streams state (taint engine stores, alert store). Must persist across restarts (a StatefulSet volume); never cleaned "
                + "on start.", G_GENERAL, ++o, Width.LONG, "state dir");
        d.define(STATE_ROCKSDB_MEMORY, Type.LONG, 64L * 1024 * 1024, Range.atLeast(8L * 1024 * 1024), Importance.MEDIUM,
            "Native memory for all RocksDB state stores of the process (taint engine, alerts), in bytes: one shared block cache (index "
                + "and filter blocks charged to it) and memtables counted against it (a quarter).", G_GENERAL, ++o, Width.SHORT, "rocksdb memory");
        d.define(HTTP_BIND, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH,
            "Address the HTTP servers (alert API, metrics) bind to; `0.0.0.0` in containers.", G_GENERAL, ++o, Width.MEDIUM, "bind");
        d.define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM,
            "Port of the alert API (`/alerts`, `/alerts/{id}`, `/alerts/stream`) and, in a process running the taint part, of the "
                + "exposure API (`/v1/exposure/{chain}/{address}`, `/v1/screen`; docs/exposure-api.md).", G_GENERAL, ++o, Width.SHORT, "api port");
        d.define(HTTP_ADVERTISED_HOST, Type.STRING, "", Importance.MEDIUM,
            "Host name or IP at which the other taint instances reach this one's API port, advertised through Kafka Streams "
                + "(`application.server`) so that an exposure query reaching an instance that does not run the chain is forwarded to "
                + "the one that does. Empty: `http.bind`, or this host's name when that is a wildcard address. In Kubernetes, the "
                + "pod's IP.", G_GENERAL, ++o, Width.MEDIUM, "advertised host");
        d.define(METRICS_PORT, Type.INT, 9464, Range.between(0, 65535), Importance.MEDIUM,
            "Port of `/metrics` (Prometheus), `/health` and `/ready`.", G_GENERAL, ++o, Width.SHORT, "metrics port");
        HttpLimits limits = HttpLimits.defaults();
        d.define(HTTP_REQUEST_TIMEOUT_MS, Type.LONG, limits.requestTimeout().toMillis(), Range.atLeast(1), Importance.LOW,
            "Both HTTP servers: time from a request's first byte to the end of its response (ms); a connection over it is closed (an SSE "
                + "stream only while one of its writes is pending).", G_GENERAL, ++o, Width.SHORT, "request timeout");
        d.define(HTTP_MAX_CONNECTIONS, Type.INT, limits.maxConnections(), Range.atLeast(1), Importance.LOW,
            "Both HTTP servers: connections with a request in progress (streams included); more are closed at once.", G_GENERAL, ++o,
            Width.SHORT, "max connections");
        d.define(HTTP_MAX_REQUESTS, Type.INT, limits.maxRequests(), Range.atLeast(1), Importance.LOW,
            "Both HTTP servers: requests handled at once (streams, `/health` and `/ready` not counted); more are answered 503.", G_GENERAL,
            ++o, Width.SHORT, "max requests");
        d.define(RPC_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
            "Timeout of one JSON-RPC exchange, the whole response body included (ms); retried with exponential backoff and jitter.",
            G_GENERAL, ++o, Width.SHORT, "rpc timeout");
        d.define(RPC_MAX_BATCH, Type.INT, 100, Range.between(1, 10_000), Importance.LOW,
            "Largest JSON-RPC batch; halved on failure, grown back after a cool-down.", G_GENERAL, ++o, Width.SHORT, "rpc batch");
        RpcSettings rpc = RpcSettings.defaults();
        d.define(RPC_MAX_RESPONSE_BYTES, Type.LONG, rpc.maxResponseBytes(), Range.between(1024, Integer.MAX_VALUE - 8), Importance.LOW,
            "Largest JSON-RPC response body (bytes); a larger one is refused as it arrives (error kind `too_large`) and the batch is "
                + "halved.", G_GENERAL, ++o, Width.SHORT, "rpc max response");
        d.define(RPC_MAX_BACKOFF_MS, Type.LONG, rpc.maxBackoff().toMillis(), Range.atLeast(1), Importance.LOW,
            "Longest wait between JSON-RPC retries (ms); also caps a node's Retry-After.", G_GENERAL, ++o, Width.SHORT, "rpc max backoff");

        o = 0;
        for (PipelineTopics.Topic t : PipelineTopics.Topic.values()) {
            if (!t.defaultName().contains("<chain>")) {
                d.define(topicKey(t), Type.STRING, t.defaultName(), topicName(), Importance.LOW,
                    "Name of the topic of " + t.doc() + ".", G_TOPICS, ++o, Width.MEDIUM, t.defaultName());
            }
        }
        d.define(TOPIC_PARTITIONS, Type.INT, 1, Range.atLeast(1), Importance.LOW,
            "Partitions of `alerts` and of the alert service's repartition topics of candidates by dedup group: as many alert service "
                + "tasks fold candidates into alerts, and as many webhook consumers share the outbox; fixed when the topics are created. "
                + "The other topics have exactly one (chain order).", G_TOPICS, ++o, Width.SHORT, "partitions");
        d.define(TOPIC_REPLICATION, Type.INT, -1, Range.atLeast(-1), Importance.LOW,
            "Replication factor of the topics taintwatch creates (-1: the broker's default).", G_TOPICS, ++o, Width.SHORT, "replication");
        d.define(TOPIC_RETENTION_MS, Type.LONG, -1L, Range.atLeast(-1), Importance.MEDIUM,
            "Retention of `blocks.<chain>` and `taint-flows.<chain>` (ms; -1 = forever): replays read blocks; flows are the audit log and "
                + "carry block timestamps, so time-based retention would delete a backfill's flows at once.", G_TOPICS, ++o, Width.SHORT, "retention");

        d.define(CHAINS, Type.LIST, "ethereum", Importance.HIGH,
            "Comma-separated chain names (lower-case letters, digits, '-', '_'); each is configured by `chain.<name>.*`.", G_CHAINS, 1,
            Width.MEDIUM, "chains");

        TaintConfig t = TaintConfig.defaults();
        o = 0;
        d.define(TAINT_POLICY, Type.STRING, t.policy().label(), labels(PolicyKind.values(), PolicyKind::label, false), Importance.HIGH,
            "Taint policy: `haircut`, `poison` or `fifo` (docs/architecture.md).", G_TAINT, ++o, Width.SHORT, "policy");
        d.define(TAINT_MAX_HOPS, Type.INT, t.maxHops(), Range.between(1, 32), Importance.HIGH,
            "A carry arriving beyond this many hops from its source is cut (and counted).", G_TAINT, ++o, Width.SHORT, "max hops");
        d.define(TAINT_DUST_NATIVE, Type.STRING, t.dustFor(io.taintwatch.model.Asset.NATIVE).toString(), baseUnits(), Importance.MEDIUM,
            "Absolute dust threshold of the native asset in base units (10^12 wei = 0.000001 ETH).", G_TAINT, ++o, Width.SHORT, "dust native");
        d.define(TAINT_DUST_DEFAULT, Type.STRING, t.defaultDust().toString(), baseUnits(), Importance.MEDIUM,
            "Absolute dust threshold of other assets in base units.", G_TAINT, ++o, Width.SHORT, "dust default");
        d.define(TAINT_MIN_SHARE_PPM, Type.LONG, t.minSharePpm(), Range.between(0, 1_000_000), Importance.MEDIUM,
            "Minimum tainted share of a leg for the carry to propagate, in parts per million of its amount (1000 = 0.1%).", G_TAINT, ++o,
            Width.SHORT, "min share");
        d.define(TAINT_TERMINALS, Type.LIST, String.join(",", t.terminalCategories().stream().map(Category::label).sorted().toList()),
            labels(Category.values(), Category::label), Importance.MEDIUM,
            "Recipient categories where taint is delivered, with its path, and not followed.", G_TAINT, ++o, Width.LONG, "terminals");
        d.define(TAINT_PROVENANCE_K, Type.INT, t.provenanceK(), Range.between(1, 64), Importance.LOW,
            "Inbound tainted flows (with paths) kept per tracked address and source.", G_TAINT, ++o, Width.SHORT, "provenance k");
        d.define(TAINT_SECTION_TIMES, Type.BOOLEAN, false, Importance.LOW,
            "Measure where the taint engine's stream thread spends its wall time, by section: "
                + "`taintwatch_taint_section_seconds_total{section=decode|probe|engine|persist|state|flows|other|outside}`. Costs a few "
                + "clock reads per block; for diagnosing throughput (docs/BENCHMARKS.md).", G_TAINT, ++o, Width.SHORT, "section times");
        d.define(TAINT_ASSETS, Type.STRING, t.assets().label(), labels(io.taintwatch.taint.AssetScope.values(),
                io.taintwatch.taint.AssetScope::label, false), Importance.MEDIUM,
            "Which assets carry taint: `all` (every asset not counterfeit) or `verified` (only the native asset, its wrapped form and "
                + "tokens of the registry's lists; legs in unverified tokens are counted, not followed). Counterfeit tokens never carry "
                + "taint (docs/tokens.md).", G_TAINT, ++o, Width.SHORT, "assets");
        d.define(TAINT_ACCOUNT_CACHE, Type.LONG, StateCaches.DEFAULT_ACCOUNT_BYTES, Range.atLeast(0), Importance.MEDIUM,
            "Heap the taint engine of each chain gives to caching tracked accounts between blocks, in bytes (estimated from their shape). "
                + "The accounts live in the `taint-accounts` store and are read when a block touches them; the heap holds the index of "
                + "tracked addresses (12-24 bytes each) and this cache, however many addresses are tracked (docs/architecture.md).",
            G_TAINT, ++o, Width.SHORT, "account cache");
        d.define(TAINT_LEDGER_CACHE, Type.LONG, StateCaches.DEFAULT_LEDGER_BYTES, Range.atLeast(0), Importance.LOW,
            "Heap the taint engine of each chain gives to caching the sources' ledgers (per asset, in `taint-meta`) between blocks, in "
                + "bytes (estimated).", G_TAINT, ++o, Width.SHORT, "ledger cache");
        d.define(TAINT_APPLICATION_ID, Type.STRING, "taintwatch-taint", applicationId(), Importance.LOW,
            "Kafka Streams application id of the taint engine, one per deployment: every instance started with it shares the chains "
                + "(its consumer group; its changelog and repartition topics are `<id>-<chain>-taint-*`). Changing it starts from empty "
                + "state; the state of per-chain applications `<id>-<chain>` is taken over at the first start (docs/deploy.md).",
            G_TAINT, ++o, Width.MEDIUM, "application id");
        d.define(TAINT_STANDBY_REPLICAS, Type.INT, 0, Range.between(0, 16), Importance.MEDIUM,
            "Warm copies of each chain's engine state kept on other instances (Kafka Streams `num.standby.replicas`): when an instance "
                + "dies, a standby takes its chains over without restoring their state from the changelogs (docs/deploy.md). Needs as "
                + "many more instances.", G_TAINT, ++o, Width.SHORT, "standby replicas");
        d.define(TAINT_STREAM_THREADS, Type.INT, 0, Range.between(0, 256), Importance.LOW,
            "Stream threads of the taint engine in each instance; a chain's task runs on one thread at a time. 0: one per configured "
                + "chain.", G_TAINT, ++o, Width.SHORT, "stream threads");

        RulesConfig rules = RulesConfig.defaults();
        o = 0;
        d.define(ALERTS_APPLICATION_ID, Type.STRING, "taintwatch-alerts", applicationId(), Importance.LOW,
            "Kafka Streams application id of the alert service, one per deployment: every instance started with it shares the work by "
                + "key (its consumer group, changelog and repartition topics).", G_ALERTS, ++o, Width.MEDIUM, "application id");
        d.define(ALERTS_STANDBY_REPLICAS, Type.INT, 0, Range.between(0, 16), Importance.MEDIUM,
            "Warm copies of the alert service's dedup state kept on other instances (Kafka Streams `num.standby.replicas`).", G_ALERTS,
            ++o, Width.SHORT, "standby replicas");
        d.define(ALERTS_STREAM_THREADS, Type.INT, 1, Range.between(1, 256), Importance.LOW,
            "Stream threads of the alert service in each instance.", G_ALERTS, ++o, Width.SHORT, "stream threads");
        d.define(ALERTS_READ_BLOCKS, Type.BOOLEAN, true, Importance.LOW,
            "Also read `blocks.<chain>`: payments into sanctioned addresses (`sanctioned-direct-exposure`), our hot wallets' outgoing "
                + "exposure (`own-outgoing-exposure`) and the lookalike rules (`address-poisoning`, `withdrawal-to-lookalike`).", G_ALERTS, ++o,
            Width.SHORT, "read blocks");
        d.define(ALERTS_QUIET_BLOCKS, Type.LONG, rules.quietBlocks(), Range.atLeast(1), Importance.LOW,
            "Blocks without movement after which a watchlist address's next movement is a new alert.", G_ALERTS, ++o, Width.SHORT, "quiet");
        d.define(ALERTS_SANCTIONED, Type.LIST, String.join(",", rules.sanctionedCategories().stream().map(Category::label).sorted().toList()),
            labels(Category.values(), Category::label), Importance.MEDIUM,
            "Seed categories that count as sanctioned.", G_ALERTS, ++o, Width.MEDIUM, "sanctioned");
        d.define(OWN_ENTITY_NAMES, Type.LIST, "", Importance.HIGH,
            "Our own entity names (case-insensitive): `exchange-deposit` labels with these names are our deposit addresses, "
                + "`exchange-hot-wallet`/`exchange` labels our hot wallets.", G_ALERTS, ++o, Width.LONG, "own entities");
        d.define(OWN_DEPOSITS, Type.LIST, "", Importance.HIGH,
            "Our deposit addresses (tainted arrivals: `own-deposit-tainted`, severe).", G_ALERTS, ++o, Width.LONG, "own deposits");
        d.define(OWN_HOT_WALLETS, Type.LIST, "", Importance.HIGH,
            "Our hot wallets (withdrawals to risky addresses: `own-outgoing-exposure`; to a lookalike of an earlier payee: "
                + "`withdrawal-to-lookalike`).", G_ALERTS, ++o, Width.LONG, "own hot wallets");
        d.define(API_TOKENS, Type.PASSWORD, null, Importance.HIGH,
            "Comma-separated bearer tokens of the alert API, at least 16 characters each, each a `viewer` (reads only; named users with "
                + "roles: `alerts.api.users`); no token and no user = every request refused (401). A secret.",
            G_ALERTS, ++o, Width.LONG, "api tokens");
        d.define(API_MAX_ALERTS, Type.INT, ApiConfig.defaults().maxAlerts(), Range.atLeast(1), Importance.LOW,
            "Alerts the API keeps in memory (the oldest updated are evicted first).", G_ALERTS, ++o, Width.SHORT, "api max alerts");
        d.define(API_MAX_STREAMS, Type.INT, HttpLimits.defaults().maxStreams(), Range.atLeast(0), Importance.LOW,
            "Live SSE streams (`/alerts/stream`) open at once; more are answered 503.", G_ALERTS, ++o, Width.SHORT, "api max streams");
        o = 0;
        d.define(CONSOLE_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
            "Serve the analyst console at `/console/` on the alert API's port (docs/console.md). Its files hold no data: every "
                + "request for data needs a token.", G_CONSOLE, ++o, Width.SHORT, "console");
        d.define(API_USERS, Type.LIST, "", Importance.HIGH,
            "Comma-separated user names (letters, digits, `.`, `_`, `-`, `@`): each is configured by `alerts.api.user.<name>.*`, and is "
                + "who the audit trail names. Tokens in `alerts.api.tokens` stay valid as viewers named `token:<8 hex digits of the "
                + "token's SHA-256>`.", G_CONSOLE, ++o, Width.MEDIUM, "users");
        d.define(WEBHOOKS, Type.LIST, "", Importance.HIGH,
            "Comma-separated webhook endpoint names; each is configured by `alerts.webhook.<name>.*`.", G_ALERTS, ++o, Width.MEDIUM, "webhooks");

        SeverityConfig sev = SeverityConfig.defaults();
        d.define(SEVERITY_MEDIUM_AT, Type.INT, sev.mediumAt(), Range.atLeast(0), Importance.MEDIUM,
            "Score from which an arrival at another service is `medium` (docs/alert-schema.md, \"Severity\").", G_SEVERITY, 1, Width.SHORT,
            "medium at");
        d.define(SEVERITY_HIGH_AT, Type.INT, sev.highAt(), Range.atLeast(0), Importance.MEDIUM,
            "Score from which an arrival at another service is `high`.", G_SEVERITY, 2, Width.SHORT, "high at");

        o = 0;
        for (AlertRule r : AlertRule.values()) {
            RuleThresholds rt = rules.thresholds(r);
            String p = RULE_PREFIX + r.label() + ".";
            d.define(p + RULE_ENABLED, Type.BOOLEAN, rt.enabled(), Importance.MEDIUM,
                "Rule `" + r.label() + "` on or off.", G_RULES, ++o, Width.SHORT, r.label());
            d.define(p + RULE_MIN_SHARE_PPM, Type.LONG, rt.minSharePpm(), Range.between(0, 1_000_000), Importance.MEDIUM,
                "Minimum tainted share for `" + r.label() + "` (parts per million).", G_RULES, ++o, Width.SHORT, r.label());
            d.define(p + RULE_MAX_HOPS, Type.INT, rt.maxHops(), Range.atLeast(0), Importance.MEDIUM,
                "Largest hop count from the source that still alerts for `" + r.label() + "`.", G_RULES, ++o, Width.SHORT, r.label());
        }
        LookalikeConfig look = rules.lookalike();
        d.define(LOOKALIKE_PREFIX_DIGITS, Type.INT, look.prefixDigits(), Range.between(1, 38), Importance.MEDIUM,
            "Leading hex digits (after `0x`) a lookalike shares with the real counterparty it imitates (`address-poisoning`, "
                + "`withdrawal-to-lookalike`); every confirmed payoff of the address-poisoning study shares at least 3 "
                + "(docs/alert-schema.md, \"Lookalike addresses\").", G_RULES, ++o, Width.SHORT, "lookalike prefix");
        d.define(LOOKALIKE_SUFFIX_DIGITS, Type.INT, look.suffixDigits(), Range.between(1, 38), Importance.MEDIUM,
            "Trailing hex digits a lookalike shares with the real counterparty it imitates (at least 4 in every confirmed payoff of the "
                + "study); prefix and suffix digits together at most 39.", G_RULES, ++o, Width.SHORT, "lookalike suffix");
        d.define(LOOKALIKE_WINDOW_SECONDS, Type.LONG, look.windowSeconds(), Range.atLeast(1), Importance.MEDIUM,
            "How long (block time, seconds) a real transfer makes its two addresses counterparties of each other, and a poisoning "
                + "transfer is remembered (30 days: 92% of the study's confirmed Ethereum payoffs came within 30 days of the poisoning).",
            G_RULES, ++o, Width.SHORT, "lookalike window");
        d.define(LOOKALIKE_MAX_ENTRIES, Type.LONG, look.maxEntries(), Range.atLeast(1), Importance.LOW,
            "Bound of each chain's counterparty memory (store `alerts-counterparties-<chain>`), in records of addresses other than our hot wallets: "
                + "beyond it the oldest go first; our hot wallets' records stay for the whole window (docs/BENCHMARKS.md gives records per "
                + "block of real mainnet blocks).", G_RULES, ++o, Width.SHORT, "lookalike memory");
        d.define(LOOKALIKE_SCOPE, Type.STRING, look.scope().label(), labels(LookalikeConfig.Scope.values(), LookalikeConfig.Scope::label, false),
            Importance.MEDIUM,
            "Whose poisoning raises `address-poisoning`: `watched` (the poisoned address is ours, on the watchlist or tracked by the "
                + "engine) or `all` (every address on the chain: intelligence, many alerts).", G_RULES, ++o, Width.SHORT, "lookalike scope");

        o = 0;
        d.define(RETRO_MODE, Type.STRING, "offer", ValidString.in("off", "offer", "trigger"), Importance.MEDIUM,
            "What a new seed does to the past: `off`; `offer` (record an offer that `taintwatch retro run --id ID` accepts); `trigger` "
                + "(screen at once in the background, one screening at a time per chain).", G_RETRO, ++o, Width.SHORT, "mode");
        d.define(RETRO_LOOKBACK_BLOCKS, Type.LONG, 50_400L, Range.atLeast(0), Importance.MEDIUM,
            "Blocks before the live engine's pickup block that a screening replays (50400 = 7 days of 12-second blocks; set it per your "
                + "chain's block time); clamped to the first block `blocks.<chain>` retains, with a warning.", G_RETRO, ++o, Width.SHORT, "lookback");
        d.define(RETRO_LOOKBACK_DURATION, Type.STRING, null, Importance.LOW,
            "A look-back in time instead (ISO-8601 `P7D`, `PT12H`, or `7d`, `12h`, `30m`, `90s`): from the time of the last block "
                + "before the pickup block back by this much (by record timestamp, which ingest writes as block time); replaces "
                + "`retro.lookback.blocks` when set.", G_RETRO, ++o, Width.SHORT, "lookback duration");
        return d;
    }

    private static ConfigDef.Validator urlTemplate(String placeholder) {
        return ConfigDef.LambdaValidator.with((name, v) -> {
            try {
                new io.taintwatch.alerts.api.ConsoleConfig.Explorer(placeholder.equals("{tx}") ? (String) v : "",
                    placeholder.equals("{address}") ? (String) v : "");
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, v, e.getMessage());
            }
        }, () -> "empty, or an http(s) URL with " + placeholder);
    }

    private static ConfigDef.Validator topicName() {
        return ConfigDef.LambdaValidator.with((name, v) -> {
            if (v == null || !v.toString().matches("[A-Za-z0-9._-]{1,200}")) {
                throw new ConfigException(name, v, "a topic name is letters, digits, '.', '_' or '-'");
            }
        }, () -> "a topic name");
    }

    private static ConfigDef.Validator applicationId() {
        return ConfigDef.LambdaValidator.with((name, v) -> {
            if (v == null || !v.toString().matches("[A-Za-z0-9._-]{1,200}")) {
                throw new ConfigException(name, v, "an application id is letters, digits, '.', '_' or '-'");
            }
        }, () -> "letters, digits, '.', '_', '-'");
    }

    static ConfigDef.Validator baseUnits() {
        return ConfigDef.LambdaValidator.with((name, v) -> {
            try {
                if (v == null || new java.math.BigInteger(v.toString().strip()).signum() < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ConfigException(name, v, "a non-negative whole number of base units");
            }
        }, () -> "a non-negative whole number of base units");
    }

    private static <E> ConfigDef.Validator labels(E[] values, java.util.function.Function<E, String> label) {
        return labels(values, label, true);
    }

    /** A list (or, with {@code list = false}, a string) of the enum's labels. */
    private static <E> ConfigDef.Validator labels(E[] values, java.util.function.Function<E, String> label, boolean list) {
        List<String> allowed = Arrays.stream(values).map(label).toList();
        String shown = allowed.stream().collect(Collectors.joining(", "));
        return ConfigDef.LambdaValidator.with((name, v) -> {
            List<?> given = list ? (List<?>) v : List.of(v == null ? "" : v);
            for (Object g : given) {
                if (!allowed.contains(g.toString().strip().toLowerCase(Locale.ROOT))) {
                    throw new ConfigException(name, g, "expected one of " + shown);
                }
            }
        }, () -> (list ? "any of " : "one of ") + shown);
    }
}
