package io.taintwatch.encoding;

/** Kafka record headers taintwatch sets; metadata beside the encoded values, never part of them. */
public final class RecordHeaders {
    private RecordHeaders() {}

    /**
     * When ingest published a block (epoch milliseconds, decimal ASCII). The taint engine copies it onto the
     * flows it derives from that block, so alerts can measure ingest-to-emission latency.
     */
    public static final String INGEST_TIMESTAMP = "taintwatch.ingest.timestamp";

    /**
     * Set (value {@code 1}) on the last record a stage writes for one block: the taint engine on a block's last flow, the
     * alert rules on the marker records that close a block's candidates. The next stage then knows the block's output is
     * complete, and commits it at once when the block is live ({@code io.taintwatch.topology.LiveCommits}).
     */
    public static final String BLOCK_END = "taintwatch.block.end";

    /** Whether {@code headers} carry {@link #BLOCK_END}. */
    public static boolean blockEnd(org.apache.kafka.common.header.Headers headers) {
        return headers != null && headers.lastHeader(BLOCK_END) != null;
    }

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
