package io.taintwatch.model;

import java.util.Objects;

/**
 * The evidence of a lookalike alert ({@link AlertRule#ADDRESS_POISONING}, {@link AlertRule#WITHDRAWAL_TO_LOOKALIKE}):
 * {@code address} shares its first {@code prefixDigits} and last {@code suffixDigits} hex digits with {@code lookalikeOf},
 * a real counterparty of {@code holder}; {@code real} is the latest real transfer between the two that the counterparty
 * memory holds; {@code kind} says what the alert's own transfer is ({@code counterfeit}, {@code zero-value}, {@code dust}:
 * a poisoning transfer; {@code payment}: real value paid to the lookalike); {@code poisoning} is an earlier poisoning
 * transfer between the holder and the lookalike, when one was seen (null otherwise).
 */
public record AlertLookalike(Address address, Address lookalikeOf, Address holder, int prefixDigits, int suffixDigits, String kind,
                             Transfer real, Transfer poisoning) {
    /** A transfer remembered as evidence; {@code amount} readable as in the rest of the alert. */
    public record Transfer(Hash32 txHash, long block, long blockTimestamp, Address from, Address to, Asset asset, TokenAmount amount) {
        public Transfer {
            Objects.requireNonNull(txHash, "txHash");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(amount, "amount");
        }
    }

    public AlertLookalike {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(lookalikeOf, "lookalikeOf");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(real, "real");
    }
}
