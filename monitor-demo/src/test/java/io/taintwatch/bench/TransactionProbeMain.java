package io.taintwatch.bench;

import io.taintwatch.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What one exactly-once commit costs on the embedded broker, step by step: a transactional producer (linger 5 ms, one
 * request in flight, as the taint topology's) runs transactions back to back (begin, 10 sends of 100 bytes, flush,
 * sendOffsetsToTransaction, commitTransaction) and prints the median and p90 of each step over the last third.
 * Broker settings from {@code -Dbroker.<name>} (docs/BENCHMARKS.md, "Transaction commit cost"):
 * {@code java -cp monitor-demo/target/test-classes:monitor-demo/target/classes:$(cat monitor-demo/target/classpath.txt)
 * io.taintwatch.bench.TransactionProbeMain [transactions]}.
 */
public final class TransactionProbeMain {
    private TransactionProbeMain() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        Map<String, String> broker = SimpleChainThroughputMain.prefixed("broker.");
        Path dir = Files.createTempDirectory("taintwatch-txn-probe-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, true, broker)) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("probe-out", 1, (short) 1), new NewTopic("probe-in", 1, (short) 1))).all().get();
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("transactional.id", "txn-probe");
            p.put("linger.ms", "5");
            p.put("max.in.flight.requests.per.connection", "1");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                ConsumerGroupMetadata group = new ConsumerGroupMetadata("txn-probe");
                long[][] t = new long[3][n];
                for (int i = 0; i < n; i++) {
                    producer.beginTransaction();
                    for (int j = 0; j < 10; j++) {
                        producer.send(new ProducerRecord<>("probe-out", new byte[100]));
                    }
                    long t0 = System.nanoTime();
                    producer.flush();
                    long t1 = System.nanoTime();
                    producer.sendOffsetsToTransaction(Map.of(new TopicPartition("probe-in", 0), new OffsetAndMetadata(i)), group);
                    long t2 = System.nanoTime();
                    producer.commitTransaction();
                    long t3 = System.nanoTime();
                    t[0][i] = t1 - t0;
                    t[1][i] = t2 - t1;
                    t[2][i] = t3 - t2;
                }
                String[] steps = {"flush", "sendOffsetsToTransaction", "commitTransaction"};
                for (int s = 0; s < 3; s++) {
                    // the last third: the broker's and the client's code compiled by then
                    long[] last = Arrays.copyOfRange(t[s], n - n / 3, n);
                    Arrays.sort(last);
                    System.out.printf("txn probe: %s median %.2f ms, p90 %.2f ms (%d transactions, broker %s)%n", steps[s],
                        last[last.length / 2] / 1e6, last[last.length * 9 / 10] / 1e6, last.length, broker);
                }
            }
        }
    }
}
