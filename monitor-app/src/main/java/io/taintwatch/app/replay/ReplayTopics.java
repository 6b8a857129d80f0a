package io.taintwatch.app.replay;

import io.taintwatch.alerts.AlertJson;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.kafka.TopicAdmin;
import io.taintwatch.model.Alert;
import io.taintwatch.model.TaintFlow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A replay's own topics on Kafka: {@code replay.<id>.taint-flows.<chain>} (FlowCodec, key recipient, like the
 * live topic) and {@code replay.<id>.alerts} (final alert JSON, key alert id), written in one transaction.
 * Never the live topics: the names are derived from the replay id.
 */
public final class ReplayTopics {
    private ReplayTopics() {}

    public static String flowsTopic(String id, String chain) {
        return "replay." + id + ".taint-flows." + chain;
    }

    public static String alertsTopic(String id) {
        return "replay." + id + ".alerts";
    }

    /** Creates the replay's topics (kept forever: they are evidence) and writes the result into them. */
    public static void publish(KafkaClients kafka, String id, ReplayResult result) {
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("replay id '" + id + "' must be letters, digits, '.', '_' or '-'");
        }
        String flows = flowsTopic(id, result.settings().chain().name());
        String alerts = alertsTopic(id);
        // declared like the live flows and alerts topics, under the replay's names; never their dead-letter topics
        PipelineTopics declared = PipelineTopics.defaults();
        TopicAdmin.ensure(kafka, declared.replicationFactor(), List.of(declared.specs(PipelineTopics.Topic.FLOWS, flows).get(0),
            declared.specs(PipelineTopics.Topic.ALERTS, alerts).get(0)));
        Properties p = kafka.producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "taintwatch-replay-" + id));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (TaintFlow f : result.flows()) {
                producer.send(new ProducerRecord<>(flows, null, f.blockTimestamp() * 1000, bytes(f.to().toString()), FlowCodec.encode(f)));
            }
            for (Alert a : result.alerts()) {
                producer.send(new ProducerRecord<>(alerts, null, null, bytes(a.id()), AlertJson.toBytes(a)));
            }
            producer.commitTransaction();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
