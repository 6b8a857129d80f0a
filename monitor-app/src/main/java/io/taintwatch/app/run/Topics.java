package io.taintwatch.app.run;

import io.taintwatch.model.ChainId;
import io.taintwatch.topology.TaintTopologyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics taintwatch reads and writes when they are missing, and verifies those present:
 * {@code blocks.<chain>}, {@code watchlist} and {@code labels} must have exactly one partition (chain
 * order; one task sees seeds, labels and blocks in one order).
 */
public final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
    private static final Map<String, String> COMPACT = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    /** One topic taintwatch needs: name, partitions, configs, and whether its partition count is part of the contract. */
    public record Spec(String name, int partitions, Map<String, String> configs, boolean exactPartitions) {
    }

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
        return specs;
    }

    /** The compacted {@code retro-screenings} topic: one partition, so one reader sees every decision in order. */
    public static Spec retroScreenings(String name) {
        return new Spec(name, 1, COMPACT, true);
    }

    /** Creates what is missing; fails with a clear message when a present topic breaks the contract. */
    public static void ensure(String bootstrap, Map<String, String> clientSettings, List<Spec> specs) {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, Spec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.putIfAbsent(s.name(), s));
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (Spec s : byName.values()) {
                if (existing.contains(s.name())) {
                    present.add(s.name());
                } else {
                    missing.add(new NewTopic(s.name(), java.util.Optional.of(s.partitions()), java.util.Optional.empty()).configs(s.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            if (!present.isEmpty()) {
                Map<String, TopicDescription> d = admin.describeTopics(present).allTopicNames().get();
                for (String name : present) {
                    Spec s = byName.get(name);
                    int actual = d.get(name).partitions().size();
                    if (s.exactPartitions() && actual != s.partitions()) {
                        throw new IllegalStateException("topic " + name + " has " + actual + " partitions; taintwatch needs exactly "
                            + s.partitions() + " (chain order); recreate it");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create or check topics on " + bootstrap + ": " + e.getCause().getMessage()
                + " (is the broker reachable? see kafka.bootstrap-servers)", e.getCause());
        }
    }
}
