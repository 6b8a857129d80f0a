package io.taintwatch.app.run;

import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.topology.ReferencePositions;
import io.taintwatch.topology.TaintTopologyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over from taint engines that ran one Kafka Streams application per chain ({@code <application id>-<chain>}).
 * Their changelog topics already carry the names the taint application's stores have ({@code <id>-<chain>-taint-*}),
 * so the state comes back by restoring them; what this adds is the positions: a chain's offset in its blocks topic is
 * copied into the taint application's group while that group has none for it, and its positions in the reference topics
 * are handed to the topology ({@link ReferencePositions}), so that the chain is forwarded only the reference records its
 * engine has not read. Read at every start (a few admin requests), so that whichever instance first runs the reference
 * task knows them; a per-chain application that still has members is refused.
 */
final class PerChainApplications {
    private static final Logger LOG = LoggerFactory.getLogger(PerChainApplications.class);

    private PerChainApplications() {}

    /** The group of the per-chain application of {@code chain} under the application id {@code applicationId}. */
    static String group(String applicationId, String chain) {
        return applicationId + "-" + chain;
    }

    static ReferencePositions takeOver(KafkaClients kafka, String applicationId, List<TaintTopologyConfig> chains) throws InterruptedException {
        try (Admin admin = Admin.create(kafka.admin())) {
            Map<TopicPartition, OffsetAndMetadata> ours = offsets(admin, applicationId);
            Map<String, Map<String, Long>> positions = new LinkedHashMap<>();
            Map<TopicPartition, OffsetAndMetadata> blocks = new LinkedHashMap<>();
            for (TaintTopologyConfig c : chains) {
                String group = group(applicationId, c.chain().name());
                Map<TopicPartition, OffsetAndMetadata> theirs = offsets(admin, group);
                if (theirs.isEmpty()) {
                    continue;
                }
                int members = members(admin, group);
                if (members > 0) {
                    throw new IllegalStateException("the per-chain taint application " + group + " still runs (" + members
                        + " member(s) in its group): stop it before starting the taint application " + applicationId + " (docs/deploy.md)");
                }
                Map<String, Long> reference = new LinkedHashMap<>();
                for (String topic : referenceTopics(c)) {
                    OffsetAndMetadata o = theirs.get(new TopicPartition(topic, 0));
                    if (o != null) {
                        reference.put(topic, o.offset());
                    }
                }
                positions.put(c.chain().name(), reference);
                TopicPartition tp = new TopicPartition(c.blocksTopic(), 0);
                if (theirs.containsKey(tp) && !ours.containsKey(tp)) {
                    blocks.put(tp, new OffsetAndMetadata(theirs.get(tp).offset()));
                }
            }
            if (!blocks.isEmpty()) {
                copy(admin, applicationId, blocks);
            }
            return new ReferencePositions(positions);
        }
    }

    private static List<String> referenceTopics(TaintTopologyConfig c) {
        List<String> out = new ArrayList<>(List.of(c.watchlistTopic(), c.labelsTopic()));
        if (c.tokensTopic() != null) {
            out.add(c.tokensTopic());
        }
        if (c.observedTokensTopic() != null) {
            out.add(c.observedTokensTopic());
        }
        return out.stream().filter(Objects::nonNull).toList();
    }

    private static void copy(Admin admin, String applicationId, Map<TopicPartition, OffsetAndMetadata> blocks) throws InterruptedException {
        try {
            admin.alterConsumerGroupOffsets(applicationId, blocks).all().get();
            blocks.forEach((tp, o) -> LOG.info("taint application {}: {} continues at offset {}, where its per-chain application stopped",
                applicationId, tp.topic(), o.offset()));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupNotEmptyException)) {
                throw new IllegalStateException("cannot set the offsets of group " + applicationId + ": " + e.getCause().getMessage(), e.getCause());
            }
            // another instance started first: it copied them before joining
            Map<TopicPartition, OffsetAndMetadata> now = offsets(admin, applicationId);
            for (TopicPartition tp : blocks.keySet()) {
                if (!now.containsKey(tp)) {
                    throw new IllegalStateException("group " + applicationId + " runs without an offset for " + tp + ": stop its instances and "
                        + "start them again", e.getCause());
                }
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, String group) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
            m.forEach((tp, o) -> {
                if (o != null) {
                    out.put(tp, o);
                }
            });
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw new IllegalStateException("cannot read the offsets of group " + group + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static int members(Admin admin, String group) throws InterruptedException {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            return d.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw new IllegalStateException("cannot describe group " + group + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
