package io.taintwatch.topology;

import io.taintwatch.encoding.BadRecordException;
import io.taintwatch.kafka.PipelineTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be decoded, or that a processor refuses as a {@link BadRecordException} before it changed
 * anything, goes to {@code <topic>.dlq} (in the same transaction as the task's progress) with its original key and
 * value and headers saying where it came from and why; the stream continues. Nothing is dropped silently. Any other
 * processing exception stops the stream: resuming after it could leave half-applied state.
 *
 * <p>Kafka Streams cannot send dead letters from the global thread (reference data such as token metadata): the
 * global stores' loaders decode and validate their records themselves and write dead letters with
 * {@link DeadLetterWriter}. An undecodable record reaching this handler from a global store is skipped with an error
 * log naming topic, partition and offset.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    public static final String H_TOPIC = "taintwatch.dlq.topic";
    public static final String H_PARTITION = "taintwatch.dlq.partition";
    public static final String H_OFFSET = "taintwatch.dlq.offset";
    public static final String H_REASON = "taintwatch.dlq.reason";
    static final int MAX_REASON = 1000;

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        String reason = reason(exception);
        if (context.taskId() != null && context.taskId().subtopology() < 0) {
            // a global (reference-data) store: Kafka Streams cannot produce dead-letter records from its thread
            LOG.error("undecodable record {}/{}@{} in a global store skipped (cannot be dead-lettered): {}", record.topic(),
                record.partition(), record.offset(), reason);
            return DeserializationExceptionHandler.Response.resume();
        }
        LOG.warn("undecodable record {}/{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
            PipelineTopics.dlq(record.topic()), reason);
        return DeserializationExceptionHandler.Response.resume(List.of(
            deadLetter(record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.headers(), reason)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        BadRecordException bad = badRecord(exception);
        if (bad == null || (context.taskId() != null && context.taskId().subtopology() < 0)) {
            LOG.error("processing failed at {}/{}@{} in {}; stopping", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        String reason = reason(bad);
        LOG.warn("bad record {}/{}@{} sent to {}: {}", context.topic(), context.partition(), context.offset(),
            PipelineTopics.dlq(context.topic()), reason);
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context.topic(), context.partition(), context.offset(),
            context.sourceRawKey(), context.sourceRawValue(), context.headers(), reason)));
    }

    /**
     * The dead letter of a record: to {@code <topic>.dlq}, its key and value as read, its headers plus
     * {@code taintwatch.dlq.topic/.partition/.offset/.reason}. Stamped now, not with the record's (block) time: an old
     * timestamp would fall to time-based retention at once.
     */
    public static ProducerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, byte[] key, byte[] value, Headers in,
                                                             String reason) {
        RecordHeaders headers = new RecordHeaders(in == null ? new org.apache.kafka.common.header.Header[0] : in.toArray());
        headers.add(H_TOPIC, bytes(topic));
        headers.add(H_PARTITION, bytes(Integer.toString(partition)));
        headers.add(H_OFFSET, bytes(Long.toString(offset)));
        headers.add(H_REASON, bytes(cap(reason)));
        return new ProducerRecord<>(PipelineTopics.dlq(topic), null, null, key, value, headers);
    }

    /** The exception's class and deepest message, at most {@value #MAX_REASON} characters (it quotes the bad input). */
    public static String reason(Throwable exception) {
        return cap(exception instanceof BadRecordException ? "BadRecordException: " + exception.getMessage()
            : exception.getClass().getSimpleName() + ": " + rootMessage(exception));
    }

    private static String cap(String reason) {
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON - 3) + "..." : reason;
    }

    private static BadRecordException badRecord(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BadRecordException b) {
                return b;
            }
        }
        return null;
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
