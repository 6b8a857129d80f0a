package io.taintwatch.app.run;

import io.taintwatch.model.ChainId;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.kafka.TopicAdmin.Spec;
import io.taintwatch.topology.TaintTopologyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the topics taintwatch reads and writes when they are missing, and verifies those present:
 * {@code blocks.<chain>}, {@code watchlist}, {@code labels} and {@code token-registry} must have exactly one partition
 * (chain order; one task sees seeds, labels, tokens and blocks in one order).
 */
public final class Topics {
    private static final Map<String, String> COMPACT = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    private Topics() {}

    public static List<Spec> forChain(ChainId chain, String watchlist, String labels, long blocksRetentionMs, int partitions) {
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec(chain.blocksTopic(), 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(blocksRetentionMs)), true));
        specs.add(new Spec(TaintTopologyConfig.dlq(chain.blocksTopic()), 1, Map.of(), false));
        // flows carry their block's timestamp: with time-based retention a backfill's flows would be deleted at once
        specs.add(new Spec(chain.flowsTopic(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(blocksRetentionMs)), false));
        specs.add(new Spec(TaintTopologyConfig.dlq(chain.flowsTopic()), 1, Map.of(), false));
        specs.add(new Spec(watchlist, 1, COMPACT, true));
        specs.add(new Spec(TaintTopologyConfig.dlq(watchlist), 1, Map.of(), false));
        specs.add(new Spec(labels, 1, COMPACT, true));
        specs.add(new Spec(TaintTopologyConfig.dlq(labels), 1, Map.of(), false));
        specs.add(new Spec(TaintTopologyConfig.TOKEN_REGISTRY_TOPIC, 1, COMPACT, true));
        specs.add(new Spec(TaintTopologyConfig.dlq(TaintTopologyConfig.TOKEN_REGISTRY_TOPIC), 1, Map.of(), false));
        return specs;
    }

    /** The compacted {@code retro-screenings} topic: one partition, so one reader sees every decision in order. */
    public static Spec retroScreenings(String name) {
        return new Spec(name, 1, COMPACT, true);
    }

    /** Creates what is missing with the client's settings; fails with a clear message when a present topic breaks the contract. */
    public static void ensure(String bootstrap, Map<String, String> clientSettings, List<Spec> specs) {
        TopicAdmin.ensure(bootstrap, clientSettings, -1, specs);
    }
}
