package io.taintwatch.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An amount in base units with what a person needs to read it: symbol and decimals. {@code known} is false
 * when no token metadata was available (then decimals is 0 and the human form equals the base units).
 * {@code status} is the token registry's verdict on the asset (null: not judged), so that an amount in an unverified
 * token says so wherever it is shown.
 */
public record TokenAmount(BigInteger raw, int decimals, String symbol, boolean known, TokenStatus status) {
    public TokenAmount {
        Objects.requireNonNull(raw, "raw");
        if (raw.signum() < 0) {
            throw new IllegalArgumentException("negative amount " + raw);
        }
        if (decimals < 0 || decimals > 77) {
            throw new IllegalArgumentException("decimals must be 0..77, got " + decimals);
        }
        symbol = symbol == null ? "" : symbol;
    }

    /** An amount whose asset the registry did not judge. */
    public TokenAmount(BigInteger raw, int decimals, String symbol, boolean known) {
        this(raw, decimals, symbol, known, null);
    }

    /** The same asset and metadata with another amount. */
    public TokenAmount withRaw(BigInteger other) {
        return new TokenAmount(other, decimals, symbol, known, status);
    }

    /** The same amount with the registry's verdict on its asset. */
    public TokenAmount withStatus(TokenStatus s) {
        return new TokenAmount(raw, decimals, symbol, known, s);
    }

    /** Exact decimal string, no exponent, no trailing zeros ({@code 1500000000000000000} at 18 decimals is {@code 1.5}). */
    public String formatted() {
        if (raw.signum() == 0) {
            return "0";
        }
        return new BigDecimal(raw, decimals).stripTrailingZeros().toPlainString();
    }

    /** The amount in whole units when the decimals are known, else null (base units of an unknown token compare with nothing). */
    public BigDecimal units() {
        return known ? new BigDecimal(raw, decimals) : null;
    }
}
