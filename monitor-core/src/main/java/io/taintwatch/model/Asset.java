package io.taintwatch.model;

import java.math.BigInteger;

/**
 * What a leg moves: the chain's native coin (neither contract nor token id), a fungible token (its contract), one
 * non-fungible / semi-fungible token id of a contract, or a Tron TRC-10 token (a token id without a contract: TRC-10
 * tokens are issued by the protocol and named by a number, not by a contract).
 */
public record Asset(Address contract, BigInteger tokenId) implements Comparable<Asset> {
    public static final Asset NATIVE = new Asset(null, null);

    /** The prefix of a TRC-10 asset's text form ({@code trc10:1002000}). */
    public static final String TRC10_PREFIX = "trc10:";

    public Asset {
        if (contract == null && tokenId != null && tokenId.signum() <= 0) {
            throw new IllegalArgumentException("a TRC-10 token id must be positive, got " + tokenId);
        }
        if (tokenId != null && tokenId.signum() < 0) {
            throw new IllegalArgumentException("token id must not be negative");
        }
    }

    public static Asset token(Address contract) {
        return new Asset(contract, null);
    }

    public static Asset nft(Address contract, BigInteger tokenId) {
        if (contract == null || tokenId == null) {
            throw new IllegalArgumentException("a token id of a contract needs both");
        }
        return new Asset(contract, tokenId);
    }

    /** A Tron TRC-10 token, named by its id ({@code 1002000}). */
    public static Asset trc10(BigInteger id) {
        if (id == null) {
            throw new IllegalArgumentException("a TRC-10 token needs its id");
        }
        return new Asset(null, id);
    }

    public boolean isNative() {
        return contract == null && tokenId == null;
    }

    public boolean isTrc10() {
        return contract == null && tokenId != null;
    }

    /** {@code native}, the token contract, {@code contract/tokenId}, or {@code trc10:id}. */
    @Override
    public String toString() {
        if (contract == null) {
            return tokenId == null ? "native" : TRC10_PREFIX + tokenId;
        }
        return tokenId == null ? contract.toString() : contract + "/" + tokenId;
    }

    public static Asset parse(String s) {
        if ("native".equals(s)) {
            return NATIVE;
        }
        if (s.startsWith(TRC10_PREFIX)) {
            return trc10(new BigInteger(s.substring(TRC10_PREFIX.length())));
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return token(Address.parse(s));
        }
        return nft(Address.parse(s.substring(0, slash)), new BigInteger(s.substring(slash + 1)));
    }

    @Override
    public int compareTo(Asset o) {
        if (contract == null || o.contract == null) {
            if (contract != o.contract) {
                return contract == null ? -1 : 1;
            }
        } else {
            int c = contract.compareTo(o.contract);
            if (c != 0) {
                return c;
            }
        }
        if (tokenId == null || o.tokenId == null) {
            return tokenId == null ? (o.tokenId == null ? 0 : -1) : 1;
        }
        return tokenId.compareTo(o.tokenId);
    }
}
