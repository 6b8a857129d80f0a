package io.taintwatch.ingest.source.rpc;

/** Where internal value transfers come from: geth-style {@code debug_traceBlockByNumber} with {@code callTracer}, Erigon/Reth {@code trace_block}, or nowhere. */
public enum TraceMode {
    CALL_TRACER, TRACE_BLOCK, NONE
}
