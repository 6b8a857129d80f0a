package io.taintwatch.topology;

import io.taintwatch.encoding.RecordHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Output derived from a block ingest published moments ago is committed at once instead of at the next commit interval:
 * with exactly-once nothing a stage writes is visible to the next before its transaction commits, so each stage's
 * interval (100 ms) would add up to its length to the block-to-alert latency. A stage that is behind (catching up, a
 * replay, a backlog) reads blocks published longer ago and keeps committing per interval, where one transaction carries
 * many blocks' output; so a stage that commits per block to keep up with a live chain falls back to batching as soon as
 * that makes it lag.
 */
public final class LiveCommits {
    /** How recently a block must have been published for its output to be committed at once. */
    public static final long LIVE_WITHIN_MS = 1_000;

    private LiveCommits() {}

    /**
     * Asks Kafka Streams to commit the task once its current records are processed when {@code headers} carry an ingest
     * time within {@link #LIVE_WITHIN_MS} of now. Call it after forwarding the last output of a block: Kafka Streams
     * commits after the record in hand, so a request per output record would commit each one on its own.
     *
     * @return whether a commit was requested
     */
    public static boolean requestIfLive(ProcessorContext<?, ?> context, Headers headers) {
        if (!live(headers)) {
            return false;
        }
        context.commit();
        return true;
    }

    /** Whether {@code headers} carry an ingest time within {@link #LIVE_WITHIN_MS} of now. */
    public static boolean live(Headers headers) {
        long ingested = RecordHeaders.ingestTimestamp(headers);
        return ingested > 0 && System.currentTimeMillis() - ingested <= LIVE_WITHIN_MS;
    }
}
