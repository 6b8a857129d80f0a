package io.taintwatch.ingest.evm;

/**
 * Where in the chain data a leg came from: the transaction itself, a trace frame ({@code traceAddress}), a log
 * ({@code logIndex}, and {@code batchIndex} inside an ERC-1155 batch) or a fee part. Kept beside the block for
 * diagnostics and for comparing with other tools' outputs; not published.
 */
public record LegOrigin(Source source, int logIndex, int batchIndex, String traceAddress) {
    /** What produced the leg. */
    public enum Source { TX_VALUE, TRACE, LOG, FEE_BURN, FEE_TIP }

    public static LegOrigin txValue() {
        return new LegOrigin(Source.TX_VALUE, -1, 0, null);
    }

    public static LegOrigin trace(String traceAddress) {
        return new LegOrigin(Source.TRACE, -1, 0, traceAddress);
    }

    public static LegOrigin log(int logIndex, int batchIndex) {
        return new LegOrigin(Source.LOG, logIndex, batchIndex, null);
    }

    public static LegOrigin fee(boolean burn) {
        return new LegOrigin(burn ? Source.FEE_BURN : Source.FEE_TIP, -1, 0, null);
    }
}
