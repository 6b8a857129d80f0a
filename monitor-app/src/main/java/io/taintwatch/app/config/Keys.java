package io.taintwatch.app.config;

import java.util.List;

/** Every configuration key taintwatch reads, with its default and meaning (docs/configuration.md mirrors this). */
public final class Keys {
    private Keys() {}

    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap-servers";
    public static final String STATE_DIR = "state.dir";
    public static final String STATE_ROCKSDB_MEMORY = "state.rocksdb.memory-bytes";
    public static final String CHAINS = "chains";
    public static final String TAINT_POLICY = "taint.policy";
    public static final String TAINT_MAX_HOPS = "taint.max-hops";
    public static final String TAINT_DUST_NATIVE = "taint.dust.native";
    public static final String TAINT_DUST_DEFAULT = "taint.dust.default";
    public static final String TAINT_MIN_SHARE_PPM = "taint.min-share-ppm";
    public static final String TAINT_TERMINALS = "taint.terminal-categories";
    public static final String TAINT_PROVENANCE_K = "taint.provenance-k";
    public static final String TAINT_SECTION_TIMES = "taint.section-times";
    public static final String TOPIC_WATCHLIST = "topics.watchlist";
    public static final String TOPIC_LABELS = "topics.labels";
    public static final String TOPIC_ALERTS = "topics.alerts";
    public static final String TOPIC_PARTITIONS = "topics.create.partitions";
    public static final String TOPIC_RETENTION_MS = "topics.blocks.retention-ms";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BIND = "http.bind";
    public static final String METRICS_PORT = "metrics.port";
    public static final String RPC_TIMEOUT_MS = "rpc.timeout-ms";
    public static final String RPC_MAX_BATCH = "rpc.max-batch";
    public static final String API_TOKENS = "alerts.api.tokens";
    public static final String OWN_ENTITY_NAMES = "alerts.own.entity-names";
    public static final String OWN_DEPOSITS = "alerts.own.deposit-addresses";
    public static final String OWN_HOT_WALLETS = "alerts.own.hot-wallets";
    public static final String WEBHOOKS = "alerts.webhooks";
    public static final String RETRO_MODE = "retro.mode";
    public static final String RETRO_LOOKBACK_BLOCKS = "retro.lookback.blocks";
    public static final String RETRO_LOOKBACK_DURATION = "retro.lookback.duration";
    public static final String TOPIC_RETRO = "topics.retro-screenings";

    /** Keys under {@code chain.<name>.}: id, rpc-urls, confirmations, finalized, native-symbol, native-decimals, weth, trace, balances, token-metadata, batch-blocks, poll-ms, start-block. */
    public static final java.util.Set<String> CHAIN_KEYS = java.util.Set.of("id", "rpc-urls", "confirmations", "finalized", "native-symbol",
        "native-decimals", "weth", "trace", "balances", "token-metadata", "batch-blocks", "poll-ms", "start-block");

    public static final List<ConfigKey> ALL = List.of(
        new ConfigKey(KAFKA_BOOTSTRAP, "localhost:9092", "Kafka bootstrap servers. Client settings (SASL, TLS, tuning) pass through as kafka.client.<setting>, e.g. kafka.client.security.protocol=SASL_SSL, or TAINTWATCH_KAFKA_CLIENT_<SETTING> in the environment."),
        new ConfigKey(STATE_DIR, "./taintwatch-state", "Directory for Kafka Streams state (taint engine stores). Must persist across restarts (a StatefulSet volume in Kubernetes); never cleaned on start."),
        new ConfigKey(STATE_ROCKSDB_MEMORY, "67108864", "Native memory for all RocksDB state stores of the process (taint engine, alerts), in bytes: one shared block cache, memtables counted against it (a quarter). Default 64 MiB."),
        new ConfigKey(CHAINS, "ethereum", "Comma-separated chain names; each has chain.<name>.* keys (see the chain section)."),
        new ConfigKey(TAINT_POLICY, "haircut", "Taint policy: haircut, poison or fifo (docs/architecture.md)."),
        new ConfigKey(TAINT_MAX_HOPS, "6", "Maximum hops from a source a carry may travel; beyond it taint is cut and counted."),
        new ConfigKey(TAINT_DUST_NATIVE, "1000000000000", "Absolute dust threshold for the native asset in base units (10^12 wei = 0.000001 ETH)."),
        new ConfigKey(TAINT_DUST_DEFAULT, "0", "Absolute dust threshold for tokens without their own threshold, in base units."),
        new ConfigKey(TAINT_MIN_SHARE_PPM, "1000", "Minimum tainted share of a leg, in parts per million of its amount (1000 = 0.1%)."),
        new ConfigKey(TAINT_TERMINALS, "exchange,exchange-deposit,exchange-hot-wallet,mixer,bridge", "Recipient categories where taint is delivered and not followed."),
        new ConfigKey(TAINT_PROVENANCE_K, "3", "Inbound tainted flows (with paths) kept per tracked address and source."),
        new ConfigKey(TAINT_SECTION_TIMES, "false", "Measure where the taint engine's stream thread spends its time, by section (taintwatch_taint_section_seconds_total); a few clock reads per block."),
        new ConfigKey(TOPIC_WATCHLIST, "watchlist", "Compacted topic of seeds (key address, value seed JSON)."),
        new ConfigKey(TOPIC_LABELS, "labels", "Compacted topic of entity labels (key address, value entity JSON)."),
        new ConfigKey(TOPIC_ALERTS, "alerts", "Topic of alerts (key alert id, value alert JSON)."),
        new ConfigKey(TOPIC_PARTITIONS, "1", "Partitions for topics taintwatch creates. blocks.<chain>, watchlist and labels always get 1 (chain order)."),
        new ConfigKey(TOPIC_RETENTION_MS, "-1", "Retention of blocks.<chain> in ms (-1 = forever: replays read it)."),
        new ConfigKey(HTTP_PORT, "8080", "Port of the HTTP server: alert API, /metrics, /health, /ready."),
        new ConfigKey(HTTP_BIND, "127.0.0.1", "Address the HTTP servers bind to (0.0.0.0 in containers)."),
        new ConfigKey(METRICS_PORT, "9464", "Port of /metrics (Prometheus), /health and /ready."),
        new ConfigKey(RPC_TIMEOUT_MS, "30000", "Timeout of one JSON-RPC request (ms); retried with exponential backoff and jitter."),
        new ConfigKey(RPC_MAX_BATCH, "100", "Largest JSON-RPC batch; halved on failure, grown back after a cool-down."),
        new ConfigKey(API_TOKENS, null, "Comma-separated bearer tokens for the alert API (a Secret in Kubernetes). Without tokens the API refuses every request."),
        new ConfigKey(OWN_ENTITY_NAMES, null, "Our own entity names: exchange-deposit labels with these names are our deposit addresses."),
        new ConfigKey(OWN_DEPOSITS, null, "Comma-separated addresses of our own deposit addresses (tainted arrivals are severe)."),
        new ConfigKey(OWN_HOT_WALLETS, null, "Comma-separated addresses of our hot wallets (withdrawals to risky addresses are alerts)."),
        new ConfigKey(WEBHOOKS, null, "Comma-separated webhook names; each needs alerts.webhook.<name>.url and alerts.webhook.<name>.secret."),
        new ConfigKey(RETRO_MODE, "offer", "What a new seed does to the past (docs/labels.md, retro-screening): off; offer (record an offer, run it with 'taintwatch retro run'); trigger (screen at once, one at a time)."),
        new ConfigKey(RETRO_LOOKBACK_BLOCKS, "50400", "Blocks before the live engine's pickup block that a retro-screening replays (50400 = 7 days of 12-second blocks); clamped to the first retained block."),
        new ConfigKey(RETRO_LOOKBACK_DURATION, null, "A look-back in time instead of blocks (ISO-8601 like P7D or PT12H, or 7d, 12h, 30m): back from the last block before the pickup, by block time."),
        new ConfigKey(TOPIC_RETRO, "retro-screenings", "Compacted topic of retro-screening decisions and screenings (1 partition, transactional).")
    );

    public static ConfigKey find(String name) {
        for (ConfigKey k : ALL) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
