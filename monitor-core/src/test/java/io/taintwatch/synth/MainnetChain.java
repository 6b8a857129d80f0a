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
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A synthetic Ethereum-mainnet-shaped chain, deterministic from a seed and calibrated against real ERC-20 transfers
 * (docs/BENCHMARKS.md, "Generator calibration"): heavy-tailed activity per address (Zipf), exchanges whose many
 * deposit addresses (one per customer) sweep to hot wallets and whose hot wallets pay withdrawals, DEX pools and
 * routers (labelled {@code dex}; swaps are legs in and out of a pool in the same transaction), a stablecoin-heavy
 * token mix, recurring counterparties, failed transactions, and EIP-1559 fees (burnt part to the zero address, tip
 * to the block's builder). Some sources are seeded: thefts laundered through fresh mule addresses (fan-out, peel
 * chains, DEX swaps, cash-out into exchange deposits, a mixer or a bridge) and sanctioned addresses paying
 * bystanders.
 *
 * <p>It is generated at the transaction level ({@link Tx}) and turned into legs by the same rules as ingest
 * (docs/ingest.md, "Legs"): the transaction's value, then its token transfers by log index, then the burnt fee and
 * the tip; a failed transaction only pays its fee. So {@link ExportWriter}'s ethereum-etl files replay into exactly
 * the same block records. No internal (trace) transfers are generated.
 */
public final class MainnetChain {
    /**
     * Shape. {@code legsPerBlock} is the mean (blocks vary like mainnet's); {@code launderingPerMillionTx} is how many
     * transactions per million are laundering steps; {@code sanctionedPerMillionTx} sanctioned addresses paying a bystander.
     */
    public record Params(long seed, int legsPerBlock, long users, int depositsPerExchange, int launderingPerMillionTx,
                         int sanctionedPerMillionTx, long firstBlock, long firstTimestamp) {
        public Params {
            if (legsPerBlock < 1 || users < 1000 || depositsPerExchange < 1 || launderingPerMillionTx < 0 || sanctionedPerMillionTx < 0
                || launderingPerMillionTx + sanctionedPerMillionTx > 1_000_000) {
                throw new IllegalArgumentException("invalid synthetic chain parameters: " + this);
            }
        }

        /** Mainnet 1x: 720 legs per 12 s block (60 legs/s); 2,000 laundering transactions per million. */
        public static Params defaults(long seed) {
            return new Params(seed, MAINNET_LEGS_PER_BLOCK, 5_000_000L, 2_000, 2_000, 200, 18_000_000L, 1_700_000_000L);
        }

        public Params withLegsPerBlock(int n) {
            return new Params(seed, n, users, depositsPerExchange, launderingPerMillionTx, sanctionedPerMillionTx, firstBlock, firstTimestamp);
        }

        public Params withLaundering(int perMillionTx) {
            return new Params(seed, legsPerBlock, users, depositsPerExchange, perMillionTx, sanctionedPerMillionTx, firstBlock, firstTimestamp);
        }

        public Params withFirstBlock(long block, long timestamp) {
            return new Params(seed, legsPerBlock, users, depositsPerExchange, launderingPerMillionTx, sanctionedPerMillionTx, block, timestamp);
        }
    }

    /** One ERC-20 {@code Transfer} log of a transaction; {@code logIndex} counts from 0 in the block. */
    public record TokenTransfer(Address token, Address from, Address to, BigInteger value, int logIndex) {}

    /** One transaction: its value, its transfers (none when it failed), gas used and effective gas price. */
    public record Tx(Hash32 hash, int index, long nonce, Address from, Address to, BigInteger value, long gasUsed, BigInteger gasPrice,
                     boolean success, List<TokenTransfer> transfers) {}

    /** A block with its transactions (for export files) and its legs (for Kafka). */
    public record GeneratedBlock(Block block, Address miner, BigInteger baseFee, List<Tx> txs) {}

    /** Ethereum mainnet at 1x: a block every 12 s, about 60 legs per second. */
    public static final int MAINNET_LEGS_PER_BLOCK = 720;
    public static final int BLOCK_SECONDS = 12;

    // address spaces (kinds) of the derived addresses
    private static final int USER = 1, DEPOSIT = 2, HOT = 3, POOL = 4, ROUTER = 5, TOKEN = 6, BUILDER = 7, HACKER = 8, MULE = 9,
        MIXER = 10, BRIDGE = 11, SANCTIONED = 12, BOT = 13, COLD = 14;
    static final int EXCHANGES = 12;
    static final int POOLS = 400;
    static final int ROUTERS = 3;
    static final int BUILDERS = 40;
    static final int THEFTS = 4;
    static final int SANCTIONED_ADDRESSES = 3;
    static final int BOTS = 60;
    static final int TOKENS = 5_000;
    static final int MIXER_POOLS = 4;

    /**
     * Token draws, ranks 1..10 (USDT, WETH, USDC, DAI, then the next six): the real shares of ERC-20 transfers in blocks
     * 12,600,000-12,600,050 divided by 0.89, because about 11% of transfers are the WETH legs of swaps and routes, which
     * take WETH explicitly (so WETH's draw weight is lower). Ranks 11.. follow a Zipf tail; four small stablecoins sit in
     * it at fixed ranks.
     */
    private static final double[] HEAD = {0.2200, 0.0955, 0.0650, 0.0238, 0.0175, 0.0129, 0.0126, 0.0112, 0.0110, 0.0091};
    private static final int[] SMALL_STABLES = {11, 14, 19, 26}; // token ranks (1-based) that are stablecoins too
    private static final double SMALL_STABLES_SHARE = 0.0060;
    /** Ranks 11..50 take this share of draws (real: 14.7% of transfers), the long tail the rest. */
    private static final int MID_TOKENS = 40;
    private static final double MID_SHARE = 0.165;

    private static final BigInteger ETH = BigInteger.TEN.pow(18);
    private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);

    private final ChainId chain;
    private final Params p;
    private final SplittableRandom random;
    private final Zipf users;
    private final Zipf pools;
    private final Zipf exchanges;
    private final Zipf bots;
    private final Zipf builders;
    private final Zipf tokenMid;
    private final Zipf tokenTail;
    private final double[] headCdf;
    private final Address[] tokenCache = new Address[TOKENS + 1];
    private final long[] recentPairs = new long[4096];
    private final long[] recentUsers = new long[2048];
    private final TxBuilder[] recentTxs = new TxBuilder[1024];
    private int recentTxCount;
    private int recentUserCount;
    private int recentCount;
    private final List<Mule> mules = new ArrayList<>();
    private long muleCounter;
    private long number;
    private long timestamp;
    private Hash32 parent;
    private BigInteger baseFee = GWEI.multiply(BigInteger.valueOf(30));
    private long baseFeeGwei100 = 3_000; // hundredths of a gwei: a bounded random walk
    private long txCounter;
    private int logIndex; // block-wide, as on chain

    public MainnetChain(ChainId chain, Params p) {
        this.chain = chain;
        this.p = p;
        this.random = new SplittableRandom(p.seed());
        this.users = new Zipf(p.users(), 0.9);
        this.pools = new Zipf(POOLS, 0.95);
        this.exchanges = new Zipf(EXCHANGES, 0.8);
        this.bots = new Zipf(BOTS, 1.0);
        this.builders = new Zipf(BUILDERS, 1.3);
        this.tokenMid = new Zipf(MID_TOKENS, 0.8);
        this.tokenTail = new Zipf(TOKENS - HEAD.length - MID_TOKENS, 0.8);
        this.headCdf = new double[HEAD.length];
        double c = 0;
        for (int i = 0; i < HEAD.length; i++) {
            c += HEAD[i];
            headCdf[i] = c;
        }
        this.number = p.firstBlock();
        this.timestamp = p.firstTimestamp();
        this.parent = blockHash(p.firstBlock() - 1);
    }

    public ChainId chain() {
        return chain;
    }

    public Params params() {
        return p;
    }

    /** The parent hash of the first block: what a chain that precedes this one must end with ({@link SpreadChain}). */
    public Hash32 firstParentHash() {
        return blockHash(p.firstBlock() - 1);
    }

    /** The address of the user of this popularity rank (1 = the most active; up to {@code params().users()}). */
    public Address userAddress(long rank) {
        return user(rank);
    }

    /** The next block number {@link #next()} will make. */
    public long nextNumber() {
        return number;
    }

    // ------------------------------------------------------------------ who is who

    /** An address of a kind, derived from the seed: distinct per (kind, index), deterministic, no table. */
    private Address address(int kind, long index) {
        long x = mix(p.seed() * 0x9E3779B97F4A7C15L + ((long) kind << 56) + index);
        return new Address(x, mix(x + 0x632BE59BD9B4E019L), (int) mix(x ^ 0x2545F4914F6CDD1DL));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Address token(int rank) {
        Address a = tokenCache[rank];
        if (a == null) {
            a = address(TOKEN, rank);
            tokenCache[rank] = a;
        }
        return a;
    }

    /** WETH: rank 2 of the token mix. */
    public Address weth() {
        return token(2);
    }

    /** USDT, USDC, DAI and four small stablecoins. */
    public Set<Address> stablecoins() {
        Set<Address> s = new LinkedHashSet<>(List.of(token(1), token(3), token(4)));
        for (int r : SMALL_STABLES) {
            s.add(token(r));
        }
        return s;
    }

    /** Addresses an Etherscan-style label list would call "exchange": hot and cold wallets (not customer deposit addresses). */
    public Set<Address> exchangeWallets() {
        Set<Address> s = new LinkedHashSet<>();
        for (int e = 0; e < EXCHANGES; e++) {
            s.add(address(HOT, e));
            s.add(address(COLD, e));
        }
        return s;
    }

    private Address user(long rank) {
        return address(USER, rank);
    }

    private Address pickUser() {
        return user(pickUserRank());
    }

    /** Activity is bursty: a third of the time the user is one seen recently (real repeat-counterparty rates need it). */
    private long pickUserRank() {
        if (recentUserCount > 64 && random.nextInt(100) < 35) {
            return recentUsers[random.nextInt(Math.min(recentUserCount, recentUsers.length))];
        }
        long u = users.sample(random);
        recentUsers[recentUserCount++ % recentUsers.length] = u;
        return u;
    }

    /** A customer's own deposit address at an exchange: the same customer always pays into the same one. */
    private Address depositOf(long userRank, int exchange) {
        return address(DEPOSIT, (long) exchange * p.depositsPerExchange() + Math.floorMod(mix(userRank * 31 + exchange), p.depositsPerExchange()));
    }

    private int pickExchange() {
        return (int) exchanges.sample(random) - 1;
    }

    private Address pool() {
        return address(POOL, pools.sample(random));
    }

    private Address router() {
        return address(ROUTER, random.nextInt(100) < 50 ? 0 : 1 + random.nextInt(ROUTERS - 1));
    }

    /** Seeds: the thefts (valid from the first block) and the sanctioned addresses. */
    public List<Seed> seeds() {
        List<Seed> s = new ArrayList<>();
        for (int i = 0; i < THEFTS; i++) {
            s.add(new Seed(address(HACKER, i), "synthetic:theft-" + i, Category.THEFT, 0, "synthetic chain " + p.seed() + ", theft " + i));
        }
        for (int i = 0; i < SANCTIONED_ADDRESSES; i++) {
            s.add(new Seed(address(SANCTIONED, i), "synthetic:sanctioned-" + i, Category.SANCTIONS, 0,
                "synthetic chain " + p.seed() + ", sanctioned " + i));
        }
        return s;
    }

    /** Labels: every deposit address, hot and cold wallet, DEX pool and router, mixer pool and the bridge. */
    public List<Entity> labels() {
        List<Entity> l = new ArrayList<>();
        for (int e = 0; e < EXCHANGES; e++) {
            String name = "Synthetic Exchange " + e;
            for (int d = 0; d < p.depositsPerExchange(); d++) {
                l.add(new Entity(address(DEPOSIT, (long) e * p.depositsPerExchange() + d), name + " deposit", Category.EXCHANGE_DEPOSIT, "synthetic", 90));
            }
            l.add(new Entity(address(HOT, e), name + " hot wallet", Category.EXCHANGE_HOT_WALLET, "synthetic", 100));
            l.add(new Entity(address(COLD, e), name + " cold wallet", Category.EXCHANGE, "synthetic", 100));
        }
        for (int i = 1; i <= POOLS; i++) {
            l.add(new Entity(address(POOL, i), "Synthetic DEX pool " + i, Category.DEX, "synthetic", 100));
        }
        for (int i = 0; i < ROUTERS; i++) {
            l.add(new Entity(address(ROUTER, i), "Synthetic DEX router " + i, Category.DEX, "synthetic", 100));
        }
        for (int i = 0; i < MIXER_POOLS; i++) {
            l.add(new Entity(address(MIXER, i), "Synthetic mixer pool " + i, Category.MIXER, "synthetic", 100));
        }
        l.add(new Entity(address(BRIDGE, 0), "Synthetic bridge", Category.BRIDGE, "synthetic", 100));
        return l;
    }

    // ------------------------------------------------------------------ blocks

    public Block next() {
        return nextDetailed().block();
    }

    /** The next block with its transactions. */
    public GeneratedBlock nextDetailed() {
        // block fullness varies: some nearly empty blocks, most around the target (real p10/p50 ~0.3, p90/p50 ~1.25)
        double factor = random.nextInt(100) < 20 ? 0.05 + 0.40 * random.nextDouble() : 0.9 + 0.4 * random.nextDouble();
        int target = Math.max(1, (int) Math.round(p.legsPerBlock() * factor / 0.93));
        Address miner = address(BUILDER, builders.sample(random));
        stepBaseFee();
        logIndex = 0;
        List<Tx> txs = new ArrayList<>(target / 3 + 4);
        List<Leg> legs = new ArrayList<>(target + 64);
        while (legs.size() < target) {
            Tx tx = transaction(txs.size());
            txs.add(tx);
            legsOf(tx, miner, legs);
        }
        Hash32 hash = blockHash(number);
        Block b = new Block(chain, number, hash, parent, timestamp, legs, null);
        GeneratedBlock g = new GeneratedBlock(b, miner, baseFee, Collections.unmodifiableList(txs));
        parent = hash;
        number++;
        timestamp += BLOCK_SECONDS;
        return g;
    }

    private Hash32 blockHash(long n) {
        return new Hash32(mix(p.seed() ^ 0xB10CL) ^ n, mix(n + p.seed()), mix(n * 3 + 1), mix(n * 7 + 2));
    }

    private void stepBaseFee() {
        // EIP-1559 moves the base fee by at most 12.5% per block
        long step = baseFeeGwei100 / 8;
        baseFeeGwei100 = Math.max(500, Math.min(30_000, baseFeeGwei100 + (step == 0 ? 0 : random.nextLong(-step, step + 1))));
        baseFee = GWEI.multiply(BigInteger.valueOf(baseFeeGwei100)).divide(BigInteger.valueOf(100)).add(BigInteger.valueOf(random.nextInt(1_000_000)));
    }

    /** Legs of a transaction by the ingest's rules: value, token transfers by log index, burnt fee, tip. */
    private void legsOf(Tx tx, Address miner, List<Leg> legs) {
        int sub = 0;
        if (tx.success()) {
            if (tx.value().signum() > 0) {
                legs.add(new Leg(new Position(number, tx.index(), sub++), LegKind.NATIVE, tx.hash(), tx.from(), tx.to(), Asset.NATIVE, tx.value()));
            }
            for (TokenTransfer t : tx.transfers()) {
                legs.add(new Leg(new Position(number, tx.index(), sub++), LegKind.ERC20, tx.hash(), t.from(), t.to(), Asset.token(t.token()), t.value()));
            }
        }
        BigInteger gas = BigInteger.valueOf(tx.gasUsed());
        BigInteger total = gas.multiply(tx.gasPrice());
        BigInteger burnt = gas.multiply(baseFee).min(total);
        BigInteger tip = total.subtract(burnt);
        if (burnt.signum() > 0) {
            legs.add(new Leg(new Position(number, tx.index(), sub++), LegKind.FEE, tx.hash(), tx.from(), Address.ZERO, Asset.NATIVE, burnt));
        }
        if (tip.signum() > 0) {
            legs.add(new Leg(new Position(number, tx.index(), sub), LegKind.FEE, tx.hash(), tx.from(), miner, Asset.NATIVE, tip));
        }
    }

    // ------------------------------------------------------------------ transactions

    /** Builds one transaction; its transfers get log indexes later, in order. */
    private final class TxBuilder {
        Address from;
        Address to;
        BigInteger value = BigInteger.ZERO;
        long gas = 21_000;
        boolean mayFail = true;
        final List<Address[]> moves = new ArrayList<>(4);
        final List<BigInteger> amounts = new ArrayList<>(4);
        final List<Address> tokens = new ArrayList<>(4);

        void transfer(Address token, Address a, Address b, BigInteger amount) {
            tokens.add(token);
            moves.add(new Address[] {a, b});
            amounts.add(amount);
        }
    }

    private Tx transaction(int index) {
        TxBuilder t = new TxBuilder();
        int r = random.nextInt(1_000_000);
        if (r < p.launderingPerMillionTx()) {
            launder(t);
            t.mayFail = false; // the mule bookkeeping assumes the step happened
        } else if (r < p.launderingPerMillionTx() + p.sanctionedPerMillionTx()) {
            t.from = address(SANCTIONED, random.nextInt(SANCTIONED_ADDRESSES));
            t.to = pickUser();
            t.value = ethAmount();
        } else {
            int kind = random.nextInt(1000);
            if (kind < 260) {
                tokenTransaction(t);
            } else if (kind < 700) {
                nativeTransaction(t);
            } else {
                // a contract call moving nothing (approvals, NFT mints without value, governance...): fees only
                t.from = pickUser();
                t.to = random.nextInt(3) == 0 ? router() : address(TOKEN, 1 + tokenTail.sample(random));
                t.gas = 45_000 + random.nextInt(250_000);
            }
        }
        boolean success = !t.mayFail || random.nextInt(1000) >= 30; // ~3% of mainnet transactions revert (fees only)
        long gas = success ? t.gas : 25_000 + random.nextInt(150_000);
        List<TokenTransfer> transfers = new ArrayList<>(t.moves.size());
        if (success) {
            logIndex += random.nextInt(3); // some other (non-transfer) logs come first
            for (int i = 0; i < t.moves.size(); i++) {
                transfers.add(new TokenTransfer(t.tokens.get(i), t.moves.get(i)[0], t.moves.get(i)[1], t.amounts.get(i), logIndex));
                logIndex += 1 + (random.nextInt(4) == 0 ? 1 : 0);
            }
        }
        long c = ++txCounter;
        Hash32 hash = new Hash32(mix(p.seed() * 17 + c), mix(c ^ 0x7A7A7A7AL), mix(c * 5 + number), mix(c + (number << 20)));
        return new Tx(hash, index, c & 0xFFFF, t.from, t.to, t.value, gas, baseFee.add(tip()), success, List.copyOf(transfers));
    }

    private BigInteger tip() {
        if (random.nextInt(10) == 0) {
            return BigInteger.ZERO;
        }
        // log-uniform 0.01 .. 5 gwei
        return BigInteger.valueOf((long) (1e7 * Math.pow(500, random.nextDouble())));
    }

    private void nativeTransaction(TxBuilder t) {
        int k = random.nextInt(100);
        t.value = ethAmount();
        if (k < 52) {
            pair(t);
        } else if (k < 67) {
            long u = pickUserRank();
            t.from = user(u);
            t.to = depositOf(u, pickExchange());
        } else if (k < 82) {
            t.from = address(HOT, pickExchange());
            t.to = pickUser();
        } else if (k < 88) {
            sweep(t, pickExchange());
        } else if (k < 95) {
            int e = pickExchange();
            t.from = address(HOT, e);
            t.to = address(COLD, e);
            t.value = t.value.multiply(BigInteger.valueOf(50));
        } else {
            // ETH into a DEX: the router wraps it and the pool pays out a token (two token legs)
            t.from = pickUser();
            t.to = router();
            Address pool = pool();
            t.transfer(weth(), t.to, pool, t.value);
            t.transfer(tokenOtherThan(weth()), pool, t.from, tokenAmount(null));
            t.gas = 110_000 + random.nextInt(110_000);
        }
    }

    private void tokenTransaction(TxBuilder t) {
        if (recentTxCount > 32 && random.nextInt(100) < 12) {
            // bots, market makers and routine payers repeat the same transfers again and again
            TxBuilder r = recentTxs[random.nextInt(Math.min(recentTxCount, recentTxs.length))];
            t.from = r.from;
            t.to = r.to;
            t.gas = r.gas;
            for (int i = 0; i < r.moves.size(); i++) {
                t.transfer(r.tokens.get(i), r.moves.get(i)[0], r.moves.get(i)[1], tokenAmount(r.tokens.get(i)));
            }
            return;
        }
        recentTxs[recentTxCount++ % recentTxs.length] = t;
        int k = random.nextInt(1000);
        t.gas = 35_000 + random.nextInt(30_000);
        if (k < 350) {
            pair(t);
            Address token = token();
            t.transfer(token, t.from, t.to, tokenAmount(token));
            t.to = token; // a token transfer is a call to the token contract
        } else if (k < 480) {
            long u = pickUserRank();
            t.from = user(u);
            Address token = token();
            t.transfer(token, t.from, depositOf(u, pickExchange()), tokenAmount(token));
            t.to = token;
        } else if (k < 580) {
            t.from = address(HOT, pickExchange());
            Address token = token();
            t.transfer(token, t.from, pickUser(), tokenAmount(token));
            t.to = token;
        } else if (k < 640) {
            int e = pickExchange();
            Address token = token();
            Address d = address(DEPOSIT, (long) e * p.depositsPerExchange() + random.nextInt(p.depositsPerExchange()));
            t.from = address(HOT, e); // the exchange pays the gas of a token sweep
            t.transfer(token, d, address(HOT, e), tokenAmount(token));
            t.to = d;
        } else if (k < 717) {
            // liquidity and staking deposits: one transfer into a pool
            t.from = pickUser();
            Address token = token();
            t.transfer(token, t.from, pool(), tokenAmount(token));
            t.to = router();
            t.gas = 120_000 + random.nextInt(80_000);
        } else if (k < 837) {
            // token-to-token swap through one pool, or out to ETH through the router
            t.from = pickUser();
            t.to = router();
            Address pool = pool();
            Address in = token();
            t.transfer(in, t.from, pool, tokenAmount(in));
            if (random.nextInt(3) == 0) {
                t.transfer(weth(), pool, t.to, tokenAmount(weth()));
            } else {
                Address out = tokenOtherThan(in);
                t.transfer(out, pool, t.from, tokenAmount(out));
            }
            t.gas = 110_000 + random.nextInt(110_000);
        } else if (k < 917) {
            // two-pool route
            t.from = pickUser();
            t.to = router();
            Address p1 = pool();
            Address p2 = pool();
            Address a = token();
            t.transfer(a, t.from, p1, tokenAmount(a));
            t.transfer(weth(), p1, p2, tokenAmount(weth()));
            Address b = tokenOtherThan(weth());
            t.transfer(b, p2, t.from, tokenAmount(b));
            t.gas = 180_000 + random.nextInt(120_000);
        } else {
            // batch payout (exchange withdrawals, payroll, airdrop bots): 3 legs and a geometric tail, at most 28
            t.from = random.nextInt(3) == 0 ? address(HOT, pickExchange()) : address(BOT, bots.sample(random));
            Address token = token();
            t.to = token;
            int n = 3;
            while (n < 28 && random.nextInt(100) < 65) {
                n++;
            }
            for (int i = 0; i < n; i++) {
                t.transfer(token, t.from, pickUser(), tokenAmount(token));
            }
            t.gas = 30_000 + 27_000L * n;
        }
    }

    /** An ordinary payment's sender and recipient: often a pair seen recently (people pay the same people again). */
    private void pair(TxBuilder t) {
        if (recentCount > 64 && random.nextInt(100) < 30) {
            long packed = recentPairs[random.nextInt(Math.min(recentCount, recentPairs.length))];
            t.from = user(packed >>> 32);
            t.to = user(packed & 0xFFFF_FFFFL);
            return;
        }
        long a = pickUserRank();
        long b = pickUserRank();
        if (a < (1L << 32) && b < (1L << 32)) {
            recentPairs[recentCount++ % recentPairs.length] = (a << 32) | b;
        }
        t.from = user(a);
        t.to = user(b);
    }

    private void sweep(TxBuilder t, int exchange) {
        t.from = address(DEPOSIT, (long) exchange * p.depositsPerExchange() + random.nextInt(p.depositsPerExchange()));
        t.to = address(HOT, exchange);
    }

    private Address token() {
        double u = random.nextDouble();
        for (int i = 0; i < headCdf.length; i++) {
            if (u < headCdf[i]) {
                return token(i + 1);
            }
        }
        double rest = u - headCdf[headCdf.length - 1];
        if (rest < SMALL_STABLES_SHARE) {
            return token(SMALL_STABLES[(int) (rest / SMALL_STABLES_SHARE * SMALL_STABLES.length)]);
        }
        if (rest < SMALL_STABLES_SHARE + MID_SHARE) {
            return token(HEAD.length + (int) tokenMid.sample(random));
        }
        return token(HEAD.length + MID_TOKENS + (int) tokenTail.sample(random));
    }

    private Address tokenOtherThan(Address a) {
        Address b = token();
        return b.equals(a) ? token(1).equals(a) ? token(3) : token(1) : b;
    }

    private BigInteger ethAmount() {
        // log-uniform 0.001 .. 300 ETH
        double eth = Math.pow(10, -3 + 5.5 * random.nextDouble());
        return BigInteger.valueOf((long) (eth * 1e9)).multiply(GWEI);
    }

    /** Stablecoins in 6-decimal units ($1 .. $1M), others 18 decimals; a few zero-value transfers (poisoning) too. */
    private BigInteger tokenAmount(Address token) {
        if (random.nextInt(1000) < 3) {
            return BigInteger.ZERO;
        }
        double units = Math.pow(10, 6 * random.nextDouble());
        if (token != null && (token.equals(token(1)) || token.equals(token(3)))) {
            return BigInteger.valueOf((long) (units * 1e6));
        }
        return BigInteger.valueOf((long) (units * 1e6)).multiply(BigInteger.TEN.pow(12));
    }

    // ------------------------------------------------------------------ laundering

    /** A mule holding stolen funds of one asset. */
    private record Mule(Address address, int theft, Address token, BigInteger amount, int hops) {}

    private Address mule() {
        return address(MULE, muleCounter++);
    }

    private void launder(TxBuilder t) {
        if (mules.size() < 24 || random.nextInt(10) == 0) {
            // fan-out: a theft sends a slice of the loot (ETH or a stablecoin) to a fresh address
            int theft = random.nextInt(THEFTS);
            Address m = mule();
            t.from = address(HACKER, theft);
            t.gas = 21_000;
            if (random.nextInt(3) == 0) {
                BigInteger amount = BigInteger.valueOf(50_000 + random.nextInt(950_000)).multiply(BigInteger.valueOf(1_000_000));
                t.to = token(1);
                t.gas = 50_000;
                t.transfer(token(1), t.from, m, amount);
                mules.add(new Mule(m, theft, token(1), amount, 1));
            } else {
                t.to = m;
                t.value = ETH.multiply(BigInteger.valueOf(10 + random.nextInt(190)));
                mules.add(new Mule(m, theft, null, t.value, 1));
            }
            return;
        }
        Mule m = mules.remove(random.nextInt(mules.size()));
        t.from = m.address();
        int k = random.nextInt(100);
        if (m.hops() >= 2 && (k < 35 || m.hops() >= 5)) {
            cashOut(t, m);
        } else if (k < 75) {
            // peel chain: most to a fresh address, the rest stays behind
            BigInteger keep = m.amount().multiply(BigInteger.valueOf(5 + random.nextInt(10))).divide(BigInteger.valueOf(100));
            BigInteger move = m.amount().subtract(keep);
            Address next = mule();
            send(t, m, next, move);
            mules.add(new Mule(next, m.theft(), m.token(), move, m.hops() + 1));
        } else {
            // swap through a DEX pool in one transaction: the asset changes, the taint follows (DEX rule)
            Address pool = pool();
            t.to = router();
            t.gas = 150_000;
            Address out = m.token() == null || !m.token().equals(token(1)) ? token(1) : weth();
            BigInteger got = out.equals(token(1)) ? BigInteger.valueOf(1_000 + random.nextInt(1_000_000)).multiply(BigInteger.valueOf(1_000_000))
                : ETH.multiply(BigInteger.valueOf(1 + random.nextInt(100)));
            if (m.token() == null) {
                t.value = m.amount();
                t.transfer(weth(), t.to, pool, m.amount());
            } else {
                t.transfer(m.token(), m.address(), pool, m.amount());
            }
            t.transfer(out, pool, m.address(), got);
            mules.add(new Mule(m.address(), m.theft(), out, got, m.hops() + 1));
        }
    }

    private void cashOut(TxBuilder t, Mule m) {
        int k = random.nextInt(100);
        if (k < 65) {
            send(t, m, depositOf(mix(m.address().hi()) & 0xFFFF_FFFFL, pickExchange()), m.amount());
        } else if (k < 85 && m.token() == null) {
            // mixers take fixed denominations: deposit one note of 10 or 100 ETH (the rest stays behind)
            BigInteger note = ETH.multiply(BigInteger.valueOf(m.amount().compareTo(ETH.multiply(BigInteger.valueOf(100))) >= 0 ? 100 : 10));
            send(t, m, address(MIXER, random.nextInt(MIXER_POOLS)), note.min(m.amount()));
        } else {
            send(t, m, address(BRIDGE, 0), m.amount());
        }
    }

    private void send(TxBuilder t, Mule m, Address to, BigInteger amount) {
        if (m.token() == null) {
            t.to = to;
            t.value = amount;
            t.gas = 21_000;
        } else {
            t.to = m.token();
            t.transfer(m.token(), m.address(), to, amount);
            t.gas = 50_000;
        }
    }
}
