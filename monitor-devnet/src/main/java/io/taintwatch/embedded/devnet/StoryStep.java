package io.taintwatch.embedded.devnet;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One value movement of the laundering story, as it happened on chain.
 *
 * @param index      order in the story
 * @param kind       what the movement is
 * @param txHash     the transaction carrying it (internal transfers share their transaction's hash)
 * @param block      block number
 * @param from       sender of the value (a contract for internal transfers out of it)
 * @param to         recipient of the value
 * @param asset      native ETH, or the token contract
 * @param amount     in base units (wei, or the token's smallest unit)
 * @param depth      transfers between the hacker and this one along the path: 1 for the hacker's own outflows,
 *                   0 for the theft itself and the hacker's gas funding, which reach the hacker
 * @param terminal   the entity category the value was delivered to ({@code mixer}, {@code bridge},
 *                   {@code exchange-deposit}), or null
 * @param beyondTerminal true for movements after the value reached a terminal entity (sweeps to the hot wallet,
 *                   mixer withdrawals): a taint engine that stops at terminals does not see them as tainted
 */
public record StoryStep(int index, Kind kind, String txHash, long block, Address from, Address to, Asset asset, BigInteger amount,
        int depth, Category terminal, boolean beyondTerminal) {

    /** Kinds of movement. */
    public enum Kind {
        /** An exchange withdrawal paying the hacker's gas before the hack (clean funds). */
        GAS_FUNDING,
        /** The exploit: the victim vault moves its assets to the hacker (internal ETH transfer and a token Transfer). */
        HACK,
        /** The hacker sells the freezable stablecoin into the DEX pool. */
        SWAP,
        /** The ETH the DEX pool pays back in the same transaction (internal transfer). */
        SWAP_PROCEEDS,
        /** The hacker's round-amount transfers to fresh addresses. */
        FAN_OUT,
        /** Tiny amounts from the hacker to bystanders (to smear them); below any sensible dust threshold. */
        DUST,
        MIXER_DEPOSIT,
        MIXER_WITHDRAWAL,
        /** ETH into the WETH contract (a Deposit event mints the same amount of WETH to the sender). */
        WRAP,
        BRIDGE_DEPOSIT,
        /** A peel-chain hop: the remainder to the next fresh address. */
        PEEL,
        /** A peel-chain hop's small amount to an exchange deposit address. */
        PEEL_OFF,
        /** The end of the peel chain: everything left into an exchange deposit address. */
        EXCHANGE_DEPOSIT,
        /** The exchange sweeping a deposit address into its hot wallet (internal transfer). */
        SWEEP
    }

    public StoryStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(amount, "amount");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("story step " + index + " (" + kind + ") moves nothing");
        }
    }
}
