package io.taintwatch.embedded.devnet;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Ground truth of a played {@link LaunderingStory}: who the hacker is, every laundering step, the labels to load,
 * and the bystanders a correct monitor must not flag.
 *
 * @param chainId             the devnet's chain id
 * @param storySeed           the random seed the story was played with
 * @param hacker              the attacker's address: the taint seed
 * @param hackTx              the exploit transaction
 * @param firstBlock          first block the story wrote (contract deployment included)
 * @param hackBlock           block of the exploit
 * @param lastBlock           last block the story wrote
 * @param steps               every movement of stolen value, in order, plus the gas funding and the hack itself
 * @param labels              entities to load: exchange deposit addresses, hot wallet, exchange, mixer, bridge, DEX pool,
 *                            and the WETH contract as a dex (wrapping is a swap: ETH in, WETH back in the same transaction)
 * @param launderingAddresses fresh addresses the hacker controls (fan-out and peel chain), which a monitor should track
 * @param mixerRecipients     fresh addresses that received the hacker's mixer withdrawals (beyond a terminal)
 * @param bystanders          addresses that must NOT be flagged: background users (victims, DEX and exchange customers
 *                            included) and the dust recipients
 * @param dustRecipients      the bystanders that got dust from the hacker (a subset of {@code bystanders})
 * @param dustAmount          the largest dust amount sent, in wei
 * @param contracts           the demo contracts by name (StableCoin, DexPool, MixerPool, ...)
 * @param freezeTx            the stablecoin owner freezing the hacker, after the swap (too late, as usual)
 * @param transactions        transactions the story sent, background traffic included
 * @param lookalikes          the address poisoner's lookalike addresses, each with the laundering address it imitates:
 *                            they received only forged transfers, so a correct monitor follows none and flags each
 * @param poisoningTxs        the poisoner's transactions (the forged token's transfers, the zero-value WETH transfers)
 */
public record StoryManifest(long chainId, long storySeed, Address hacker, String hackTx, long firstBlock, long hackBlock, long lastBlock,
        List<StoryStep> steps, List<Entity> labels, Set<Address> launderingAddresses, Set<Address> mixerRecipients,
        Set<Address> bystanders, Set<Address> dustRecipients, BigInteger dustAmount, Map<String, Address> contracts, String freezeTx,
        int transactions, Map<Address, Address> lookalikes, List<String> poisoningTxs) {

    public StoryManifest {
        Objects.requireNonNull(hacker, "hacker");
        steps = List.copyOf(steps);
        labels = List.copyOf(labels);
        launderingAddresses = Set.copyOf(launderingAddresses);
        mixerRecipients = Set.copyOf(mixerRecipients);
        bystanders = Set.copyOf(bystanders);
        dustRecipients = Set.copyOf(dustRecipients);
        contracts = Map.copyOf(contracts);
        lookalikes = Map.copyOf(lookalikes);
        poisoningTxs = List.copyOf(poisoningTxs);
    }

    /** The hacker as a theft seed, valid from the hack block. */
    public Seed seed() {
        return new Seed(hacker, "demo-vault-hack", Category.THEFT, hackBlock, "LendingVault.migrate exploit, tx " + hackTx);
    }

    /** The steps that deliver stolen value to a terminal entity: what a monitor should alert on. */
    public List<StoryStep> terminalDeliveries() {
        return steps.stream().filter(s -> s.terminal() != null && !s.beyondTerminal()).toList();
    }

    public List<StoryStep> steps(StoryStep.Kind kind) {
        return steps.stream().filter(s -> s.kind() == kind).toList();
    }

    /** The label of {@code a}, if the story labelled it. */
    public Entity label(Address a) {
        return labels.stream().filter(e -> e.address().equals(a)).findFirst().orElse(null);
    }
}
