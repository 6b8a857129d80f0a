package io.taintwatch.ingest.source.rpc;

import java.util.List;
import org.web3j.protocol.core.Response;

/** The response of {@code trace_block}: parity-style traces (web3j core has no type for it). */
public final class TraceBlock extends Response<List<ParityTrace>> {}
