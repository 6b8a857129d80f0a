package io.taintwatch.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Global stores' dead letters kept in memory, for topologies under the TopologyTestDriver (which has no broker to write to). */
public final class MemoryDeadLetters extends DeadLetterWriter {
    public final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

    @Override
    public void open(Map<String, Object> appConfigs) {
    }

    @Override
    public synchronized void send(ProducerRecord<byte[], byte[]> record) {
        records.add(record);
    }

    @Override
    public void close() {
    }

    /** The dead letters written to {@code topic}. */
    public synchronized List<ProducerRecord<byte[], byte[]>> to(String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }
}
