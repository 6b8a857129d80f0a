package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hex;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@code symbol()}, {@code name()} and {@code decimals()} of token contracts with batched {@code eth_call}s,
 * once per token (cached). Tolerates non-standard tokens: {@code bytes32} symbols (MKR, SAI), reverts and missing
 * functions give null fields, never an error.
 */
public final class TokenMetadataReader {
    static final String SYMBOL = "0x95d89b41";
    static final String NAME = "0x06fdde03";
    static final String DECIMALS = "0x313ce567";

    private final ChainId chain;
    private final JsonRpcClient rpc;
    private final Map<Address, TokenMetadata> cache = new ConcurrentHashMap<>();

    public TokenMetadataReader(ChainId chain, JsonRpcClient rpc) {
        this.chain = chain;
        this.rpc = rpc;
    }

    /** Metadata of the tokens not seen before (read at {@code block}); already known ones are skipped. */
    public List<TokenMetadata> readNew(Collection<Address> tokens, long block) {
        Set<Address> todo = new TreeSet<>();
        for (Address a : tokens) {
            if (!cache.containsKey(a)) {
                todo.add(a);
            }
        }
        if (todo.isEmpty()) {
            return List.of();
        }
        List<RpcCall> calls = new ArrayList<>();
        for (Address a : todo) {
            for (String sel : List.of(SYMBOL, NAME, DECIMALS)) {
                calls.add(RpcCall.of("eth_call", Map.of("to", a.toString(), "data", sel), Quantity.hex(block)));
            }
        }
        List<RpcResult> rs = rpc.batch(calls);
        List<TokenMetadata> out = new ArrayList<>();
        int i = 0;
        for (Address a : todo) {
            TokenMetadata m = new TokenMetadata(chain, a, text(rs.get(i)), text(rs.get(i + 1)), decimals(rs.get(i + 2)));
            i += 3;
            cache.put(a, m);
            out.add(m);
        }
        return out;
    }

    private static byte[] bytes(RpcResult r) {
        if (!r.ok() || r.result() == null || !r.result().isTextual()) {
            return null;
        }
        return Hex.decode(r.result().asText());
    }

    /** An ABI {@code string}, or a {@code bytes32} with trailing zeros; null when neither decodes to clean UTF-8. */
    static String text(RpcResult r) {
        byte[] b = bytes(r);
        return b == null ? null : decodeText(b);
    }

    static String decodeText(byte[] b) {
        if (b.length >= 64) {
            BigInteger off = Quantity.word(b, 0);
            if (off.equals(BigInteger.valueOf(32))) {
                BigInteger len = Quantity.word(b, 32);
                if (len.bitLength() < 31 && 64 + len.intValue() <= b.length) {
                    return clean(java.util.Arrays.copyOfRange(b, 64, 64 + len.intValue()));
                }
            }
        }
        if (b.length == 32) {
            int end = 32;
            while (end > 0 && b[end - 1] == 0) {
                end--;
            }
            return clean(java.util.Arrays.copyOf(b, end));
        }
        return null;
    }

    private static String clean(byte[] raw) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw)).toString().strip();
            if (s.isEmpty() || s.chars().anyMatch(c -> Character.isISOControl(c))) {
                return null;
            }
            return s.length() > 64 ? s.substring(0, 64) : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static Integer decimals(RpcResult r) {
        byte[] b = bytes(r);
        if (b == null || b.length < 32) {
            return null;
        }
        BigInteger d = Quantity.word(b, 0);
        return d.compareTo(BigInteger.valueOf(255)) <= 0 ? d.intValue() : null;
    }

    /** Cached metadata, or null. */
    public TokenMetadata cached(Address token) {
        return cache.get(token);
    }

}
