package io.taintwatch.app.cli;

import io.taintwatch.app.config.ConfigKeys;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a command reaches Kafka: the deployment's configuration file ({@code kafka.bootstrap-servers}, the
 * {@code kafka.client.*} security settings, topic names; {@code TAINTWATCH_*} in the environment override it, as for
 * {@code taintwatch run}), and {@code --bootstrap} as a shortcut for a plain broker or to override the file's address.
 */
public final class KafkaOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "The deployment's configuration file (YAML or .properties): Kafka address, client security settings, topic names.")
    Path config;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (overrides the configuration's).")
    String bootstrap;

    /** Whether {@code --config} or {@code --bootstrap} was given. */
    boolean explicit() {
        return config != null || bootstrap != null;
    }

    /** Whether the command was told where Kafka is (also by {@code TAINTWATCH_KAFKA_BOOTSTRAP_SERVERS}). */
    boolean given() {
        return config != null || bootstrap != null || System.getenv(TaintwatchConfig.envName(ConfigKeys.KAFKA_BOOTSTRAP)) != null;
    }

    /** The configuration: the file (if any), the environment, and {@code --bootstrap}. */
    PipelineConfig load() {
        if (config != null && !Files.isReadable(config)) {
            throw new UserException("config file " + config + " is missing or unreadable");
        }
        return new PipelineConfig(TaintwatchConfig.load(config, System.getenv(),
            bootstrap == null ? Map.of() : Map.of(ConfigKeys.KAFKA_BOOTSTRAP, bootstrap)));
    }
}
