package io.taintwatch.app.cli;

import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.FlowCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Block;
import io.taintwatch.model.TaintFlow;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taintwatch topic dump}: a topic as JSON lines, binary block and flow records decoded. */
@Command(name = "topic", mixinStandardHelpOptions = true, description = "Looks into taintwatch's topics.",
    subcommands = {TopicCommand.Dump.class})
public final class TopicCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Prints TOPIC's records as JSON lines, from the beginning to the end offsets found at start: blocks.<chain> and",
            "taint-flows.<chain> are decoded from their binary format, other topics (watchlist, labels, alerts) are printed as they",
            "are (a tombstone as {\"key\":...,\"value\":null}). Reads without a consumer group and commits nothing."})
    static final class Dump implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @CommandLine.Mixin
        KafkaOptions kafka;

        @Option(names = "--from-block", paramLabel = "N", description = "Skip blocks and flows of blocks below N.")
        Long fromBlock;

        @Option(names = "--max", paramLabel = "N", description = "Stop after N records printed.")
        Long max;

        PrintStream out = System.out;
        PrintStream err = System.err;

        private enum Kind { BLOCKS, FLOWS, JSON }

        @Override
        public Integer call() {
            if (max != null && max < 1) {
                throw new UserException("--max must be at least 1");
            }
            boolean dlq = topic.endsWith(".dlq");
            // a replay's own flows topic (replay.<id>.taint-flows.<chain>) is binary like the live one
            boolean flows = topic.startsWith("taint-flows.") || topic.startsWith("replay.") && topic.contains(".taint-flows.");
            Kind kind = !dlq && topic.startsWith("blocks.") ? Kind.BLOCKS : !dlq && flows ? Kind.FLOWS : Kind.JSON;
            if (!kafka.given()) {
                throw new UserException("give --config FILE (the deployment's Kafka settings) or --bootstrap HOST:PORT");
            }
            KafkaClients clients = kafka.load().kafka();
            String bootstrap = clients.bootstrapServers();
            Properties p = clients.reader("taintwatch-topic-dump");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            long printed = 0;
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
                List<PartitionInfo> infos;
                try {
                    infos = c.partitionsFor(topic);
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " (no answer in time); check kafka.bootstrap-servers (or --bootstrap) and that the broker is up", e);
                }
                if (infos == null || infos.isEmpty()) {
                    throw new UserException("topic " + topic + " does not exist at " + bootstrap);
                }
                List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                // partition by partition, so that a chain's records (one partition) come out in order
                for (TopicPartition tp : parts) {
                    c.assign(List.of(tp));
                    c.seekToBeginning(List.of(tp));
                    while (c.position(tp) < end.get(tp)) {
                        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                            if (r.offset() >= end.get(tp)) {
                                break;
                            }
                            String line = line(kind, r);
                            if (line == null) {
                                continue;
                            }
                            out.println(line);
                            if (max != null && ++printed >= max) {
                                out.flush();
                                return 0;
                            }
                        }
                    }
                }
            }
            out.flush();
            return 0;
        }

        private String line(Kind kind, ConsumerRecord<String, byte[]> r) {
            if (r.value() == null) {
                return "{\"key\":" + (r.key() == null ? "null" : quote(r.key())) + ",\"value\":null}";
            }
            try {
                switch (kind) {
                    case BLOCKS -> {
                        Block b = BlockCodec.decode(r.value());
                        return fromBlock != null && b.number() < fromBlock ? null : Json.block(b);
                    }
                    case FLOWS -> {
                        TaintFlow f = FlowCodec.decode(r.value());
                        return fromBlock != null && f.position().block() < fromBlock ? null : Json.flow(f);
                    }
                    default -> {
                        return new String(r.value(), StandardCharsets.UTF_8);
                    }
                }
            } catch (RuntimeException e) {
                err.println("taintwatch: " + r.topic() + "-" + r.partition() + " offset " + r.offset() + ": cannot decode (" + e.getMessage()
                    + "); skipped");
                return null;
            }
        }

        private static String quote(String s) {
            try {
                return Json.mapper().writeValueAsString(s);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
