package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.ingest.TokenMetadata;
import io.taintwatch.ingest.source.rpc.InconsistentBlockDataException;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RpcError;
import io.taintwatch.ingest.source.rpc.RpcErrorKind;
import io.taintwatch.ingest.source.rpc.RpcResult;
import io.taintwatch.ingest.source.rpc.TokenMetadataReader;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hex;
import io.taintwatch.model.TronAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.Request;

/**
 * Reads {@code symbol()}, {@code name()} and {@code decimals()} of TRC-20 (and TRC-721) contracts with batched
 * {@code eth_call}s on java-tron's JSON-RPC, once per contract (cached). java-tron answers calls at {@code latest} only, so
 * the metadata is the contract's today, not at the block that moved the token. The values decode as on EVM chains
 * ({@link TokenMetadataReader#text}, {@link TokenMetadataReader#decimals}): a call the contract fails (java-tron's error
 * {@value #EXECUTION_FAILED}: a revert, no such function, no contract) or answers with nothing that decodes leaves that
 * field null; a result that is not hex is a bad answer of the node, naming the token and the function.
 */
final class TronTokenMetadataReader {
    private static final Logger log = LoggerFactory.getLogger(TronTokenMetadataReader.class);
    /** java-tron's JSON-RPC code for a call that failed in the contract ({@code JsonRpcInternalException}). */
    static final int EXECUTION_FAILED = -32000;
    private static final List<String> FUNCTIONS = List.of("symbol()", "name()", "decimals()");
    private static final Pattern HEX = Pattern.compile("0x(?:[0-9a-fA-F]{2})*");

    private final ChainId chain;
    private final JsonRpcClient rpc;
    private final Function<RpcResult<TronAnswer>, JsonNode> require;
    private final Map<Address, TokenMetadata> cache = new ConcurrentHashMap<>();

    /** @param require the source's handling of a failed call (retriable or permanent), returning the result otherwise */
    TronTokenMetadataReader(ChainId chain, JsonRpcClient rpc, Function<RpcResult<TronAnswer>, JsonNode> require) {
        this.chain = chain;
        this.rpc = rpc;
        this.require = require;
    }

    /** Metadata of these contracts, in their order: cached ones as read before, the others read now. */
    List<TokenMetadata> read(Collection<Address> tokens) {
        Set<Address> todo = new TreeSet<>();
        for (Address a : tokens) {
            if (!cache.containsKey(a)) {
                todo.add(a);
            }
        }
        if (!todo.isEmpty()) {
            List<Request<?, TronAnswer>> calls = new ArrayList<>();
            for (Address a : todo) {
                for (String data : TokenMetadataReader.CALLS) {
                    calls.add(new Request<>("eth_call", List.of(Map.of("to", a.toString(), "data", data), "latest"), rpc, TronAnswer.class));
                }
            }
            List<RpcResult<TronAnswer>> rs = rpc.batch(calls);
            int i = 0;
            for (Address a : todo) {
                String[] hex = new String[FUNCTIONS.size()];
                for (int f = 0; f < hex.length; f++) {
                    hex[f] = returned(a, FUNCTIONS.get(f), rs.get(i + f));
                }
                cache.put(a, new TokenMetadata(chain, a, TokenMetadataReader.text(hex[0]), TokenMetadataReader.text(hex[1]),
                    TokenMetadataReader.decimals(hex[2])));
                i += hex.length;
            }
        }
        List<TokenMetadata> out = new ArrayList<>(tokens.size());
        for (Address a : tokens) {
            out.add(cache.get(a));
        }
        return out;
    }

    /** The hex a call returned; null when the contract failed it or returned nothing. */
    private String returned(Address token, String function, RpcResult<TronAnswer> r) {
        if (!r.ok() && r.error() != null && r.error().getCode() == EXECUTION_FAILED && !RpcError.retriable(r.error())) {
            log.info("chain {}: token {}: {} failed in the contract ({}); its metadata is published without it", chain.name(),
                TronAddress.encode(token), function, RpcError.describe(r.error(), r.endpoint()));
            return null;
        }
        JsonNode res = require.apply(r);
        if (res == null || !res.isTextual() || !HEX.matcher(res.asText()).matches()) {
            String shown = res == null ? "null" : Hex.abbreviate(res.toString());
            throw new InconsistentBlockDataException("eth_call " + function + " of token " + TronAddress.encode(token) + " (" + token + ") from "
                + r.endpoint() + ": the result is not hex: " + (r.endpoint() == null ? shown : r.endpoint().excerpt(shown, 300)),
                RpcErrorKind.BAD_RESPONSE, r.endpoint());
        }
        return res.asText().length() == 2 ? null : res.asText();
    }
}
