package io.taintwatch.model;

import java.math.BigInteger;

/**
 * What a leg moves: the chain's native coin ({@code contract == null}), a fungible token (its contract),
 * or one non-fungible / semi-fungible token id of a contract.
 */
public record Asset(Address contract, BigInteger tokenId) implements Comparable<Asset> {
    public static final Asset NATIVE = new Asset(null, null);

    public Asset {
        if (contract == null && tokenId != null) {
            throw new IllegalArgumentException("the native asset has no token id");
        }
        if (tokenId != null && tokenId.signum() < 0) {
            throw new IllegalArgumentException("token id must not be negative");
        }
    }

    public static Asset token(Address contract) {
        return new Asset(contract, null);
    }

    public static Asset nft(Address contract, BigInteger tokenId) {
        return new Asset(contract, tokenId);
    }

    public boolean isNative() {
        return contract == null;
    }

    /** {@code native}, the token contract, or {@code contract/tokenId}. */
    @Override
    public String toString() {
        if (contract == null) {
            return "native";
        }
        return tokenId == null ? contract.toString() : contract + "/" + tokenId;
    }

    public static Asset parse(String s) {
        if ("native".equals(s)) {
            return NATIVE;
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
            return contract == null ? (o.contract == null ? 0 : -1) : 1;
        }
        int c = contract.compareTo(o.contract);
        if (c != 0) {
            return c;
        }
        if (tokenId == null || o.tokenId == null) {
            return tokenId == null ? (o.tokenId == null ? 0 : -1) : 1;
        }
        return tokenId.compareTo(o.tokenId);
    }
}
