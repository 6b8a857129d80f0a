package io.taintwatch.kafka;

import io.taintwatch.model.ChainId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of the pipeline, declared once: its name (configurable for the shared topics, per chain for blocks and
 * flows), partitions, cleanup policy, retention and whether it has a dead-letter topic ({@code <topic>.dlq}). Every part
 * and every command creates and verifies topics through {@link #specs} and {@link #ensure}; nothing else creates them
 * (Kafka Streams' own changelog and repartition topics aside).
 */
public final class PipelineTopics {
    /** How many partitions a topic has. */
    public enum Partitions {
        /** Exactly one, verified on existing topics: chain order, or one reader seeing every record in order. */
        ONE,
        /** {@code topics.create.partitions} when created; an existing topic keeps its count. */
        CONFIGURED
    }

    /** How long a (not compacted) topic keeps its records. */
    public enum Retention {
        /** The broker's default (compacted topics keep the latest record per key). */
        BROKER,
        /** {@code topics.blocks.retention-ms}, forever by default: replays read blocks, flows are the audit log. */
        CONFIGURED,
        /** Forever: dead webhook deliveries wait for their redelivery. */
        FOREVER
    }

    /** What a topic is; the name of a shared topic comes from configuration ({@link Names}). */
    public enum Topic {
        BLOCKS("blocks.<chain>", Partitions.ONE, false, Retention.CONFIGURED, true,
            "one confirmed block per record (protobuf), in chain order; written by ingest in transactions with its checkpoint"),
        // one partition: the alert service reads a chain's flows in chain order, or an alert's versions would depend on timing
        FLOWS("taint-flows.<chain>", Partitions.ONE, false, Retention.CONFIGURED, true,
            "every taint step (protobuf), key recipient, in chain order: the audit log the alerts read"),
        WATCHLIST("watchlist", Partitions.ONE, true, Retention.BROKER, true, "seeds (JSON), key address"),
        LABELS("labels", Partitions.ONE, true, Retention.BROKER, true, "entity labels (JSON), key address"),
        TOKENS("tokens", Partitions.ONE, true, Retention.BROKER, true, "token metadata (JSON), key <chain>:<contract>; written by ingest"),
        TOKEN_REGISTRY("token-registry", Partitions.ONE, true, Retention.BROKER, true,
            "declared tokens (JSON: token lists, the operator's own), key <chain>:<contract>; read by the taint engine and the alert service"),
        INGEST_CHECKPOINTS("ingest-checkpoints", Partitions.ONE, true, Retention.BROKER, false, "the last published block per chain; written by ingest"),
        ALERTS("alerts", Partitions.CONFIGURED, true, Retention.BROKER, true, "alert versions (JSON), key alert id; the webhooks' outbox"),
        ALERTS_TRACKED("alerts.tracked", Partitions.ONE, true, Retention.BROKER, true, "addresses the engine made tracked, for the outgoing-exposure rule"),
        WEBHOOK_DLQ("alerts.webhook-dlq", Partitions.ONE, false, Retention.FOREVER, false,
            "alerts a webhook endpoint did not accept within its retry budget, kept until redelivered"),
        RETRO_SCREENINGS("retro-screenings", Partitions.ONE, true, Retention.BROKER, false, "retro-screening offers, decisions and states (JSON)"),
        ALERT_CASES("alert-cases", Partitions.ONE, true, Retention.BROKER, false,
            "the analysts' case actions (JSON), key <alert id>/<event id>: the audit trail, in one order");

        private final String defaultName;
        private final Partitions partitions;
        private final boolean compacted;
        private final Retention retention;
        private final boolean deadLetters;
        private final String doc;

        Topic(String defaultName, Partitions partitions, boolean compacted, Retention retention, boolean deadLetters, String doc) {
            this.defaultName = defaultName;
            this.partitions = partitions;
            this.compacted = compacted;
            this.retention = retention;
            this.deadLetters = deadLetters;
            this.doc = doc;
        }

        /** The name when not configured otherwise ({@code <chain>} stands for the chain's name). */
        public String defaultName() {
            return defaultName;
        }

        public Partitions partitions() {
            return partitions;
        }

        public boolean compacted() {
            return compacted;
        }

        public Retention retention() {
            return retention;
        }

        /** Whether the topic is an input of some part, whose bad records go to {@code <topic>.dlq}. */
        public boolean deadLetters() {
            return deadLetters;
        }

        public String doc() {
            return doc;
        }

        boolean perChain() {
            return defaultName.contains("<chain>");
        }
    }

    /** The configurable names of the shared topics. */
    public record Names(Map<Topic, String> names) {
        public Names {
            EnumMap<Topic, String> m = new EnumMap<>(Topic.class);
            for (Topic t : Topic.values()) {
                if (!t.perChain()) {
                    m.put(t, t.defaultName());
                }
            }
            names.forEach((t, n) -> {
                if (t.perChain()) {
                    throw new IllegalArgumentException("the name of " + t.defaultName() + " is fixed per chain");
                }
                if (n == null || !n.matches("[A-Za-z0-9._-]{1,200}")) {
                    throw new IllegalArgumentException("topic name for " + t.defaultName() + " must be letters, digits, '.', '_' or '-', got '" + n + "'");
                }
                m.put(t, n);
            });
            names = java.util.Collections.unmodifiableMap(m);
        }

        public static Names defaults() {
            return new Names(Map.of());
        }
    }

    public static final String DLQ_SUFFIX = ".dlq";

    private final Names names;
    private final int partitions;
    private final long keptRetentionMs;
    private final int replicationFactor;

    /**
     * @param partitions        for {@link Partitions#CONFIGURED} topics when created
     * @param keptRetentionMs   retention of {@link Retention#CONFIGURED} topics (-1 = forever)
     * @param replicationFactor of new topics; -1 for the broker's default
     */
    public PipelineTopics(Names names, int partitions, long keptRetentionMs, int replicationFactor) {
        this.names = Objects.requireNonNull(names, "names");
        if (partitions < 1) {
            throw new IllegalArgumentException("topics.create.partitions must be at least 1, got " + partitions);
        }
        if (keptRetentionMs < -1 || keptRetentionMs == 0) {
            throw new IllegalArgumentException("topic retention must be -1 (forever) or a positive number of ms, got " + keptRetentionMs);
        }
        this.partitions = partitions;
        this.keptRetentionMs = keptRetentionMs;
        this.replicationFactor = replicationFactor;
    }

    /** Default names, one partition, kept forever, the broker's replication factor: the demo, tests and replays. */
    public static PipelineTopics defaults() {
        return new PipelineTopics(Names.defaults(), 1, -1, -1);
    }

    /** The name of a shared topic. */
    public String name(Topic t) {
        if (t.perChain()) {
            throw new IllegalArgumentException(t.defaultName() + " is named per chain: use name(topic, chain)");
        }
        return names.names().get(t);
    }

    /** The name of a per-chain topic ({@code blocks.<chain>}, {@code taint-flows.<chain>}). */
    public static String name(Topic t, ChainId chain) {
        if (!t.perChain()) {
            throw new IllegalArgumentException(t.defaultName() + " is not per chain");
        }
        return t.defaultName().replace("<chain>", chain.name());
    }

    public String watchlist() {
        return name(Topic.WATCHLIST);
    }

    public String labels() {
        return name(Topic.LABELS);
    }

    public String tokens() {
        return name(Topic.TOKENS);
    }

    public String tokenRegistry() {
        return name(Topic.TOKEN_REGISTRY);
    }

    public String checkpoints() {
        return name(Topic.INGEST_CHECKPOINTS);
    }

    public String alerts() {
        return name(Topic.ALERTS);
    }

    public String tracked() {
        return name(Topic.ALERTS_TRACKED);
    }

    public String webhookDlq() {
        return name(Topic.WEBHOOK_DLQ);
    }

    public String retroScreenings() {
        return name(Topic.RETRO_SCREENINGS);
    }

    public String alertCases() {
        return name(Topic.ALERT_CASES);
    }

    public int partitions() {
        return partitions;
    }

    public int replicationFactor() {
        return replicationFactor;
    }

    /** The dead-letter topic of an input topic. */
    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** One topic's specification (and, for an input, its dead-letter topic's right after it). */
    public List<TopicAdmin.Spec> specs(Topic t, String name) {
        List<TopicAdmin.Spec> out = new ArrayList<>(2);
        Map<String, String> configs = t.compacted() ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : switch (t.retention()) {
                case CONFIGURED -> Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(keptRetentionMs));
                case FOREVER -> Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
                case BROKER -> Map.<String, String>of();
            };
        boolean one = t.partitions() == Partitions.ONE;
        out.add(new TopicAdmin.Spec(name, one ? 1 : partitions, configs, one));
        if (t.deadLetters()) {
            out.add(new TopicAdmin.Spec(dlq(name), 1, Map.of(), false));
        }
        return out;
    }

    /** Every topic of the pipeline for these chains, with the dead-letter topics of the inputs. */
    public List<TopicAdmin.Spec> specs(Collection<ChainId> chains) {
        List<TopicAdmin.Spec> out = new ArrayList<>();
        for (Topic t : Topic.values()) {
            if (t.perChain()) {
                for (ChainId c : chains) {
                    out.addAll(specs(t, name(t, c)));
                }
            } else {
                out.addAll(specs(t, name(t)));
            }
        }
        return out;
    }

    /** Creates (when missing) and verifies some of the shared topics with their dead-letter topics: what a command writes. */
    public void ensure(KafkaClients clients, Topic... shared) {
        List<TopicAdmin.Spec> specs = new ArrayList<>();
        for (Topic t : shared) {
            specs.addAll(specs(t, name(t)));
        }
        TopicAdmin.ensure(clients, replicationFactor, specs);
    }

    /**
     * Creates the pipeline's topics that are missing and verifies those present (one partition where the contract needs
     * it), before any part starts: a part never meets a topic that another is still creating.
     */
    public void ensure(KafkaClients clients, Collection<ChainId> chains) {
        TopicAdmin.ensure(clients, replicationFactor, specs(chains));
    }
}
