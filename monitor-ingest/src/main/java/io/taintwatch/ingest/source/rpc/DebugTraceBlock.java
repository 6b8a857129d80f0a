package io.taintwatch.ingest.source.rpc;

import java.util.List;
import org.web3j.protocol.core.Response;

/** The response of {@code debug_traceBlockByNumber} with a tracer: one entry per transaction (web3j core has no type for it). */
public final class DebugTraceBlock extends Response<List<TxTrace>> {}
