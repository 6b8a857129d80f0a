package io.taintwatch.encoding;

/** Kafka record headers taintwatch sets; metadata beside the encoded values, never part of them. */
public final class RecordHeaders {
    private RecordHeaders() {}

    /**
     * When ingest published a block (epoch milliseconds, decimal ASCII). The taint engine copies it onto the
     * flows it derives from that block, so alerts can measure ingest-to-emission latency.
     */
    public static final String INGEST_TIMESTAMP = "taintwatch.ingest.timestamp";
}
