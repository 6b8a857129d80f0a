package io.taintwatch.tokens;

import io.taintwatch.model.Address;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.model.ChainId;
import java.util.Objects;

/**
 * One token contract as the registry knows it: its metadata, its {@link TokenStatus} and why ({@code reason}: for a
 * counterfeit, what it impersonates; for a declared entry, what the declarer wrote), and where the entry comes from
 * ({@code source}: a token list, a CSV file, {@code ingest}). {@code decimals} is null when unknown.
 */
public record Token(ChainId chain, Address address, String symbol, String name, Integer decimals, TokenStatus status, String reason,
                    String source) {
    public Token {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        symbol = symbol == null ? "" : symbol;
        name = name == null ? "" : name;
        reason = reason == null ? "" : reason;
        source = source == null ? "" : source;
        if (decimals != null && (decimals < 0 || decimals > 77)) {
            throw new IllegalArgumentException("token " + address + ": decimals must be 0..77, got " + decimals);
        }
        if (status == TokenStatus.COUNTERFEIT && reason.isBlank()) {
            throw new IllegalArgumentException("token " + address + ": a counterfeit token needs a reason");
        }
    }

    /** Metadata seen on chain (by ingest or in an export), not yet judged: unverified until the registry classifies it. */
    public static Token observed(ChainId chain, Address address, String symbol, String name, Integer decimals, String source) {
        return new Token(chain, address, symbol, name, decimals, TokenStatus.UNVERIFIED, "", source);
    }

    /** The key of its topic record: {@code <chain>:<address>}. */
    public String key() {
        return key(chain, address);
    }

    public static String key(ChainId chain, Address address) {
        return chain.name() + ":" + address;
    }

    public Token withStatus(TokenStatus s, String why) {
        return new Token(chain, address, symbol, name, decimals, s, why, source);
    }
}
