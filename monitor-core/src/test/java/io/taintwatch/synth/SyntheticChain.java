package io.taintwatch.synth;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic EVM chain for benchmarks and tests: a heavy-tailed population of ordinary
 * addresses trading a stablecoin-heavy token mix, exchange deposit addresses that sweep to hot wallets,
 * gas fees on every transaction, and a few thefts laundered through fresh addresses into exchange
 * deposits, so that about {@code taintedShare} of legs touch a tainted address.
 */
public final class SyntheticChain {
    /** Shape of the chain. {@code taintedPerMillion} legs per million are laundering legs. */
    public record Params(long seed, int population, int legsPerBlock, int exchanges, int depositsPerExchange, int thefts,
                         int taintedPerMillion) {
        public static Params defaults(long seed) {
            return new Params(seed, 200_000, 300, 10, 200, 4, 1_000);
        }
    }

    private static final BigInteger ETHER = BigInteger.TEN.pow(18);
    private final ChainId chain;
    private final Params p;
    private final SplittableRandom random;
    private final Address[] population;
    private final Address[] deposits;
    private final Address[] hotWallets;
    private final Address[] hackers;
    private final Asset[] tokens;
    private final Address miner;
    private final List<Address> mules = new ArrayList<>();
    private long number;
    private Hash32 parent = Hash32.ZERO;
    private long timestamp = 1_700_000_000L;
    private long txCounter;

    public SyntheticChain(ChainId chain, Params p, long firstBlock) {
        this.chain = chain;
        this.p = p;
        this.random = new SplittableRandom(p.seed());
        this.population = addresses(p.population(), 1);
        this.deposits = addresses(p.exchanges() * p.depositsPerExchange(), 2);
        this.hotWallets = addresses(p.exchanges(), 3);
        this.hackers = addresses(p.thefts(), 4);
        this.miner = addresses(1, 5)[0];
        this.tokens = new Asset[] {Asset.NATIVE, Asset.token(addresses(1, 6)[0]), Asset.token(addresses(1, 7)[0]),
            Asset.token(addresses(1, 8)[0]), Asset.token(addresses(1, 9)[0])};
        this.number = firstBlock;
    }

    private Address[] addresses(int n, int kind) {
        Address[] a = new Address[n];
        for (int i = 0; i < n; i++) {
            a[i] = new Address(((long) kind << 56) | 0x5eed_0000_0000L, p.seed() * 31 + i, i * 0x9E3779B9);
        }
        return a;
    }

    /** Seeds for the thefts, valid from the first block. */
    public List<Seed> seeds() {
        List<Seed> s = new ArrayList<>();
        for (int i = 0; i < hackers.length; i++) {
            s.add(new Seed(hackers[i], "synthetic:theft-" + i, Category.THEFT, 0, "synthetic chain seed " + p.seed()));
        }
        return s;
    }

    /** Labels: every deposit address and hot wallet of the synthetic exchanges. */
    public List<Entity> labels() {
        List<Entity> l = new ArrayList<>();
        for (int i = 0; i < deposits.length; i++) {
            l.add(new Entity(deposits[i], "Exchange " + (i / p.depositsPerExchange()) + " deposit", Category.EXCHANGE_DEPOSIT, "synthetic", 100));
        }
        for (int i = 0; i < hotWallets.length; i++) {
            l.add(new Entity(hotWallets[i], "Exchange " + i + " hot wallet", Category.EXCHANGE_HOT_WALLET, "synthetic", 100));
        }
        return l;
    }

    public Block next() {
        List<Leg> legs = new ArrayList<>(p.legsPerBlock() + 8);
        int tx = 0;
        while (legs.size() < p.legsPerBlock()) {
            Hash32 txHash = txHash();
            if (p.legsPerBlock() - legs.size() < 3) {
                // fill the block to its exact size with plain transfers (benchmarks count legs per block)
                legs.add(leg(tx++, 0, LegKind.NATIVE, txHash, pick(), pick(), Asset.NATIVE, amount()));
                continue;
            }
            int sub = 0;
            Address sender;
            if (random.nextInt(1_000_000) < p.taintedPerMillion() * 2) {
                sender = launder(legs, tx, txHash);
                sub = 1;
            } else if (random.nextInt(20) == 0) {
                // a deposit address sweeping to its exchange's hot wallet
                int d = random.nextInt(deposits.length);
                sender = deposits[d];
                legs.add(leg(tx, sub++, LegKind.ERC20, txHash, sender, hotWallets[d / p.depositsPerExchange()], token(), amount()));
            } else {
                sender = pick();
                Asset a = token();
                Address to = random.nextInt(8) == 0 ? deposits[random.nextInt(deposits.length)] : pick();
                legs.add(leg(tx, sub++, a.isNative() ? LegKind.NATIVE : LegKind.ERC20, txHash, sender, to, a, amount()));
                if (random.nextInt(4) == 0) {
                    legs.add(leg(tx, sub++, LegKind.ERC20, txHash, to, pick(), token(), amount()));
                }
            }
            legs.add(leg(tx, sub, LegKind.FEE, txHash, sender, miner, Asset.NATIVE, BigInteger.valueOf(21_000L * (1 + random.nextInt(50)) * 1_000_000_000L)));
            tx++;
        }
        Hash32 hash = new Hash32(0xb10c_0000_0000_0000L | number, p.seed(), number * 7, 0);
        Block b = new Block(chain, number, hash, parent, timestamp, legs, null);
        parent = hash;
        number++;
        timestamp += 12;
        return b;
    }

    /** One laundering leg: a theft fanning out, a mule passing on most of what it got, or a deposit. */
    private Address launder(List<Leg> legs, int tx, Hash32 txHash) {
        Address from;
        Address to;
        int r = random.nextInt(10);
        if (mules.isEmpty() || r < 2) {
            from = hackers[random.nextInt(hackers.length)];
            to = fresh();
            mules.add(to);
        } else {
            from = mules.get(random.nextInt(mules.size()));
            if (r < 7) {
                to = fresh();
                mules.add(to);
            } else {
                to = deposits[random.nextInt(deposits.length)];
            }
        }
        if (mules.size() > 5_000) {
            mules.subList(0, 1_000).clear();
        }
        legs.add(leg(tx, 0, LegKind.NATIVE, txHash, from, to, Asset.NATIVE, ETHER.multiply(BigInteger.valueOf(1 + random.nextInt(10)))));
        return from;
    }

    private Address fresh() {
        return new Address(0x0f7e_5500_0000_0000L | random.nextInt(1 << 30), random.nextLong(), random.nextInt());
    }

    /** Zipf-like: a few addresses are very active, most rarely. */
    private Address pick() {
        double u = random.nextDouble();
        int i = (int) (Math.pow(u, 3) * population.length);
        return population[Math.min(i, population.length - 1)];
    }

    private Asset token() {
        int r = random.nextInt(100);
        return r < 30 ? tokens[0] : r < 60 ? tokens[1] : r < 80 ? tokens[2] : r < 92 ? tokens[3] : tokens[4];
    }

    private BigInteger amount() {
        return BigInteger.valueOf(1 + random.nextLong(1_000_000_000L)).multiply(BigInteger.valueOf(1_000_000_000L));
    }

    private Hash32 txHash() {
        long c = ++txCounter;
        return new Hash32(0x7a00_0000_0000_0000L | c, p.seed(), c * 0x9E3779B97F4A7C15L, number);
    }

    private Leg leg(int tx, int sub, LegKind kind, Hash32 txHash, Address from, Address to, Asset asset, BigInteger amount) {
        return new Leg(new Position(number, tx, sub), kind, txHash, from, to, asset, amount);
    }
}
