package io.taintwatch.encoding;

/** Kafka record headers taintwatch sets; metadata beside the encoded values, never part of them. */
public final class RecordHeaders {
    private RecordHeaders() {}

    /**
     * When ingest published a block (epoch milliseconds, decimal ASCII). The taint engine copies it onto the
     * flows it derives from that block, so alerts can measure ingest-to-emission latency.
     */
    public static final String INGEST_TIMESTAMP = "taintwatch.ingest.timestamp";

    /** The {@link #INGEST_TIMESTAMP} among {@code headers} (epoch milliseconds), or 0 when there is none or it is not a number. */
    public static long ingestTimestamp(org.apache.kafka.common.header.Headers headers) {
        org.apache.kafka.common.header.Header h = headers == null ? null : headers.lastHeader(INGEST_TIMESTAMP);
        if (h == null || h.value() == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(h.value(), java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
