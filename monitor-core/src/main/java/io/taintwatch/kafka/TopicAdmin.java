package io.taintwatch.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a taintwatch component needs when they are missing and verifies those present, with the
 * client's security settings: the one place every component (ingest, taint engine, alerts, app) does this.
 */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    /** One topic: name, partitions, configs, and whether its partition count is part of the contract (chain order). */
    public record Spec(String name, int partitions, Map<String, String> configs, boolean exactPartitions) {
        public Spec {
            configs = Map.copyOf(configs);
        }
    }

    private TopicAdmin() {}

    /**
     * Creates what is missing (a topic created meanwhile by another process counts as present) and fails with a
     * clear message when a present topic breaks the contract.
     *
     * @param clients the process's Kafka client baseline (security settings, timeouts)
     * @param replicationFactor for new topics; -1 for the broker's default
     */
    public static void ensure(KafkaClients clients, int replicationFactor, List<Spec> specs) {
        Properties p = clients.admin();
        String bootstrap = clients.bootstrapServers();
        Map<String, Spec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.putIfAbsent(s.name(), s));
        Optional<Short> rf = replicationFactor < 0 ? Optional.empty() : Optional.of((short) replicationFactor);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (Spec s : byName.values()) {
                if (existing.contains(s.name())) {
                    present.add(s.name());
                } else {
                    missing.add(new NewTopic(s.name(), Optional.of(s.partitions()), rf).configs(s.configs()));
                }
            }
            if (!missing.isEmpty()) {
                List<String> created = new ArrayList<>();
                for (var f : admin.createTopics(missing).values().entrySet()) {
                    try {
                        f.getValue().get();
                        created.add(f.getKey());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                        present.add(f.getKey());
                    }
                }
                if (!created.isEmpty()) {
                    LOG.info("created topics {}", created);
                }
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
            throw new IllegalStateException("cannot create or check topics " + byName.keySet() + " on " + bootstrap + ": "
                + e.getCause().getMessage() + " (is the broker reachable and are the client's security settings right?)", e.getCause());
        }
    }
}
