package io.taintwatch.kafka;

import io.taintwatch.topology.StreamsSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one baseline every Kafka client of a process is built from: the bootstrap servers and the operator's client
 * settings ({@code kafka.client.*}: SASL/TLS, timeouts, tuning). Producers, consumers and admin clients get the settings
 * their client type knows, then their own settings on top (a transactional id, an isolation level); Kafka Streams gets
 * {@link StreamsSettings} with the operator's settings last, so they can tune it.
 */
public record KafkaClients(String bootstrapServers, Map<String, String> settings) {
    public KafkaClients {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers must be set");
        }
        settings = Map.copyOf(new TreeMap<>(settings == null ? Map.of() : settings));
    }

    /** A plain connection (no security settings): the embedded broker of the demo and tests. */
    public static KafkaClients plain(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, Map.of());
    }

    /** The same baseline with one more setting (replacing the operator's of that name): a part's own Streams settings. */
    public KafkaClients with(String setting, Object value) {
        Map<String, String> s = new TreeMap<>(settings);
        s.put(setting, String.valueOf(value));
        return new KafkaClients(bootstrapServers, s);
    }

    public Properties producer(Map<String, ?> own) {
        return build(ProducerConfig.configNames(), ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, own);
    }

    public Properties consumer(Map<String, ?> own) {
        return build(ConsumerConfig.configNames(), ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, own);
    }

    /**
     * A consumer that reads topics without a consumer group (assigned partitions, nothing committed, no trace on the
     * broker), {@code read_committed}, keys and values as bytes; commands' timeouts default to 15 s unless the operator's
     * settings say otherwise.
     */
    public Properties reader(String clientId) {
        Properties p = consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.CLIENT_ID_CONFIG, clientId, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        p.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    public Properties admin() {
        return build(AdminClientConfig.configNames(), AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Map.of());
    }

    /**
     * A Kafka Streams application's properties: {@link StreamsSettings#common} (exactly-once, dead letters, bounded
     * RocksDB), the application's {@code own} settings, then the operator's settings (they may tune any of it).
     */
    public Properties streams(String applicationId, Path stateDir, Map<String, ?> own) {
        Properties p = StreamsSettings.common(applicationId, bootstrapServers, stateDir);
        p.putAll(own);
        p.putAll(settings);
        return p;
    }

    private Properties build(Set<String> known, String bootstrapKey, Map<String, ?> own) {
        Properties p = new Properties();
        p.putAll(only(settings, known));
        p.put(bootstrapKey, bootstrapServers);
        p.putAll(own);
        return p;
    }

    /** The settings among {@code settings} that a client with these config names knows (others would only be warned about). */
    static Map<String, Object> only(Map<String, ?> settings, Set<String> names) {
        Map<String, Object> out = new HashMap<>();
        settings.forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Never prints the settings: they may hold SASL passwords and key store secrets. */
    @Override
    public String toString() {
        return "KafkaClients[bootstrap=" + bootstrapServers + ", " + settings.size() + " client settings]";
    }
}
