package io.taintwatch.alerts;

import io.taintwatch.alerts.api.ApiConfig;
import io.taintwatch.alerts.delivery.WebhooksConfig;
import io.taintwatch.alerts.rules.RulesConfig;

import io.taintwatch.kafka.KafkaClients;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the alert module, bound by the app from its config file: the Kafka client baseline and Streams
 * application id, state directory, chains, topics, whether to read raw blocks (for direct exposure into
 * sanctioned addresses and our hot wallets' outgoing exposure), the rules, webhooks and the HTTP API.
 * {@code replicationFactor} applies to the internal topics (-1 = broker default); {@code candidatePartitions} is the
 * partition count of the repartition topics of alert candidates by dedup group: as many tasks fold them into alerts.
 */
public record AlertsConfig(KafkaClients kafka, String applicationId, Path stateDir, int replicationFactor,
                           List<ChainSettings> chains, AlertsTopics topics, boolean readBlocks, RulesConfig rules,
                           WebhooksConfig webhooks, ApiConfig api, int candidatePartitions) {
    public AlertsConfig {
        Objects.requireNonNull(kafka, "kafka");
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("alerts applicationId must be set");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        if (chains == null || chains.isEmpty()) {
            throw new IllegalArgumentException("alerts: at least one chain must be configured");
        }
        chains = List.copyOf(chains);
        topics = topics == null ? AlertsTopics.defaults() : topics;
        rules = rules == null ? RulesConfig.defaults() : rules;
        webhooks = webhooks == null ? WebhooksConfig.none() : webhooks;
        api = api == null ? ApiConfig.defaults() : api;
        if (candidatePartitions < 1) {
            throw new IllegalArgumentException("alerts: candidate partitions must be at least 1, got " + candidatePartitions);
        }
    }

    /** Defaults for one chain: application id {@code taintwatch-alerts}, state under {@code stateDir}. */
    public static AlertsConfig defaults(String bootstrapServers, Path stateDir, ChainSettings chain) {
        return new AlertsConfig(KafkaClients.plain(bootstrapServers), "taintwatch-alerts", stateDir, -1, List.of(chain), AlertsTopics.defaults(), false,
            RulesConfig.defaults(), WebhooksConfig.none(), ApiConfig.defaults(), 1);
    }

    public AlertsConfig withRules(RulesConfig r) {
        return new AlertsConfig(kafka, applicationId, stateDir, replicationFactor, chains, topics, readBlocks, r, webhooks, api, candidatePartitions);
    }

    public AlertsConfig withReadBlocks(boolean b) {
        return new AlertsConfig(kafka, applicationId, stateDir, replicationFactor, chains, topics, b, rules, webhooks, api, candidatePartitions);
    }

    public AlertsConfig withWebhooks(WebhooksConfig w) {
        return new AlertsConfig(kafka, applicationId, stateDir, replicationFactor, chains, topics, readBlocks, rules, w, api, candidatePartitions);
    }

    public AlertsConfig withApi(ApiConfig a) {
        return new AlertsConfig(kafka, applicationId, stateDir, replicationFactor, chains, topics, readBlocks, rules, webhooks, a, candidatePartitions);
    }

    public AlertsConfig withReplicationFactor(int rf) {
        return new AlertsConfig(kafka, applicationId, stateDir, rf, chains, topics, readBlocks, rules, webhooks, api, candidatePartitions);
    }
}
