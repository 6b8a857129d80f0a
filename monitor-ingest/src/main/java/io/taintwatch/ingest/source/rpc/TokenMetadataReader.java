package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.TokenMetadata;
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
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * Reads {@code symbol()}, {@code name()} and {@code decimals()} of token contracts with batched {@code eth_call}s,
 * once per token (cached), encoded and decoded with web3j's ABI codec. Tolerates non-standard tokens:
 * {@code bytes32} symbols (MKR, SAI), reverts and missing functions give null fields, never an error.
 */
public final class TokenMetadataReader {
    static final Function SYMBOL = new Function("symbol", List.of(), List.of(new TypeReference<Utf8String>() {}));
    static final Function NAME = new Function("name", List.of(), List.of(new TypeReference<Utf8String>() {}));
    static final Function DECIMALS = new Function("decimals", List.of(), List.of(new TypeReference<Uint8>() {}));
    /** The call data of {@code symbol()}, {@code name()} and {@code decimals()}, in that order. */
    public static final List<String> CALLS = List.of(FunctionEncoder.encode(SYMBOL), FunctionEncoder.encode(NAME), FunctionEncoder.encode(DECIMALS));
    /** The longest symbol or name kept: token contracts are untrusted, alerts print these. */
    static final int MAX_TEXT = 64;

    private final ChainId chain;
    private final Web3j web3j;
    private final JsonRpcClient rpc;
    private final Map<Address, TokenMetadata> cache = new ConcurrentHashMap<>();

    public TokenMetadataReader(ChainId chain, Web3j web3j, JsonRpcClient rpc) {
        this.chain = chain;
        this.web3j = web3j;
        this.rpc = rpc;
    }

    /** Metadata of these tokens: cached ones as read before, the others read now at {@code block}. */
    public List<TokenMetadata> read(Collection<Address> tokens, long block) {
        Set<Address> todo = new TreeSet<>();
        for (Address a : tokens) {
            if (!cache.containsKey(a)) {
                todo.add(a);
            }
        }
        if (!todo.isEmpty()) {
            DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
            List<Request<?, EthCall>> calls = new ArrayList<>();
            for (Address a : todo) {
                for (String data : CALLS) {
                    calls.add(web3j.ethCall(Transaction.createEthCallTransaction(null, a.toString(), data), at));
                }
            }
            List<RpcResult<EthCall>> rs = rpc.batch(calls);
            int i = 0;
            for (Address a : todo) {
                cache.put(a, new TokenMetadata(chain, a, text(rs.get(i).response()), text(rs.get(i + 1).response()), decimals(rs.get(i + 2).response())));
                i += 3;
            }
        }
        List<TokenMetadata> out = new ArrayList<>(tokens.size());
        for (Address a : tokens) {
            out.add(cache.get(a));
        }
        return out;
    }

    private static String returned(EthCall r) {
        if (r.hasError() || r.getValue() == null || r.isReverted()) {
            return null;
        }
        return r.getValue();
    }

    static String text(EthCall r) {
        return text(returned(r));
    }

    /**
     * An ABI {@code string}, or a {@code bytes32} with trailing zeros, from a call's returned hex; null when there is none or
     * neither decodes to clean UTF-8.
     */
    public static String text(String hex) {
        if (hex == null) {
            return null;
        }
        byte[] raw = Hex.decode(hex);
        // a string is read as the bytes it is encoded like, so that invalid UTF-8 is refused rather than replaced
        if (raw.length >= 64 && decodeOne(hex, List.of(new TypeReference<DynamicBytes>() {})) instanceof DynamicBytes b) {
            return clean(b.getValue());
        }
        if (raw.length == 32 && decodeOne(hex, List.of(new TypeReference<Bytes32>() {})) instanceof Bytes32 b) {
            byte[] v = b.getValue();
            int end = 32;
            while (end > 0 && v[end - 1] == 0) {
                end--;
            }
            return clean(java.util.Arrays.copyOf(v, end));
        }
        return null;
    }

    static Integer decimals(EthCall r) {
        return decimals(returned(r));
    }

    /** A {@code uint8} from a call's returned hex; null when there is none or the word does not fit 8 bits. */
    public static Integer decimals(String hex) {
        if (hex == null || Hex.decode(hex).length < 32) {
            return null;
        }
        // read as a whole word: web3j's uint8 decoder keeps the low byte of a word whose high bytes are set
        return decodeOne(hex, List.of(new TypeReference<Uint256>() {})) instanceof Uint256 d && d.getValue().bitLength() <= 8
            ? d.getValue().intValue() : null;
    }

    /** The first value web3j decodes, or null when the bytes do not hold one of that type (a contract may return anything). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Type<?> decodeOne(String hex, List<? extends TypeReference<?>> types) {
        try {
            List<Type> values = FunctionReturnDecoder.decode(hex, (List) types);
            return values.isEmpty() ? null : values.get(0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String clean(byte[] raw) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw)).toString().strip();
            if (s.isEmpty() || s.chars().anyMatch(Character::isISOControl)) {
                return null;
            }
            return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Cached metadata, or null. */
    public TokenMetadata cached(Address token) {
        return cache.get(token);
    }
}
