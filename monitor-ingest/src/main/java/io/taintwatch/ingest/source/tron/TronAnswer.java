package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import org.web3j.protocol.core.Response;

/**
 * A java-tron JSON-RPC answer kept as JSON: its block, receipt and log objects differ from Ethereum's in ways web3j's
 * types do not carry (no {@code 41} prefix, constant zero fields), and {@link TronRpcBlock} reads only what ingest needs.
 */
public final class TronAnswer extends Response<JsonNode> {}
