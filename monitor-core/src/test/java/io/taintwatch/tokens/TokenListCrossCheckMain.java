package io.taintwatch.tokens;

import io.taintwatch.labels.ImportMode;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.TokenStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many legitimate but unlisted tokens the detection calls counterfeit: every token of one list that the other does
 * not hold, classified against the other (Ethereum mainnet). Arguments: the Uniswap Token List and MetaMask's
 * contract-map.json, as {@code npm pack @uniswap/default-token-list @metamask/contract-metadata} gives them; figures in
 * docs/tokens.md.
 */
public final class TokenListCrossCheckMain {
    public static void main(String[] args) throws Exception {
        TokenImport uniswap = TokenFormat.TOKENLIST.read(Path.of(args[0]), ChainId.ETHEREUM, ImportMode.LENIENT);
        TokenImport metamask = TokenFormat.METAMASK.read(Path.of(args[1]), ChainId.ETHEREUM, ImportMode.LENIENT);
        System.out.println(uniswap.summary());
        System.out.println(metamask.summary());
        check("MetaMask tokens not in the Uniswap list, against the Uniswap list", metamask, uniswap);
        check("Uniswap tokens not in MetaMask's list, against MetaMask's list", uniswap, metamask);
    }

    static void check(String what, TokenImport candidates, TokenImport verified) {
        TokenRegistry r = new TokenRegistry(ChainId.ETHEREUM, NativeAsset.defaultFor(ChainId.ETHEREUM));
        verified.tokens().forEach(r::declare);
        int n = 0;
        Map<String, String> flagged = new TreeMap<>();
        for (Token t : candidates.tokens()) {
            if (r.declared().containsKey(t.address()) || NativeAsset.defaultFor(ChainId.ETHEREUM).wrapped().contains(t.address())) {
                continue;
            }
            n++;
            r.observe(Token.observed(t.chain(), t.address(), t.symbol(), t.name(), t.decimals(), "check"));
            Token j = r.token(t.address());
            if (j.status() == TokenStatus.COUNTERFEIT) {
                flagged.put(t.address().toString(), j.reason());
            }
        }
        System.out.println(what + ": " + flagged.size() + " of " + n + " flagged counterfeit");
        flagged.forEach((a, why) -> System.out.println("  " + a + ": " + why));
    }
}
