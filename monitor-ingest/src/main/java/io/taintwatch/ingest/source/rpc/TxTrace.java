package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of {@code debug_traceBlockByNumber}: the tracer's result for one transaction (a {@link CallFrame} for
 * {@code callTracer}, an array of parity-style traces for {@code flatCallTracer}) or a per-transaction error.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TxTrace(String txHash, JsonNode result, String error) {}
