package io.taintwatch.alerts.rules;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;

import java.math.BigInteger;

/** What the rules look up: the watchlist, labels, token metadata and verdicts, and the addresses the engine tracks. */
public interface Lookups {
    /** The watchlist entry of an address, or null. */
    Seed seed(Address a);

    /** A watchlist entry of a source id (any of its addresses), or null. */
    Seed seedOfSource(String sourceId);

    /** The label of an address, or null. */
    Entity entity(Address a);

    /** The source ids an address holds taint of (the engine made it tracked), empty when none known. */
    java.util.Set<String> trackedSources(Address a);

    /** An amount with symbol, decimals and the token registry's verdict on its asset. */
    TokenAmount amount(ChainId chain, Asset asset, BigInteger raw);

    /** The token registry's view of a contract: symbol, name, status and the reason for it. */
    Token token(ChainId chain, Address contract);

    /** The chain's native asset and its wrapped forms. */
    NativeAsset nativeAsset(ChainId chain);
}
