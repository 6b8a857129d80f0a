package io.taintwatch.tokens;

import io.taintwatch.model.Address;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tokens of one chain and their status. Two kinds of entry: <em>declared</em> ones (a token list or the user's CSV
 * says what the token is: verified, or explicitly unverified or counterfeit) and <em>observed</em> ones (metadata seen
 * on chain). The native asset and its wrapped form are verified; a declared entry has the status it declares; any other
 * token is classified ({@link #token}): counterfeit when its symbol mixes scripts or its symbol or name looks like
 * (same {@link Confusables#key}) the native asset's or a verified token's while the contract is another one, else
 * unverified. A token nothing is known of is unverified. Deterministic: the status of a token depends only on the
 * entries, not on the order they arrived in. Not thread-safe (one stream task owns it).
 */
public final class TokenRegistry {
    private static final int MAX_QUOTED = 64;

    private final ChainId chain;
    private NativeAsset nativeAsset;
    private final TreeMap<Address, Token> declared = new TreeMap<>();
    private final HashMap<Address, Token> observed = new HashMap<>();
    // verified tokens (declared, and the wrapped native) by the key of their symbol and of their name
    private final HashMap<String, TreeMap<Address, Token>> verifiedBySymbol = new HashMap<>();
    private final HashMap<String, TreeMap<Address, Token>> verifiedByName = new HashMap<>();
    private final HashMap<Address, Token> judged = new HashMap<>();

    public TokenRegistry(ChainId chain, NativeAsset nativeAsset) {
        this.chain = chain;
        this.nativeAsset = nativeAsset;
    }

    public ChainId chain() {
        return chain;
    }

    public NativeAsset nativeAsset() {
        return nativeAsset;
    }

    /** Replaces the native asset's symbol, name and decimals (as ingest reports them); the wrapped forms stay. */
    public void setNative(String symbol, String name, Integer decimals) {
        nativeAsset = new NativeAsset(symbol == null || symbol.isBlank() ? nativeAsset.symbol() : symbol,
            name == null || name.isBlank() ? nativeAsset.name() : name, decimals == null ? nativeAsset.decimals() : decimals,
            nativeAsset.wrapped());
        judged.clear();
    }

    /** Adds or replaces a declared entry (a listed token, or the user's own). Entries of other chains are refused. */
    public void declare(Token t) {
        checkChain(t);
        Token old = declared.put(t.address(), t);
        if (old != null && old.status() == TokenStatus.VERIFIED) {
            unindex(old);
        }
        if (t.status() == TokenStatus.VERIFIED) {
            index(t);
        }
        judged.clear();
    }

    /** Removes a declared entry (a tombstone on the registry topic); returns whether there was one. */
    public boolean undeclare(Address a) {
        Token old = declared.remove(a);
        if (old == null) {
            return false;
        }
        if (old.status() == TokenStatus.VERIFIED) {
            unindex(old);
        }
        judged.clear();
        return true;
    }

    /**
     * Why TRC-10 tokens are unverified: anyone can issue one under any name, the registry knows tokens by contract, and
     * TRC-10 tokens have none (docs/tokens.md).
     */
    public static final String TRC10_REASON = "TRC-10 token (the registry knows tokens by contract)";

    /** Records metadata seen on chain (its status is ignored: it is classified on demand). */
    public void observe(Token t) {
        checkChain(t);
        observed.put(t.address(), t);
        judged.remove(t.address());
    }

    public Map<Address, Token> declared() {
        return Collections.unmodifiableMap(declared);
    }

    /**
     * The status of an asset: the native coin is verified; a token (or a token id of a contract) has its contract's status;
     * a TRC-10 token is unverified ({@link #TRC10_REASON}).
     */
    public TokenStatus status(Asset asset) {
        if (asset.isNative()) {
            return TokenStatus.VERIFIED;
        }
        return asset.isTrc10() ? TokenStatus.UNVERIFIED : token(asset.contract()).status();
    }

    /** Why an asset is not verified ({@code ""} when it is). */
    public String reason(Asset asset) {
        if (asset.isNative()) {
            return "";
        }
        if (asset.isTrc10()) {
            return TRC10_REASON;
        }
        Token t = token(asset.contract());
        return t.status() == TokenStatus.VERIFIED ? "" : t.reason();
    }

    /** The registry's view of a token contract, with its status and the reason for it. */
    public Token token(Address contract) {
        Token t = judged.get(contract);
        if (t == null) {
            t = judge(contract);
            if (declared.containsKey(contract) || observed.containsKey(contract)) {
                judged.put(contract, t);
            }
        }
        return t;
    }

    /**
     * The registry's view of a contract whose observed metadata is kept elsewhere ({@code observed}, null when none):
     * what {@link #token} would say had the registry observed it, without remembering it. For a reader with its own
     * metadata store (the alert service).
     */
    public Token classify(Address contract, Token observed) {
        if (observed != null) {
            checkChain(observed);
        }
        Token own = this.observed.get(contract);
        return judge(contract, own != null ? own : observed);
    }

    private Token judge(Address a) {
        return judge(a, observed.get(a));
    }

    private Token judge(Address a, Token o) {
        Token d = declared.get(a);
        if (nativeAsset.wrapped().contains(a)) {
            Token base = d != null ? d : o != null ? o
                : new Token(chain, a, wrappedSymbol(), "Wrapped " + nativeAsset.name(), nativeAsset.decimals(), TokenStatus.VERIFIED, "", "");
            return base.withStatus(TokenStatus.VERIFIED, "the wrapped native asset");
        }
        if (d != null) {
            return d;
        }
        if (o == null) {
            return new Token(chain, a, "", "", null, TokenStatus.UNVERIFIED, "no metadata", "");
        }
        String why = counterfeitReason(o);
        return why == null ? o.withStatus(TokenStatus.UNVERIFIED, "") : o.withStatus(TokenStatus.COUNTERFEIT, why);
    }

    /** Why {@code t}'s symbol or name impersonates a verified asset, or null when it does not. */
    private String counterfeitReason(Token t) {
        List<String> reasons = new ArrayList<>();
        String symbol = t.symbol();
        List<String> mixed = Confusables.mixedScripts(symbol);
        if (!mixed.isEmpty()) {
            reasons.add("symbol " + quote(symbol) + " mixes scripts " + String.join(" and ", mixed));
        }
        int before = reasons.size();
        if (!symbol.isBlank()) {
            String k = Confusables.key(symbol);
            if (!k.isEmpty() && k.equals(Confusables.key(nativeAsset.symbol()))) {
                reasons.add("symbol " + quote(symbol) + " looks like " + nativeAsset.symbol() + ", the native asset");
            } else if (!k.isEmpty() && !nativeAsset.wrapped().isEmpty() && k.equals(Confusables.key(wrappedSymbol()))) {
                reasons.add("symbol " + quote(symbol) + " looks like " + wrappedSymbol() + ", the wrapped native asset");
            } else {
                Token v = first(verifiedBySymbol.get(k));
                if (v != null) {
                    reasons.add("symbol " + quote(symbol) + " looks like " + v.symbol() + " of verified " + v.address());
                }
            }
        }
        String plain = Confusables.asciiLookalike(symbol);
        if (reasons.size() == before && plain != null) {
            reasons.add("symbol " + quote(symbol) + " is written in characters that look like ASCII " + plain);
        }
        if (!t.name().isBlank()) {
            String k = Confusables.key(t.name());
            if (!k.isEmpty() && k.equals(Confusables.key(nativeAsset.name()))) {
                reasons.add("name " + quote(t.name()) + " looks like " + nativeAsset.name() + ", the native asset");
            } else {
                Token v = first(verifiedByName.get(k));
                if (v != null) {
                    reasons.add("name " + quote(t.name()) + " looks like " + v.name() + " of verified " + v.address());
                }
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private String wrappedSymbol() {
        return "W" + nativeAsset.symbol();
    }

    private static Token first(TreeMap<Address, Token> m) {
        return m == null || m.isEmpty() ? null : m.firstEntry().getValue();
    }

    private static String quote(String s) {
        int n = s.codePointCount(0, s.length());
        return Confusables.describe(n <= MAX_QUOTED ? s : s.substring(0, s.offsetByCodePoints(0, MAX_QUOTED)) + "…");
    }

    private void index(Token t) {
        put(verifiedBySymbol, Confusables.key(t.symbol()), t);
        put(verifiedByName, Confusables.key(t.name()), t);
    }

    private void unindex(Token t) {
        remove(verifiedBySymbol, Confusables.key(t.symbol()), t.address());
        remove(verifiedByName, Confusables.key(t.name()), t.address());
    }

    private static void put(HashMap<String, TreeMap<Address, Token>> m, String k, Token t) {
        if (!k.isEmpty()) {
            m.computeIfAbsent(k, x -> new TreeMap<>()).put(t.address(), t);
        }
    }

    private static void remove(HashMap<String, TreeMap<Address, Token>> m, String k, Address a) {
        TreeMap<Address, Token> s = m.get(k);
        if (s != null) {
            s.remove(a);
            if (s.isEmpty()) {
                m.remove(k);
            }
        }
    }

    private void checkChain(Token t) {
        if (!t.chain().equals(chain)) {
            throw new IllegalArgumentException("token " + t.key() + " is not of chain " + chain.name());
        }
    }
}
