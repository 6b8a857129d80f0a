package io.taintwatch.topology;

import io.taintwatch.kafka.PipelineTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be decoded goes to {@code <topic>.dlq} (in the same transaction as the task's
 * progress) with its original key and value and headers saying where it came from and why; the stream
 * continues. Nothing is dropped silently. Records of global stores (reference data such as token metadata)
 * cannot be dead-lettered by Kafka Streams; they are skipped with an error log naming topic, partition and offset.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    public static final String H_TOPIC = "taintwatch.dlq.topic";
    public static final String H_PARTITION = "taintwatch.dlq.partition";
    public static final String H_OFFSET = "taintwatch.dlq.offset";
    public static final String H_REASON = "taintwatch.dlq.reason";
    static final int MAX_REASON = 1000;

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = exception.getClass().getSimpleName() + ": " + rootMessage(exception);
        if (reason.length() > MAX_REASON) {
            // the reason quotes the bad input: keep headers and log lines small whatever it holds
            reason = reason.substring(0, MAX_REASON - 3) + "...";
        }
        if (context.taskId() != null && context.taskId().subtopology() < 0) {
            // a global (reference-data) store: Kafka Streams cannot produce dead-letter records from its thread
            LOG.error("undecodable record {}/{}@{} in a global store skipped (cannot be dead-lettered): {}", record.topic(),
                record.partition(), record.offset(), reason);
            return Response.resume();
        }
        LOG.warn("undecodable record {}/{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
            PipelineTopics.dlq(record.topic()), reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(H_TOPIC, bytes(record.topic()));
        headers.add(H_PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(H_OFFSET, bytes(Long.toString(record.offset())));
        headers.add(H_REASON, bytes(reason));
        // stamped now, not with the record's (block) time: an old timestamp would fall to time-based retention at once
        return Response.resume(List.of(new ProducerRecord<>(PipelineTopics.dlq(record.topic()), null, null,
            record.key(), record.value(), headers)));
    }

    private static String rootMessage(Throwable t) {
        String msg = t.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        return msg == null ? "(no message)" : msg;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
