package io.taintwatch.ingest;

import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;

/**
 * What alerts need to print "50,000 USDT": symbol, name, decimals of a token contract ({@code token == null}: the
 * chain's native asset). Fields a contract does not answer (no such function, revert, garbage) are null.
 */
public record TokenMetadata(ChainId chain, Address token, String symbol, String name, Integer decimals) {
    /** The {@code tokens} topic key: {@code <chain>:<address>} or {@code <chain>:native}. */
    public String key() {
        return chain.name() + ":" + (token == null ? "native" : token.toString());
    }
}
