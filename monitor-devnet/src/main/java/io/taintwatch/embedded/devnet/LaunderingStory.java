package io.taintwatch.embedded.devnet;

import static io.taintwatch.embedded.devnet.Abi.address;
import static io.taintwatch.embedded.devnet.Abi.addresses;
import static io.taintwatch.embedded.devnet.Abi.bytes32;
import static io.taintwatch.embedded.devnet.Abi.bytes32s;
import static io.taintwatch.embedded.devnet.Abi.uint;
import static io.taintwatch.embedded.devnet.Abi.uints;
import static io.taintwatch.embedded.devnet.Devnet.ETHER;

import io.taintwatch.embedded.devnet.Devnet.DevnetException;
import io.taintwatch.embedded.devnet.Devnet.Tx;
import io.taintwatch.embedded.devnet.StoryStep.Kind;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Plays the demo's theft-and-laundering story on a devnet amid background traffic, and returns its ground truth.
 *
 * <p>A victim vault is drained through an access-control bug; the hacker sells the stolen (freezable) stablecoin on
 * the DEX before the issuer freezes him, fans out round amounts to fresh addresses, which deposit into the mixer in
 * its fixed denomination, bridge ETH and wrapped ETH away, and run a peel chain into exchange deposit addresses that
 * the exchange sweeps to its hot wallet; the hacker also sends dust to bystanders. An address poisoner then forges
 * history: a token it deployed with the symbol {@code ЕТН} (Cyrillic) emits transfers "from" the hacker to lookalikes of
 * his fan-out addresses, and zero-value WETH transfers "from" him go to more lookalikes. Hundreds of ordinary accounts
 * transfer ETH and tokens, trade on the DEX, use the exchange, the mixer and the bridge all along.
 * Everything random comes from the configured seed: the same seed plays the same story.
 *
 * <p>Each round of transactions is mined into one block with {@code evm_mine} (automine is switched off while the
 * story plays and restored afterwards), so that a round never depends on another transaction of the same block.
 */
public final class LaunderingStory {
    private static final Logger log = LoggerFactory.getLogger(LaunderingStory.class);
    private static final BigInteger USD = BigInteger.TEN.pow(6);
    private static final BigInteger MAX_UINT = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    /** Upper bound of the fee per gas when budgeting background accounts (actual fees are far lower on anvil). */
    private static final BigInteger FEE_BOUND = Devnet.GWEI.multiply(BigInteger.valueOf(50));
    private static final int VICTIMS = 10;
    private static final String SOURCE = "devnet-story";
    private static final long GAS_TOKEN = 80_000;
    private static final long GAS_APPROVE = 60_000;
    private static final long GAS_SWAP = 150_000;
    private static final long GAS_TO_DEPOSIT_ADDRESS = 50_000;
    private static final long GAS_MIXER_DEPOSIT = 120_000;
    private static final long GAS_MIXER_WITHDRAW = 150_000;
    private static final long GAS_BRIDGE = 120_000;
    private static final long GAS_WETH = 80_000;
    private static final long GAS_VAULT = 200_000;
    private static final long GAS_SPLIT = 150_000;
    private static final long GAS_NFT = 120_000;
    private static final int MULTI_IDS = 5;
    private static final long[] DESTINATION_CHAINS = {10, 8453, 42161};
    /**
     * Leading and trailing hex digits a lookalike shares with the address it imitates: the first six and last four, as
     * wallets abbreviate addresses; no key is needed for an address that only receives forged transfers, so they are
     * made directly (docs/devnet.md).
     */
    static final int LOOKALIKE_PREFIX = 6;
    static final int LOOKALIKE_SUFFIX = 4;
    private static final long GAS_SCATTER = 200_000;

    /**
     * How big the story is.
     *
     * @param seed               everything random derives from it (accounts, amounts, who does what)
     * @param backgroundAccounts ordinary accounts making background traffic (at least 20)
     * @param noiseBlocksBefore  blocks of background traffic before the hack
     * @param noiseBlocksAfter   blocks of background traffic after the laundering
     * @param noiseTxsPerBlock   background transactions in every block from the first noise block on
     * @param peelHops           addresses in the peel chain after the first (each peels to an exchange deposit address)
     * @param mixerDenomination  the mixer pool's fixed deposit, in wei
     * @param blockPause         wait after each block (for a live demo); zero plays as fast as the node allows
     */
    public record Config(long seed, int backgroundAccounts, int noiseBlocksBefore, int noiseBlocksAfter, int noiseTxsPerBlock, int peelHops,
            BigInteger mixerDenomination, Duration blockPause) {
        public Config {
            if (backgroundAccounts < 2 * VICTIMS) {
                throw new IllegalArgumentException("backgroundAccounts must be >= " + 2 * VICTIMS + ", got " + backgroundAccounts);
            }
            if (noiseBlocksBefore < 1 || noiseBlocksAfter < 0 || noiseTxsPerBlock < 0) {
                throw new IllegalArgumentException("noise blocks before must be >= 1 and the other noise sizes >= 0");
            }
            if (peelHops < 1 || peelHops > 10) {
                throw new IllegalArgumentException("peelHops must be 1..10, got " + peelHops);
            }
            if (mixerDenomination.compareTo(ETHER.divide(BigInteger.TEN)) < 0 || mixerDenomination.compareTo(ETHER.multiply(BigInteger.TEN)) > 0) {
                throw new IllegalArgumentException("mixer denomination must be 0.1..10 ETH, got " + mixerDenomination + " wei");
            }
            Objects.requireNonNull(blockPause, "blockPause");
        }

        /** 300 background accounts, 40 background transactions per block, a 3-hop peel chain, a 10 ETH mixer. */
        public static Config defaults() {
            return new Config(20_220_329L, 300, 4, 4, 40, 3, ETHER.multiply(BigInteger.TEN), Duration.ZERO);
        }

        public Config withSeed(long s) {
            return new Config(s, backgroundAccounts, noiseBlocksBefore, noiseBlocksAfter, noiseTxsPerBlock, peelHops, mixerDenomination, blockPause);
        }

        public Config withBackgroundAccounts(int n) {
            return new Config(seed, n, noiseBlocksBefore, noiseBlocksAfter, noiseTxsPerBlock, peelHops, mixerDenomination, blockPause);
        }

        public Config withNoise(int blocksBefore, int blocksAfter, int txsPerBlock) {
            return new Config(seed, backgroundAccounts, blocksBefore, blocksAfter, txsPerBlock, peelHops, mixerDenomination, blockPause);
        }

        public Config withPeelHops(int hops) {
            return new Config(seed, backgroundAccounts, noiseBlocksBefore, noiseBlocksAfter, noiseTxsPerBlock, hops, mixerDenomination, blockPause);
        }

        public Config withBlockPause(Duration pause) {
            return new Config(seed, backgroundAccounts, noiseBlocksBefore, noiseBlocksAfter, noiseTxsPerBlock, peelHops, mixerDenomination, pause);
        }
    }

    /** Told after every mined round: its name, the head block and the transactions sent so far. */
    @FunctionalInterface
    public interface Listener {
        void roundMined(String round, long block, int transactionsSoFar);

        /**
         * Told once the contracts, accounts and deposit addresses exist and before the first story round: the
         * hacker (the seed to watch), the labels a monitor should load, and the contracts by name. A live
         * monitor starts here; the story waits until this returns.
         */
        default void casePrepared(Address hacker, List<Entity> labels, Map<String, Address> contracts) {
        }
    }

    private final Devnet devnet;
    private final Config cfg;
    private final Listener listener;
    private final Random rnd;
    private final Credentials owner;
    private final List<Credentials> users = new ArrayList<>();
    private final List<Address> userAddr = new ArrayList<>();
    private BigInteger[] eth;
    private BigInteger[] usd;
    private BigInteger[] weth;
    private final List<ArrayDeque<Long>> collectibles = new ArrayList<>();
    private long[] multiBalance;
    private final TreeSet<Integer> wethHolders = new TreeSet<>();
    private final List<Address> customerDeposits = new ArrayList<>();
    private final List<Address> hackerDeposits = new ArrayList<>();
    private final Credentials hot;
    private BigInteger hotEth = BigInteger.ZERO;
    private final Credentials relayer;
    private final Credentials hacker;
    private final Credentials poisoner;
    /** Lookalike address -> the laundering address it imitates. */
    private final Map<Address, Address> lookalikes = new LinkedHashMap<>();
    private final List<String> poisoningTxs = new ArrayList<>();
    private final List<byte[]> pendingNotes = new ArrayList<>();
    private final List<byte[]> innocentNotes = new ArrayList<>();
    private final List<Runnable> credits = new ArrayList<>();
    private final List<StoryStep> steps = new ArrayList<>();
    private final List<byte[]> hackerNotes = new ArrayList<>();
    /** The peel chain: the fourth fan-out address, then one fresh address per hop. */
    private final List<Credentials> peel = new ArrayList<>();
    /** Per hop: the amount peeled off and the remainder passed on (the last hop: everything deposited). */
    private final List<BigInteger[]> peelAmounts = new ArrayList<>();
    private DemoContracts c;
    private int transactions;
    private int noiseRounds;

    private LaunderingStory(Devnet devnet, Config cfg, Listener listener) {
        this.devnet = devnet;
        this.cfg = cfg;
        this.listener = listener;
        this.rnd = new Random(cfg.seed());
        if (devnet.devAccounts().isEmpty()) {
            throw new IllegalArgumentException("the devnet has no funded dev accounts");
        }
        this.owner = devnet.devAccounts().getFirst();
        this.hot = Devnet.derive(cfg.seed(), "exchange-hot-wallet", 0);
        this.relayer = Devnet.derive(cfg.seed(), "mixer-relayer", 0);
        this.hacker = Devnet.derive(cfg.seed(), "hacker", 0);
        this.poisoner = Devnet.derive(cfg.seed(), "address-poisoner", 0);
    }

    /** Plays the story with no progress output. */
    public static StoryManifest play(Devnet devnet, Config config) {
        return play(devnet, config, (r, b, t) -> { });
    }

    /** Deploys the demo contracts, plays the story and returns its ground truth. */
    public static StoryManifest play(Devnet devnet, Config config, Listener listener) {
        boolean wasManual = devnet.isManualMining();
        boolean automined = devnet.nodeAutomines();
        devnet.manualMining(true);
        try {
            return new LaunderingStory(devnet, config, listener).run();
        } finally {
            // leave the node mining as it did (automine, interval or none), and the devnet as it was
            devnet.restoreMining(automined, wasManual);
        }
    }

    private StoryManifest run() {
        long firstBlock = devnet.blockNumber() + 1;
        c = DemoContracts.deploy(devnet, owner, Devnet.address(hot), cfg.mixerDenomination());
        transactions += 11;
        listener.roundMined("deploy contracts", devnet.blockNumber(), transactions);

        createAccounts();
        fund();
        setUp();
        listener.casePrepared(Devnet.address(hacker), labels(), contracts());

        int before = cfg.noiseBlocksBefore();
        for (int i = 0; i < before; i++) {
            List<Tx> story = new ArrayList<>();
            if (i == before - 1) {
                // the hacker's gas money: a withdrawal from the exchange, as is common
                story.add(new Tx(hot, Devnet.address(hacker), ETHER, "0x", Devnet.TRANSFER_GAS));
                hotEth = hotEth.subtract(ETHER.add(gasBound(Devnet.TRANSFER_GAS)));
            }
            List<TransactionReceipt> rs = round("background " + (i + 1) + "/" + before, story, true);
            if (!rs.isEmpty()) {
                step(Kind.GAS_FUNDING, rs.getFirst(), Devnet.address(hot), Devnet.address(hacker), Asset.NATIVE, ETHER, 0, null, false);
            }
        }

        // the exploit
        TransactionReceipt hack = round("hack", List.of(new Tx(hacker, c.vault().address(), BigInteger.ZERO,
                c.vault().data("migrate", address(Devnet.address(hacker))), GAS_VAULT)), true).getFirst();
        Log migrated = event(hack, "Migrated(address,uint256,uint256)");
        BigInteger stolenEth = word(migrated.getData(), 0);
        BigInteger stolenUsd = word(migrated.getData(), 1);
        Address h = Devnet.address(hacker);
        Asset usdx = Asset.token(c.stable().address());
        step(Kind.HACK, hack, c.vault().address(), h, usdx, stolenUsd, 0, null, false);
        step(Kind.HACK, hack, c.vault().address(), h, Asset.NATIVE, stolenEth, 0, null, false);

        // sell the freezable stablecoin before the issuer reacts
        List<TransactionReceipt> swapRs = round("swap", List.of(
                new Tx(hacker, c.stable().address(), BigInteger.ZERO, c.stable().data("approve", address(c.dexPool().address()), uint(stolenUsd)), GAS_APPROVE),
                new Tx(hacker, c.dexPool().address(), BigInteger.ZERO, c.dexPool().data("swapTokensForEth", uint(stolenUsd), uint(1), address(h)), GAS_SWAP)),
                true);
        TransactionReceipt swap = swapRs.get(1);
        BigInteger swapOut = word(event(swap, "Swap(address,address,uint256,uint256,uint256,uint256)").getData(), 2);
        step(Kind.SWAP, swap, h, c.dexPool().address(), usdx, stolenUsd, 1, null, false);
        step(Kind.SWAP_PROCEEDS, swap, c.dexPool().address(), h, Asset.NATIVE, swapOut, 1, null, false);

        // fan-out in round amounts, dust to bystanders, and the (late) freeze
        BigInteger denom = cfg.mixerDenomination();
        List<Credentials> fans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fans.add(Devnet.derive(cfg.seed(), "hacker-fan-out", i));
        }
        BigInteger[] fanAmounts = {denom.multiply(BigInteger.valueOf(5)), denom.multiply(BigInteger.valueOf(3)), ETHER.multiply(BigInteger.valueOf(40)),
            ETHER.multiply(BigInteger.valueOf(20)), ETHER.multiply(BigInteger.TEN)};
        BigInteger needed = BigInteger.ZERO;
        for (BigInteger a : fanAmounts) {
            needed = needed.add(a);
        }
        BigInteger hackerBalance = devnet.balance(h);
        if (hackerBalance.compareTo(needed.add(ETHER)) < 0) {
            throw new DevnetException("story: the hacker holds " + hackerBalance + " wei after the hack, needs " + needed.add(ETHER)
                    + "; the victims deposited too little");
        }
        List<Tx> fanOut = new ArrayList<>();
        for (int i = 0; i < fans.size(); i++) {
            fanOut.add(new Tx(hacker, Devnet.address(fans.get(i)), fanAmounts[i], "0x", Devnet.TRANSFER_GAS));
        }
        Set<Address> dustRecipients = new LinkedHashSet<>();
        List<BigInteger> dust = new ArrayList<>();
        while (dustRecipients.size() < 4) {
            dustRecipients.add(userAddr.get(VICTIMS + rnd.nextInt(users.size() - VICTIMS)));
        }
        BigInteger maxDust = BigInteger.ZERO;
        for (Address d : dustRecipients) {
            BigInteger amount = BigInteger.valueOf(1 + rnd.nextInt(100)).multiply(BigInteger.TEN.pow(12)); // up to 0.0001 ETH
            maxDust = maxDust.max(amount);
            dust.add(amount);
            fanOut.add(new Tx(hacker, d, amount, "0x", Devnet.TRANSFER_GAS));
        }
        fanOut.add(new Tx(owner, c.stable().address(), BigInteger.ZERO, c.stable().data("freeze", address(h)), GAS_TOKEN));
        List<TransactionReceipt> fanRs = round("fan-out", fanOut, true);
        for (int i = 0; i < fans.size(); i++) {
            step(Kind.FAN_OUT, fanRs.get(i), h, Devnet.address(fans.get(i)), Asset.NATIVE, fanAmounts[i], 1, null, false);
        }
        int k = fans.size();
        for (Address d : dustRecipients) {
            step(Kind.DUST, fanRs.get(k), h, d, Asset.NATIVE, dust.get(k - fans.size()), 1, null, false);
            k++;
        }
        String freezeTx = fanRs.getLast().getTransactionHash();

        poison(fans);
        launder(fans);

        // the exchange sweeps the hacker's deposit addresses with the rest of its customers
        Map<Address, BigInteger> held = new LinkedHashMap<>();
        for (Address d : hackerDeposits) {
            held.put(d, devnet.balance(d));
        }
        TransactionReceipt sweep = round("sweep", List.of(sweepTx(hackerDeposits)), true).getFirst();
        for (Map.Entry<Address, BigInteger> e : held.entrySet()) {
            if (e.getValue().signum() > 0) {
                step(Kind.SWEEP, sweep, e.getKey(), Devnet.address(hot), Asset.NATIVE, e.getValue(), 0, null, true);
            }
        }

        // a relayer withdraws the hacker's notes to fresh addresses
        Set<Address> mixerRecipients = new LinkedHashSet<>();
        List<Tx> outs = new ArrayList<>();
        BigInteger fee = denom.divide(BigInteger.valueOf(200));
        for (int i = 0; i < hackerNotes.size(); i++) {
            Address to = Devnet.address(Devnet.derive(cfg.seed(), "mixer-out", i));
            mixerRecipients.add(to);
            outs.add(new Tx(relayer, c.mixer().address(), BigInteger.ZERO,
                    c.mixer().data("withdraw", bytes32(hackerNotes.get(i)), address(to), address(Devnet.address(relayer)), uint(fee)), GAS_MIXER_WITHDRAW));
        }
        List<TransactionReceipt> outRs = round("mixer withdrawals", outs, true);
        int j = 0;
        for (Address to : mixerRecipients) {
            step(Kind.MIXER_WITHDRAWAL, outRs.get(j++), c.mixer().address(), to, Asset.NATIVE, denom.subtract(fee), 0, null, true);
        }

        for (int i = 0; i < cfg.noiseBlocksAfter(); i++) {
            round("background after " + (i + 1) + "/" + cfg.noiseBlocksAfter(), List.of(), true);
        }
        long lastBlock = devnet.blockNumber();

        Set<Address> laundering = new LinkedHashSet<>();
        fans.forEach(f -> laundering.add(Devnet.address(f)));
        peel.forEach(p -> laundering.add(Devnet.address(p)));
        Set<Address> bystanders = new LinkedHashSet<>(userAddr);
        bystanders.add(Devnet.address(relayer));
        log.info("story played: blocks {}..{}, {} transactions, {} laundering steps, hacker {}", firstBlock, lastBlock, transactions,
                steps.size(), h);
        return new StoryManifest(devnet.chainId(), cfg.seed(), h, hack.getTransactionHash(), firstBlock, hack.getBlockNumber().longValueExact(),
                lastBlock, steps, labels(), laundering, mixerRecipients, bystanders, dustRecipients, maxDust, contracts(), freezeTx, transactions,
                lookalikes, poisoningTxs);
    }

    /**
     * An address poisoner reacts to the fan-out: it deploys a token named and symbolled like Ether in Cyrillic letters,
     * makes it emit a huge transfer "from" the hacker to a lookalike of each fan-out address, and moves zero WETH "from"
     * the hacker to lookalikes of two of them ({@code transferFrom} of zero needs no allowance). The hacker signs nothing.
     */
    private void poison(List<Credentials> fans) {
        Address h = Devnet.address(hacker);
        DeployedContract forged = devnet.deploy(poisoner, "ForgedToken", Abi.string("\u0415ther"), Abi.string("\u0415\u0422\u041d"));
        transactions++;
        List<Address> to = new ArrayList<>();
        List<BigInteger> values = new ArrayList<>();
        for (Credentials f : fans) {
            Address look = lookalike(Devnet.address(f));
            lookalikes.put(look, Devnet.address(f));
            to.add(look);
            values.add(ETHER.multiply(BigInteger.valueOf(100_000 + rnd.nextInt(900_000))));
        }
        List<Tx> txs = new ArrayList<>();
        txs.add(new Tx(poisoner, forged.address(), BigInteger.ZERO, forged.data("scatter", address(h), addresses(to), uints(values)), GAS_SCATTER));
        for (int i = 0; i < 2; i++) {
            Address look = lookalike(Devnet.address(fans.get(i)));
            lookalikes.put(look, Devnet.address(fans.get(i)));
            txs.add(new Tx(poisoner, c.weth().address(), BigInteger.ZERO, c.weth().data("transferFrom", address(h), address(look), uint(BigInteger.ZERO)),
                    GAS_WETH));
        }
        for (TransactionReceipt r : round("address poisoning", txs, true)) {
            poisoningTxs.add(r.getTransactionHash());
        }
    }

    /** A fresh address with the first and last hex digits of {@code a} ({@link #LOOKALIKE_PREFIX}, {@link #LOOKALIKE_SUFFIX}). */
    private Address lookalike(Address a) {
        char[] real = a.toString().substring(2).toCharArray();
        char[] out = new char[40];
        String hex = "0123456789abcdef";
        for (int i = 0; i < 40; i++) {
            boolean kept = i < LOOKALIKE_PREFIX || i >= 40 - LOOKALIKE_SUFFIX;
            char c = kept ? real[i] : hex.charAt(rnd.nextInt(16));
            if (!kept && (i == LOOKALIKE_PREFIX || i == 39 - LOOKALIKE_SUFFIX) && c == real[i]) {
                c = hex.charAt((hex.indexOf(c) + 1) % 16); // the match is exactly the first and last digits
            }
            out[i] = c;
        }
        return Address.parse("0x" + new String(out));
    }

    /** Mixer deposits, ETH and WETH bridge deposits, and the peel chain; several rounds, with background traffic. */
    private void launder(List<Credentials> fans) {
        BigInteger denom = cfg.mixerDenomination();
        Credentials f1 = fans.get(0);
        Credentials f2 = fans.get(1);
        Credentials f3 = fans.get(2);
        Credentials f4 = fans.get(3);
        Credentials f5 = fans.get(4);
        peel.add(f4);
        for (int i = 1; i <= cfg.peelHops(); i++) {
            peel.add(Devnet.derive(cfg.seed(), "hacker-peel", i));
        }

        List<Tx> r1 = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            r1.add(mixerDeposit(f1, hackerNote()));
        }
        for (int i = 0; i < 2; i++) {
            r1.add(mixerDeposit(f2, hackerNote()));
        }
        Address l2 = Devnet.address(Devnet.derive(cfg.seed(), "hacker-destination", 0));
        BigInteger bridged = ETHER.multiply(BigInteger.valueOf(35));
        r1.add(new Tx(f3, c.bridge().address(), bridged, c.bridge().data("depositETH", uint(42161), address(l2)), GAS_BRIDGE));
        BigInteger wrapped = ETHER.multiply(BigInteger.valueOf(9));
        r1.add(new Tx(f5, c.weth().address(), wrapped, c.weth().data("deposit"), GAS_WETH));
        r1.add(new Tx(f5, c.weth().address(), BigInteger.ZERO, c.weth().data("approve", address(c.bridge().address()), uint(wrapped)), GAS_APPROVE));
        int peelAt = r1.size();
        r1.addAll(peelHop(0));
        List<TransactionReceipt> rs = round("mixer, bridge, peel 1", r1, true);
        for (int i = 0; i < 6; i++) {
            Credentials from = i < 4 ? f1 : f2;
            step(Kind.MIXER_DEPOSIT, rs.get(i), Devnet.address(from), c.mixer().address(), Asset.NATIVE, denom, 2, Category.MIXER, false);
        }
        step(Kind.BRIDGE_DEPOSIT, rs.get(6), Devnet.address(f3), c.bridge().address(), Asset.NATIVE, bridged, 2, Category.BRIDGE, false);
        step(Kind.WRAP, rs.get(7), Devnet.address(f5), c.weth().address(), Asset.NATIVE, wrapped, 2, null, false);
        peelSteps(0, rs.subList(peelAt, rs.size()));

        for (int hop = 1; hop <= cfg.peelHops(); hop++) {
            List<Tx> r = new ArrayList<>();
            if (hop == 1) {
                r.add(new Tx(f5, c.bridge().address(), BigInteger.ZERO,
                        c.bridge().data("depositToken", address(c.weth().address()), uint(wrapped), uint(10), address(l2)), GAS_BRIDGE));
            }
            int at = r.size();
            r.addAll(peelHop(hop));
            List<TransactionReceipt> hr = round("peel " + (hop + 1), r, true);
            if (hop == 1) {
                step(Kind.BRIDGE_DEPOSIT, hr.getFirst(), Devnet.address(f5), c.bridge().address(), Asset.token(c.weth().address()), wrapped, 3,
                        Category.BRIDGE, false);
            }
            peelSteps(hop, hr.subList(at, hr.size()));
        }
    }

    /** Hop {@code i} of the peel chain: a small whole-ETH amount to a deposit address and the rest onwards; the last hop deposits everything. */
    private List<Tx> peelHop(int i) {
        Credentials from = peel.get(i);
        BigInteger balance = devnet.balance(Devnet.address(from));
        BigInteger fee = devnet.maxFeePerGas().shiftLeft(1);
        if (i == cfg.peelHops()) {
            BigInteger all = balance.subtract(fee.multiply(BigInteger.valueOf(GAS_TO_DEPOSIT_ADDRESS)));
            peelAmounts.add(new BigInteger[] {all});
            return List.of(new Tx(from, hackerDeposits.get(i), all, "0x", GAS_TO_DEPOSIT_ADDRESS));
        }
        BigInteger off = ETHER.multiply(BigInteger.valueOf(1 + rnd.nextInt(3)));
        BigInteger rest = balance.subtract(off).subtract(fee.multiply(BigInteger.valueOf(GAS_TO_DEPOSIT_ADDRESS + Devnet.TRANSFER_GAS)));
        peelAmounts.add(new BigInteger[] {off, rest});
        return List.of(new Tx(from, hackerDeposits.get(i), off, "0x", GAS_TO_DEPOSIT_ADDRESS),
                new Tx(from, Devnet.address(peel.get(i + 1)), rest, "0x", Devnet.TRANSFER_GAS));
    }

    private void peelSteps(int i, List<TransactionReceipt> rs) {
        Address from = Devnet.address(peel.get(i));
        BigInteger[] a = peelAmounts.get(i);
        int depth = 2 + i;
        if (i == cfg.peelHops()) {
            step(Kind.EXCHANGE_DEPOSIT, rs.getFirst(), from, hackerDeposits.get(i), Asset.NATIVE, a[0], depth, Category.EXCHANGE_DEPOSIT, false);
        } else {
            step(Kind.PEEL_OFF, rs.get(0), from, hackerDeposits.get(i), Asset.NATIVE, a[0], depth, Category.EXCHANGE_DEPOSIT, false);
            step(Kind.PEEL, rs.get(1), from, Devnet.address(peel.get(i + 1)), Asset.NATIVE, a[1], depth, null, false);
        }
    }

    private byte[] hackerNote() {
        byte[] note = randomBytes32();
        hackerNotes.add(note);
        return note;
    }

    private Tx mixerDeposit(Credentials from, byte[] note) {
        return new Tx(from, c.mixer().address(), cfg.mixerDenomination(), c.mixer().data("deposit", bytes32(Hash.sha3(note))), GAS_MIXER_DEPOSIT);
    }

    private void createAccounts() {
        for (int i = 0; i < cfg.backgroundAccounts(); i++) {
            Credentials u = Devnet.derive(cfg.seed(), "user", i);
            users.add(u);
            userAddr.add(Devnet.address(u));
        }
        eth = new BigInteger[users.size()];
        usd = new BigInteger[users.size()];
        weth = new BigInteger[users.size()];
        Arrays.fill(weth, BigInteger.ZERO);
        multiBalance = new long[users.size()];
        for (int i = 0; i < users.size(); i++) {
            collectibles.add(new ArrayDeque<>());
        }
    }

    /** ETH from the dev accounts, stablecoins minted by the issuer. */
    private void fund() {
        List<Credentials> devs = devnet.devAccounts();
        List<Tx> txs = new ArrayList<>();
        BigInteger[] spent = new BigInteger[devs.size()];
        Arrays.fill(spent, BigInteger.ZERO);
        for (int i = 0; i < users.size(); i++) {
            BigInteger amount = ETHER.multiply(BigInteger.valueOf(2 + rnd.nextInt(18))).add(BigInteger.valueOf(rnd.nextInt(1_000_000)).multiply(BigInteger.TEN.pow(12)));
            if (i < VICTIMS) {
                amount = amount.add(ETHER.multiply(BigInteger.valueOf(60)));
            }
            eth[i] = amount;
            int d = devs.size() == 1 ? 0 : 1 + i % (devs.size() - 1);
            spent[d] = spent[d].add(amount);
            txs.add(new Tx(devs.get(d), userAddr.get(i), amount, "0x", Devnet.TRANSFER_GAS));
        }
        hotEth = ETHER.multiply(BigInteger.valueOf(1000));
        Credentials hotFunder = devs.getLast();
        spent[devs.size() - 1] = spent[devs.size() - 1].add(hotEth);
        txs.add(new Tx(hotFunder, Devnet.address(hot), hotEth, "0x", Devnet.TRANSFER_GAS));
        txs.add(new Tx(hotFunder, Devnet.address(relayer), ETHER.multiply(BigInteger.valueOf(5)), "0x", Devnet.TRANSFER_GAS));
        txs.add(new Tx(hotFunder, Devnet.address(poisoner), ETHER.multiply(BigInteger.valueOf(5)), "0x", Devnet.TRANSFER_GAS));
        spent[0] = spent[0].add(ETHER.multiply(BigInteger.valueOf(1100)));
        for (int d = 0; d < devs.size(); d++) {
            BigInteger has = devnet.balance(Devnet.address(devs.get(d)));
            if (has.compareTo(spent[d].add(ETHER.multiply(BigInteger.valueOf(50)))) < 0) {
                throw new DevnetException("story: dev account " + d + " holds " + has.divide(ETHER) + " ETH, the story needs about "
                        + spent[d].divide(ETHER).add(BigInteger.valueOf(50)) + " ETH from it: start the node with more accounts or balance, or fewer background accounts");
            }
        }
        for (int i = 0; i < users.size(); i++) {
            BigInteger amount = USD.multiply(BigInteger.valueOf(500 + rnd.nextInt(9500)));
            if (i < VICTIMS) {
                amount = amount.add(USD.multiply(BigInteger.valueOf(50_000)));
            }
            usd[i] = amount;
            txs.add(new Tx(owner, c.stable().address(), BigInteger.ZERO, c.stable().data("mint", address(userAddr.get(i)), uint(amount)), GAS_TOKEN));
        }
        txs.add(new Tx(owner, c.stable().address(), BigInteger.ZERO,
                c.stable().data("mint", address(Devnet.address(owner)), uint(USD.multiply(BigInteger.valueOf(2_000_000)))), GAS_TOKEN));
        // collectibles (ERC-721) and game items (ERC-1155) for a third of the accounts
        for (int i = 0; i < users.size(); i += 3) {
            long tokenId = 1000 + i;
            collectibles.get(i).add(tokenId);
            txs.add(new Tx(owner, c.collectible().address(), BigInteger.ZERO, c.collectible().data("mint", address(userAddr.get(i)), uint(tokenId)),
                    GAS_NFT));
            multiBalance[i] = 10 + rnd.nextInt(90);
            txs.add(new Tx(owner, c.multiToken().address(), BigInteger.ZERO,
                    c.multiToken().data("mint", address(userAddr.get(i)), uint(multiId(i)), uint(multiBalance[i])), GAS_NFT));
        }
        round("fund accounts", txs, false);
    }

    /** DEX liquidity, approvals, exchange deposit addresses, and the victims' vault deposits. */
    private void setUp() {
        List<Tx> txs = new ArrayList<>();
        BigInteger liquidityUsd = USD.multiply(BigInteger.valueOf(2_000_000));
        txs.add(new Tx(owner, c.stable().address(), BigInteger.ZERO, c.stable().data("approve", address(c.dexPool().address()), uint(liquidityUsd)), GAS_APPROVE));
        txs.add(new Tx(owner, c.dexPool().address(), ETHER.multiply(BigInteger.valueOf(1000)), c.dexPool().data("addLiquidity", uint(liquidityUsd)), 250_000));
        int customers = Math.min(60, users.size() / 4);
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < customers + cfg.peelHops() + 1; i++) {
            ids.add(Hash.sha3(("customer-" + cfg.seed() + "-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        int creates = 0;
        for (int from = 0; from < ids.size(); from += 15) {
            List<byte[]> chunk = ids.subList(from, Math.min(ids.size(), from + 15));
            txs.add(new Tx(owner, c.exchange().address(), BigInteger.ZERO, c.exchange().data("createDepositAddresses", bytes32s(chunk)),
                    100_000 + 300_000L * chunk.size()));
            creates++;
        }
        int firstCreate = 2;
        for (int i = 0; i < users.size(); i++) {
            Credentials u = users.get(i);
            txs.add(new Tx(u, c.stable().address(), BigInteger.ZERO, c.stable().data("approve", address(c.dexPool().address()), uint(MAX_UINT)), GAS_APPROVE));
            eth[i] = eth[i].subtract(gasBound(GAS_APPROVE));
            if (i < VICTIMS) {
                BigInteger depEth = ETHER.multiply(BigInteger.valueOf(20 + rnd.nextInt(21)));
                BigInteger depUsd = USD.multiply(BigInteger.valueOf(10_000 + rnd.nextInt(30_000)));
                txs.add(new Tx(u, c.stable().address(), BigInteger.ZERO, c.stable().data("approve", address(c.vault().address()), uint(depUsd)), GAS_APPROVE));
                txs.add(new Tx(u, c.vault().address(), BigInteger.ZERO, c.vault().data("depositToken", uint(depUsd)), GAS_VAULT));
                txs.add(new Tx(u, c.vault().address(), depEth, c.vault().data("depositEth"), GAS_VAULT));
                eth[i] = eth[i].subtract(depEth).subtract(gasBound(GAS_APPROVE + 2 * GAS_VAULT));
                usd[i] = usd[i].subtract(depUsd);
            }
        }
        List<TransactionReceipt> rs = round("set up DEX, exchange, vault", txs, false);
        List<Address> created = new ArrayList<>();
        for (int i = firstCreate; i < firstCreate + creates; i++) {
            String topic = EventEncoder.buildEventSignature("DepositAddressCreated(address,bytes32)");
            for (Log l : rs.get(i).getLogs()) {
                if (l.getTopics().getFirst().equals(topic)) {
                    created.add(Address.of(Numeric.hexStringToByteArray(l.getTopics().get(1))));
                }
            }
        }
        if (created.size() != ids.size()) {
            throw new DevnetException("story: the exchange created " + created.size() + " deposit addresses, expected " + ids.size());
        }
        customerDeposits.addAll(created.subList(0, customers));
        hackerDeposits.addAll(created.subList(customers, created.size()));
    }

    /**
     * Sends one round (story transactions first, then background traffic), mines it, and fails if any transaction
     * reverted: the story never means to revert. Returns the receipts of the story transactions.
     */
    private List<TransactionReceipt> round(String label, List<Tx> story, boolean noise) {
        List<Tx> all = new ArrayList<>(story);
        if (noise) {
            all.addAll(noise());
        }
        List<TransactionReceipt> rs = devnet.round(all);
        for (int i = 0; i < rs.size(); i++) {
            if (!rs.get(i).isStatusOK()) {
                throw new DevnetException("story round '" + label + "': " + (i < story.size() ? "story" : "background") + " transaction "
                        + all.get(i) + " reverted (tx " + rs.get(i).getTransactionHash() + ")");
            }
        }
        credits.forEach(Runnable::run);
        credits.clear();
        innocentNotes.addAll(pendingNotes);
        pendingNotes.clear();
        transactions += all.size();
        long block = devnet.blockNumber();
        log.debug("story round '{}': {} transactions, head {}", label, all.size(), block);
        listener.roundMined(label, block, transactions);
        if (!cfg.blockPause().isZero()) {
            try {
                Thread.sleep(cfg.blockPause().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevnetException("story interrupted", e);
            }
        }
        return rs.subList(0, story.size());
    }

    private enum Noise {
        TRANSFER, DEX_BUY, DEX_SELL, EXCHANGE_DEPOSIT, EXCHANGE_WITHDRAWAL, WRAP, UNWRAP, MIXER_DEPOSIT, MIXER_WITHDRAWAL, BRIDGE, TOKEN_TRANSFER,
        SPLIT, NFT_TRANSFER, MULTI_TRANSFER
    }

    private static final Noise[] NOISE_WEIGHTS = weights();

    private static Noise[] weights() {
        List<Noise> w = new ArrayList<>();
        int[] weight = {36, 8, 7, 10, 6, 4, 3, 3, 3, 4, 10, 4, 3, 3};
        for (Noise n : Noise.values()) {
            for (int i = 0; i < weight[n.ordinal()]; i++) {
                w.add(n);
            }
        }
        return w.toArray(Noise[]::new);
    }

    /** One block of background traffic, budgeted against what every account is known to hold. */
    private List<Tx> noise() {
        List<Tx> txs = new ArrayList<>();
        noiseRounds++;
        if (noiseRounds % 4 == 0 && !customerDeposits.isEmpty()) {
            txs.add(sweepTx(customerDeposits));
        }
        int attempts = 0;
        while (txs.size() < cfg.noiseTxsPerBlock() && attempts++ < cfg.noiseTxsPerBlock() * 5) {
            Tx t = noiseTx();
            if (t != null) {
                txs.add(t);
            }
        }
        return txs;
    }

    private Tx noiseTx() {
        Noise kind = NOISE_WEIGHTS[rnd.nextInt(NOISE_WEIGHTS.length)];
        int s = sender(kind);
        if (s < 0) {
            return null;
        }
        Credentials u = users.get(s);
        Address me = userAddr.get(s);
        BigInteger denom = cfg.mixerDenomination();
        switch (kind) {
            case TRANSFER -> {
                int to = other(s);
                BigInteger v = spend(s, eth[s].divide(BigInteger.valueOf(4)), Devnet.TRANSFER_GAS);
                if (v == null) {
                    return null;
                }
                credits.add(() -> eth[to] = eth[to].add(v));
                return new Tx(u, userAddr.get(to), v, "0x", Devnet.TRANSFER_GAS);
            }
            case DEX_BUY -> {
                BigInteger v = spend(s, eth[s].divide(BigInteger.valueOf(8)).min(ETHER.multiply(BigInteger.TWO)), GAS_SWAP);
                return v == null ? null : new Tx(u, c.dexPool().address(), v, c.dexPool().data("swapEthForTokens", uint(1), address(me)), GAS_SWAP);
            }
            case DEX_SELL -> {
                if (usd[s].compareTo(USD.multiply(BigInteger.valueOf(50))) < 0 || !afford(s, GAS_SWAP)) {
                    return null;
                }
                BigInteger a = usd[s].multiply(BigInteger.valueOf(5 + rnd.nextInt(40))).divide(BigInteger.valueOf(100));
                usd[s] = usd[s].subtract(a);
                return new Tx(u, c.dexPool().address(), BigInteger.ZERO, c.dexPool().data("swapTokensForEth", uint(a), uint(1), address(me)), GAS_SWAP);
            }
            case EXCHANGE_DEPOSIT -> {
                if (s >= customerDeposits.size()) {
                    return null;
                }
                BigInteger v = spend(s, eth[s].divide(BigInteger.valueOf(3)), GAS_TO_DEPOSIT_ADDRESS);
                return v == null ? null : new Tx(u, customerDeposits.get(s), v, "0x", GAS_TO_DEPOSIT_ADDRESS);
            }
            case EXCHANGE_WITHDRAWAL -> {
                BigInteger v = amount(ETHER.multiply(BigInteger.valueOf(5)));
                if (hotEth.compareTo(v.add(ETHER)) < 0) {
                    return null;
                }
                hotEth = hotEth.subtract(v).subtract(gasBound(Devnet.TRANSFER_GAS));
                credits.add(() -> eth[s] = eth[s].add(v));
                return new Tx(hot, me, v, "0x", Devnet.TRANSFER_GAS);
            }
            case WRAP -> {
                BigInteger v = spend(s, eth[s].divide(BigInteger.valueOf(5)), GAS_WETH);
                if (v == null) {
                    return null;
                }
                credits.add(() -> {
                    weth[s] = weth[s].add(v);
                    wethHolders.add(s);
                });
                return new Tx(u, c.weth().address(), v, c.weth().data("deposit"), GAS_WETH);
            }
            case UNWRAP -> {
                BigInteger w = weth[s];
                if (w.signum() == 0 || !afford(s, GAS_WETH)) {
                    return null;
                }
                weth[s] = BigInteger.ZERO;
                wethHolders.remove(s);
                eth[s] = eth[s].subtract(gasBound(GAS_WETH));
                credits.add(() -> eth[s] = eth[s].add(w));
                return new Tx(u, c.weth().address(), BigInteger.ZERO, c.weth().data("withdraw", uint(w)), GAS_WETH);
            }
            case MIXER_DEPOSIT -> {
                if (eth[s].compareTo(denom.add(ETHER)) < 0) {
                    return null;
                }
                eth[s] = eth[s].subtract(denom).subtract(gasBound(GAS_MIXER_DEPOSIT));
                byte[] note = randomBytes32();
                pendingNotes.add(note);
                return mixerDeposit(u, note);
            }
            case MIXER_WITHDRAWAL -> {
                if (innocentNotes.isEmpty()) {
                    return null;
                }
                byte[] note = innocentNotes.removeFirst();
                int to = rnd.nextInt(users.size());
                BigInteger fee = denom.divide(BigInteger.valueOf(200));
                credits.add(() -> eth[to] = eth[to].add(denom.subtract(fee)));
                return new Tx(relayer, c.mixer().address(), BigInteger.ZERO,
                        c.mixer().data("withdraw", bytes32(note), address(userAddr.get(to)), address(Devnet.address(relayer)), uint(fee)), GAS_MIXER_WITHDRAW);
            }
            case BRIDGE -> {
                BigInteger v = spend(s, eth[s].divide(BigInteger.valueOf(6)), GAS_BRIDGE);
                long dest = DESTINATION_CHAINS[rnd.nextInt(DESTINATION_CHAINS.length)];
                return v == null ? null : new Tx(u, c.bridge().address(), v, c.bridge().data("depositETH", uint(dest), address(me)), GAS_BRIDGE);
            }
            case TOKEN_TRANSFER -> {
                if (usd[s].compareTo(USD.multiply(BigInteger.TEN)) < 0 || !afford(s, GAS_TOKEN)) {
                    return null;
                }
                int to = other(s);
                BigInteger a = usd[s].multiply(BigInteger.valueOf(1 + rnd.nextInt(30))).divide(BigInteger.valueOf(100));
                usd[s] = usd[s].subtract(a);
                eth[s] = eth[s].subtract(gasBound(GAS_TOKEN));
                credits.add(() -> usd[to] = usd[to].add(a));
                return new Tx(u, c.stable().address(), BigInteger.ZERO, c.stable().data("transfer", address(userAddr.get(to)), uint(a)), GAS_TOKEN);
            }
            case SPLIT -> {
                // pays two or three others through the splitter: internal transfers, seen only in traces
                int n = 2 + rnd.nextInt(2);
                BigInteger each = spend(s, eth[s].divide(BigInteger.valueOf(10L * n)), GAS_SPLIT);
                if (each == null) {
                    return null;
                }
                eth[s] = eth[s].subtract(each.multiply(BigInteger.valueOf(n - 1)));
                if (eth[s].signum() < 0) {
                    eth[s] = eth[s].add(each.multiply(BigInteger.valueOf(n)));
                    return null;
                }
                List<Address> to = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int r = other(s);
                    to.add(userAddr.get(r));
                    credits.add(() -> eth[r] = eth[r].add(each));
                }
                return new Tx(u, c.splitter().address(), each.multiply(BigInteger.valueOf(n)),
                        c.splitter().data("split", addresses(to), uints(Collections.nCopies(n, each))), GAS_SPLIT);
            }
            case NFT_TRANSFER -> {
                if (collectibles.get(s).isEmpty() || !afford(s, GAS_NFT)) {
                    return null;
                }
                int to = other(s);
                long id = collectibles.get(s).removeFirst();
                eth[s] = eth[s].subtract(gasBound(GAS_NFT));
                credits.add(() -> collectibles.get(to).add(id));
                return new Tx(u, c.collectible().address(), BigInteger.ZERO,
                        c.collectible().data("transferFrom", address(me), address(userAddr.get(to)), uint(id)), GAS_NFT);
            }
            case MULTI_TRANSFER -> {
                long held = multiBalance[s];
                if (held < 2 || !afford(s, GAS_NFT)) {
                    return null;
                }
                int to = other(s);
                long id = multiId(s);
                long a = 1 + rnd.nextInt((int) Math.min(held / 2, 20));
                long b = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt((int) Math.min(held / 2, 20));
                long moved = a + b;
                multiBalance[s] -= moved;
                eth[s] = eth[s].subtract(gasBound(GAS_NFT));
                if (multiId(to) == id) {
                    credits.add(() -> multiBalance[to] += moved);
                }
                if (b == 0) {
                    return new Tx(u, c.multiToken().address(), BigInteger.ZERO, c.multiToken().data("safeTransferFrom", address(me),
                            address(userAddr.get(to)), uint(id), uint(a), Abi.bytes(new byte[0])), GAS_NFT);
                }
                return new Tx(u, c.multiToken().address(), BigInteger.ZERO, c.multiToken().data("safeBatchTransferFrom", address(me),
                        address(userAddr.get(to)), uints(List.of(BigInteger.valueOf(id), BigInteger.valueOf(id))),
                        uints(List.of(BigInteger.valueOf(a), BigInteger.valueOf(b))), Abi.bytes(new byte[0])), GAS_NFT);
            }
            default -> throw new IllegalStateException("unhandled " + kind);
        }
    }

    /** Who acts: for token moves someone known to hold the token, else anyone. -1 if nobody can. */
    private int sender(Noise kind) {
        return switch (kind) {
            case UNWRAP -> wethHolders.isEmpty() ? -1 : pick(new ArrayList<>(wethHolders));
            case NFT_TRANSFER, MULTI_TRANSFER -> 3 * rnd.nextInt((users.size() + 2) / 3);
            default -> rnd.nextInt(users.size());
        };
    }

    private int pick(List<Integer> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    /** Each account trades one ERC-1155 id; transfers to holders of another id are not counted (conservative). */
    private static long multiId(int user) {
        return 1 + user % MULTI_IDS;
    }

    private Tx sweepTx(List<Address> deposits) {
        return new Tx(owner, c.exchange().address(), BigInteger.ZERO, c.exchange().data("sweep", addresses(deposits)), 80_000 + 60_000L * deposits.size());
    }

    private int other(int s) {
        int to = rnd.nextInt(users.size() - 1);
        return to >= s ? to + 1 : to;
    }

    private boolean afford(int s, long gas) {
        return eth[s].compareTo(gasBound(gas).add(ETHER.divide(BigInteger.valueOf(100)))) > 0;
    }

    /** Debits a random amount up to {@code max} plus the gas bound, or returns null if the account cannot afford it. */
    private BigInteger spend(int s, BigInteger max, long gas) {
        if (!afford(s, gas) || max.compareTo(ETHER.divide(BigInteger.valueOf(1000))) < 0) {
            return null;
        }
        BigInteger v = amount(max);
        eth[s] = eth[s].subtract(v).subtract(gasBound(gas));
        if (eth[s].signum() < 0) {
            eth[s] = eth[s].add(v).add(gasBound(gas));
            return null;
        }
        return v;
    }

    /** A random amount in (0, max]: a third of them round to 0.1 ETH, as people send. */
    private BigInteger amount(BigInteger max) {
        BigInteger v = max.multiply(BigInteger.valueOf(1 + rnd.nextInt(1_000_000))).divide(BigInteger.valueOf(1_000_000));
        BigInteger tenth = ETHER.divide(BigInteger.TEN);
        if (rnd.nextInt(3) == 0 && v.compareTo(tenth) >= 0) {
            v = v.divide(tenth).multiply(tenth);
        }
        return v.signum() > 0 ? v : BigInteger.ONE;
    }

    private static BigInteger gasBound(long gas) {
        return FEE_BOUND.multiply(BigInteger.valueOf(gas));
    }

    private byte[] randomBytes32() {
        ByteBuffer b = ByteBuffer.allocate(32);
        for (int i = 0; i < 4; i++) {
            b.putLong(rnd.nextLong());
        }
        return b.array();
    }

    private void step(Kind kind, TransactionReceipt r, Address from, Address to, Asset asset, BigInteger amount, int depth, Category terminal,
            boolean beyond) {
        steps.add(new StoryStep(steps.size(), kind, r.getTransactionHash(), r.getBlockNumber().longValueExact(), from, to, asset, amount, depth,
                terminal, beyond));
    }

    private static Log event(TransactionReceipt r, String signature) {
        String topic = EventEncoder.buildEventSignature(signature);
        return r.getLogs().stream().filter(l -> !l.getTopics().isEmpty() && l.getTopics().getFirst().equals(topic)).findFirst()
                .orElseThrow(() -> new DevnetException("story: no " + signature + " event in " + r.getTransactionHash()));
    }

    private static BigInteger word(String data, int i) {
        String hex = Numeric.cleanHexPrefix(data);
        return new BigInteger(hex.substring(64 * i, 64 * (i + 1)), 16);
    }

    private List<Entity> labels() {
        List<Entity> out = new ArrayList<>();
        for (Address d : customerDeposits) {
            out.add(new Entity(d, "Demo Exchange deposit", Category.EXCHANGE_DEPOSIT, SOURCE, 100));
        }
        for (Address d : hackerDeposits) {
            out.add(new Entity(d, "Demo Exchange deposit", Category.EXCHANGE_DEPOSIT, SOURCE, 100));
        }
        out.add(new Entity(Devnet.address(hot), "Demo Exchange hot wallet", Category.EXCHANGE_HOT_WALLET, SOURCE, 100));
        out.add(new Entity(c.exchange().address(), "Demo Exchange", Category.EXCHANGE, SOURCE, 100));
        out.add(new Entity(c.mixer().address(), "Demo Mixer " + new BigDecimal(cfg.mixerDenomination(), 18).stripTrailingZeros().toPlainString()
                + " ETH", Category.MIXER, SOURCE, 100));
        out.add(new Entity(c.bridge().address(), "Demo Bridge", Category.BRIDGE, SOURCE, 100));
        out.add(new Entity(c.dexPool().address(), "Demo DEX USDX/ETH pool", Category.DEX, SOURCE, 100));
        // wrapping is a 1:1 swap: as a dex the wrapper is never tracked, and the WETH minted back to a tracked
        // depositor in the same transaction carries the taint of the ETH sent in (unwrapping bystanders stay clean)
        out.add(new Entity(c.weth().address(), "Wrapped Ether", Category.DEX, SOURCE, 100));
        return out;
    }

    private Map<String, Address> contracts() {
        Map<String, Address> m = new LinkedHashMap<>();
        for (DeployedContract d : List.of(c.stable(), c.weth(), c.multiToken(), c.collectible(), c.dexPool(), c.mixer(), c.bridge(), c.exchange(),
                c.vault())) {
            m.put(d.name(), d.address());
        }
        m.put("EthSplitter", c.splitter().address());
        m.put("EthSplitter2", c.splitter2().address());
        return m;
    }
}
