package io.taintwatch.synth;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Blocks that leave exactly {@code tracked} addresses holding taint, spread the way haircut taint spreads from a large
 * theft: each of four thefts pays a slice of its loot to fresh addresses, each of which keeps a tenth and pays the rest
 * on to the same number of addresses, hop after hop, up to six hops (the engine's default limit); the fan-out is the
 * smallest that reaches {@code tracked} addresses within six hops. Half of the addresses that pay nothing on (the last
 * hop) are users of {@code population}'s chain, so that the {@link MainnetChain} these blocks precede touches some of them.
 * Every payment is a transaction of three legs (its value, the burnt fee, the tip), as on chain; amounts stay far above
 * the dust threshold, so every recipient stays tracked. The blocks end right before {@code population}'s first block,
 * the last one with the hash that block names as its parent. Deterministic from the seed.
 */
public final class SpreadChain {
    /** The thefts the taint spreads from. */
    public static final int SOURCES = 4;
    /** The hops it spreads over: the engine's default limit. */
    public static final int HOPS = 6;
    private static final int SPREAD = 101;
    private static final BigInteger ETH = BigInteger.TEN.pow(18);
    private static final BigInteger BURNT = BigInteger.valueOf(21_000L * 20_000_000_000L);
    private static final BigInteger TIP = BigInteger.valueOf(21_000L * 1_000_000_000L);

    private final ChainId chain;
    private final MainnetChain population;
    private final long tracked;
    private final long seed;
    private final int fanOut;
    private final int txPerBlock;
    private final BigInteger[] amountAtHop = new BigInteger[HOPS + 1];
    private final BitSet usersTaken = new BitSet();
    private final SplittableRandom random;
    private final long blocks;
    private final long firstBlock;
    private final Address builder;
    private long next; // the next recipient, 0-based
    private long number;
    private Hash32 parent;

    /**
     * @param legsPerBlock about how many legs a block holds (three per payment)
     */
    public SpreadChain(ChainId chain, MainnetChain population, long tracked, int legsPerBlock, long seed) {
        if (tracked < 1) {
            throw new IllegalArgumentException("a spread needs at least one tracked address, not " + tracked);
        }
        this.chain = chain;
        this.population = population;
        this.tracked = tracked;
        this.seed = seed;
        this.random = new SplittableRandom(seed ^ 0x5EED5EEDL);
        int f = 1;
        while (reach(f) < tracked) {
            f++;
        }
        this.fanOut = f;
        this.txPerBlock = Math.max(1, legsPerBlock / 3);
        // a hop's recipients each get what a recipient of the hop before passes on, split between its fan-out
        amountAtHop[1] = ETH.multiply(BigInteger.valueOf(20_000));
        for (int h = 2; h <= HOPS; h++) {
            amountAtHop[h] = amountAtHop[h - 1].multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(10L * fanOut));
        }
        this.blocks = (tracked + txPerBlock - 1) / txPerBlock;
        this.firstBlock = population.params().firstBlock() - blocks;
        this.number = firstBlock;
        this.parent = hash(firstBlock - 1);
        this.builder = address(0, -1);
    }

    /** Addresses within {@link #HOPS} hops of the sources with this fan-out. */
    private static long reach(long f) {
        long n = 0;
        long level = SOURCES;
        for (int h = 1; h <= HOPS && n < Long.MAX_VALUE / 4; h++) {
            level = Math.min(Long.MAX_VALUE / 4, level * f);
            n += level;
        }
        return n;
    }

    public ChainId chain() {
        return chain;
    }

    /** How many addresses the blocks leave tracked. */
    public long tracked() {
        return tracked;
    }

    public int fanOut() {
        return fanOut;
    }

    /** How many blocks there are. */
    public long blocks() {
        return blocks;
    }

    public long firstBlock() {
        return firstBlock;
    }

    /** The thefts, valid from the first block. */
    public List<Seed> seeds() {
        List<Seed> s = new ArrayList<>();
        for (int i = 0; i < SOURCES; i++) {
            s.add(new Seed(address(i, 0), "synthetic:spread-" + i, Category.THEFT, 0, "spread " + seed + ", theft " + i));
        }
        return s;
    }

    public boolean hasNext() {
        return next < tracked;
    }

    public Block next() {
        if (!hasNext()) {
            throw new IllegalStateException("the spread's " + blocks + " blocks are all made");
        }
        List<Leg> legs = new ArrayList<>(3 * txPerBlock);
        for (int tx = 0; tx < txPerBlock && next < tracked; tx++, next++) {
            long node = SOURCES + next;
            long from = (node - SOURCES) / fanOut;
            Address sender = from < SOURCES ? address((int) from, 0) : address(SOURCES, from);
            Hash32 txHash = new Hash32(MainnetChain.mix(seed * 31 + node), MainnetChain.mix(node ^ 0x7E7EL), MainnetChain.mix(node * 3 + number), node);
            legs.add(new Leg(new Position(number, tx, 0), LegKind.NATIVE, txHash, sender, recipient(node), Asset.NATIVE, amountAtHop[hop(node)]));
            legs.add(new Leg(new Position(number, tx, 1), LegKind.FEE, txHash, sender, Address.ZERO, Asset.NATIVE, BURNT));
            legs.add(new Leg(new Position(number, tx, 2), LegKind.FEE, txHash, sender, builder, Asset.NATIVE, TIP));
        }
        Hash32 hash = number == firstBlock + blocks - 1 ? population.firstParentHash() : hash(number);
        long time = population.params().firstTimestamp() - (firstBlock + blocks - number) * MainnetChain.BLOCK_SECONDS;
        Block b = new Block(chain, number, hash, parent, time, legs, null);
        parent = hash;
        number++;
        return b;
    }

    /** The hop at which a node receives: the sources are nodes 0..3, node n's payer is (n - 4) / fan-out. */
    private int hop(long node) {
        int h = 0;
        for (long n = node; n >= SOURCES; n = (n - SOURCES) / fanOut) {
            h++;
        }
        return h;
    }

    /** A node that pays nothing on is a user of the population half of the time (each user once), else a fresh address. */
    private Address recipient(long node) {
        // node n's recipients are nodes 4 + n * fanOut + c (c < fanOut), and the recipients are nodes 4 .. 3 + tracked
        boolean paysOn = node * fanOut < tracked;
        if (!paysOn && random.nextBoolean()) {
            long users = population.params().users();
            for (int attempt = 0; attempt < 4; attempt++) {
                long rank = 1 + random.nextLong(users);
                if (rank <= Integer.MAX_VALUE && !usersTaken.get((int) rank)) {
                    usersTaken.set((int) rank);
                    return population.userAddress(rank);
                }
            }
        }
        return address(SOURCES, node);
    }

    private Address address(int kind, long index) {
        long x = MainnetChain.mix(seed * 0x9E3779B97F4A7C15L + ((long) (SPREAD + kind) << 56) + index);
        return new Address(x, MainnetChain.mix(x + 0x632BE59BD9B4E019L), (int) MainnetChain.mix(x ^ 0x2545F4914F6CDD1DL));
    }

    private Hash32 hash(long n) {
        return new Hash32(MainnetChain.mix(seed ^ 0x5B10CL) ^ n, MainnetChain.mix(n + seed * 7), MainnetChain.mix(n * 5 + 3), MainnetChain.mix(n * 11 + 4));
    }
}
