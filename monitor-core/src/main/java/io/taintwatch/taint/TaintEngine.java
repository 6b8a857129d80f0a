package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Block;
import io.taintwatch.model.BlockLegs;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.TokenRegistry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The taint engine for one chain: a pure function of its input (blocks in chain order, seeds, labels)
 * and configuration. No wall clock, no I/O, no floating point. State exists only for tracked addresses;
 * a leg that touches no tracked address or source costs a probe of the address index per side and allocates nothing.
 *
 * <p>The semantics (sources, hops, opening balances, policies, cut-offs, terminals, the DEX rule, fees, untracking) are
 * stated in docs/architecture.md, "Taint semantics"; docs/tokens.md says which legs carry no taint (counterfeit and,
 * optionally, unverified assets; unbacked token transfers).
 */
public final class TaintEngine {
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);
    private static final int MAX_PATHS_PER_FLOW = 5;

    private final ChainId chain;
    private final TaintConfig config;
    private final boolean fifo;
    private final boolean poison;

    private final TrackedAccounts accounts;
    private final HashMap<Address, ActiveSeed> sources = new HashMap<>();
    private final HashMap<Address, Entity> labels = new HashMap<>();
    private final TokenRegistry tokens;
    // the tracked addresses and the sources, probed without allocation by passOver's callers; the accounts are read
    // only for addresses in it
    private final AddressIndex index = new AddressIndex();
    private final TreeMap<String, Long> sourceSince = new TreeMap<>();
    private final SourceLedgers ledgers;
    private long lastBlock = -1;
    private Hash32 lastHash;
    private long dustCuts;
    private long hopCuts;

    // per-block scratch
    private final HashSet<Address> dirty = new HashSet<>();
    // holdings opened in this block: their balance comes from the block itself, so it shows nothing was held before
    private final java.util.Set<Holding> openedInBlock = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final TreeSet<String> dirtyLedgers = new TreeSet<>();
    private final HashMap<Address, Swap> swaps = new HashMap<>();
    private BlockLegs block;
    private final BlockLegs.AddressSet indexed = this::mayBeAffectedBy;
    private List<TaintFlow> flows;

    /** A seed and the block from which it is in effect. */
    public record ActiveSeed(Seed seed, long effectiveFrom) {
    }

    /**
     * What processing one block produced: flows in leg order, what changed of the tracked addresses' records (by
     * address; to persist), and the sources whose ledgers changed (to persist).
     */
    public record BlockResult(long block, boolean skipped, List<TaintFlow> flows, List<AccountChange> accounts,
                              List<String> ledgersChanged) {
    }

    public TaintEngine(ChainId chain, TaintConfig config) {
        this(chain, config, NativeAsset.defaultFor(chain));
    }

    /** An engine whose token registry starts with the given native asset (and its wrapped forms) and no tokens. */
    public TaintEngine(ChainId chain, TaintConfig config, NativeAsset nativeAsset) {
        this(chain, config, nativeAsset, TrackedAccounts.inMemory(), SourceLedgers.inMemory());
    }

    /**
     * An engine keeping its accounts and ledgers where {@code accounts} and {@code ledgers} do (both empty, or restored:
     * {@link #restoreTracked} then adds each tracked address to the index).
     */
    public TaintEngine(ChainId chain, TaintConfig config, NativeAsset nativeAsset, TrackedAccounts accounts, SourceLedgers ledgers) {
        this.chain = chain;
        this.config = config;
        this.accounts = accounts;
        this.ledgers = ledgers;
        this.tokens = new TokenRegistry(chain, nativeAsset);
        this.fifo = config.policy() == PolicyKind.FIFO;
        this.poison = config.policy() == PolicyKind.POISON;
    }

    public ChainId chain() {
        return chain;
    }

    public TaintConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- seeds and labels

    /**
     * Makes {@code seed.address()} a source. It takes effect from its valid-from block, but never before the
     * next block this engine processes (a live seed's history is covered by a replay).
     */
    public ActiveSeed putSeed(Seed seed) {
        ActiveSeed current = sources.get(seed.address());
        if (current != null && current.seed().equals(seed)) {
            return current;
        }
        long effective = Math.max(seed.validFrom(), lastBlock + 1);
        ActiveSeed a = new ActiveSeed(seed, effective);
        restoreSeed(a);
        return a;
    }

    /** Restores a seed exactly as it was persisted. */
    public void restoreSeed(ActiveSeed a) {
        if (sources.put(a.seed().address(), a) == null) {
            index.add(a.seed().address(), AddressIndex.SOURCE);
        }
        sourceSince.merge(a.seed().sourceId(), a.effectiveFrom(), Math::min);
    }

    /** A tombstone on the watchlist: the address stops being a source from the next block. */
    public boolean removeSeed(Address address) {
        if (sources.remove(address) == null) {
            return false;
        }
        index.remove(address, AddressIndex.SOURCE);
        return true;
    }

    public void putLabel(Entity e) {
        labels.put(e.address(), e);
    }

    public boolean removeLabel(Address a) {
        return labels.remove(a) != null;
    }

    /**
     * The chain's token registry: declared tokens (lists, the user's CSV) and metadata seen on chain, fed like labels
     * (changes take effect from the next leg processed, in practice the next block).
     */
    public TokenRegistry tokens() {
        return tokens;
    }

    /** How many addresses are labelled. */
    public int labelCount() {
        return labels.size();
    }

    public Map<Address, ActiveSeed> seeds() {
        return Collections.unmodifiableMap(sources);
    }

    // ---------------------------------------------------------------- state access (restore, tests, metrics)

    /** Restores an account into the engine's accounts (in memory: its whole state) and its index. */
    public void restoreAccount(Account a) {
        if (account(a.address()) == null) {
            index.add(a.address(), AddressIndex.TRACKED);
        }
        accounts.add(a);
    }

    /** Restores a tracked address into the index only: its account stays where {@link TrackedAccounts} keeps it. */
    public void restoreTracked(Address a) {
        index.add(a, AddressIndex.TRACKED);
    }

    public void restorePosition(long block, Hash32 hash) {
        this.lastBlock = block;
        this.lastHash = hash;
    }

    /** Restores a ledger (from a record that held it with others: it is written again, as a record of its own). */
    public void restoreLedger(String source, Asset asset, SourceLedger l) {
        ledgersFor(source).put(asset, l);
        l.changed = true;
        ledgers.changed(source, asset);
    }

    public long lastBlock() {
        return lastBlock;
    }

    public Hash32 lastHash() {
        return lastHash;
    }

    /** The account of a tracked address, or null. */
    public Account account(Address a) {
        return index.contains(a, AddressIndex.TRACKED) ? accounts.get(a) : null;
    }

    /** Carries dropped as dust since this engine started (a count of cut-offs, for metrics; amounts are in the ledgers). */
    public long dustCuts() {
        return dustCuts;
    }

    /** Carries cut at the hop limit since this engine started. */
    public long hopCuts() {
        return hopCuts;
    }

    public int trackedCount() {
        return accounts.size();
    }

    public Iterable<Account> accounts() {
        return accounts.all();
    }

    /** Every source's ledgers (tests and diagnostics; {@link #ledgersOf} reads one source's). */
    public Map<String, TreeMap<Asset, SourceLedger>> ledgers() {
        return ledgers.all();
    }

    /** A source's ledgers by asset (a read-only view; empty when it has none). */
    public Map<Asset, SourceLedger> ledgersOf(String source) {
        TreeMap<Asset, SourceLedger> byAsset = ledgers.get(source);
        return byAsset == null ? Map.of() : Collections.unmodifiableMap(byAsset);
    }

    private TreeMap<Asset, SourceLedger> ledgersFor(String source) {
        TreeMap<Asset, SourceLedger> byAsset = ledgers.get(source);
        if (byAsset == null) {
            byAsset = new TreeMap<>();
            ledgers.add(source, byAsset);
        }
        return byAsset;
    }

    /** Heap bytes of the index of tracked addresses and sources. */
    public long indexBytes() {
        return index.bytes();
    }

    /** Sum of {@code T[s]} held by tracked addresses in {@code asset}. */
    public BigInteger held(String source, Asset asset) {
        BigInteger sum = BigInteger.ZERO;
        for (Account a : accounts.all()) {
            Holding h = a.holdings.get(asset);
            if (h != null) {
                sum = sum.add(h.taintOf(source));
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- processing

    /**
     * Processes the next block. A block at or below the last processed one is skipped (a duplicate
     * delivery); a parent hash that does not match the last processed block is a reorg below the
     * confirmation depth and fails. Only the legs whose sender or recipient is tracked or a source at that point of
     * the block (the index grows as the block makes addresses tracked) are asked of {@code b}; the others change
     * nothing.
     */
    public BlockResult process(BlockLegs b) {
        BlockResult skipped = admit(b.chain(), b.number(), b.parentHash());
        if (skipped != null) {
            return skipped;
        }
        this.block = b;
        this.flows = new ArrayList<>();
        openedInBlock.clear();
        int tx = -1;
        for (int i = 0, n = b.legCount(); i < n; i++) {
            if (!b.legTouches(i, indexed)) {
                continue;
            }
            Leg leg = b.leg(i);
            if (leg.position().txIndex() != tx) {
                // a swap's offer holds within its transaction (legs skipped above never read or change swaps)
                tx = leg.position().txIndex();
                if (!swaps.isEmpty()) {
                    swaps.clear();
                }
            }
            Address from = leg.from();
            Account a = account(from);
            ActiveSeed src = sources.isEmpty() ? null : sources.get(from);
            if (a == null && (src == null || src.effectiveFrom() > b.number())) {
                Account r = account(leg.to());
                if (r != null) {
                    inflow(r, leg, i);
                }
                continue;
            }
            outflow(a, src != null && src.effectiveFrom() <= b.number() ? src.seed().sourceId() : null, leg, i);
        }
        swaps.clear();
        List<AccountChange> changes = new ArrayList<>();
        for (Address d : new TreeSet<>(dirty)) {
            Account acc = account(d);
            if (acc == null) {
                continue;
            }
            acc.countChanges();
            if (acc.isClean()) {
                accounts.remove(d);
                index.remove(d, AddressIndex.TRACKED);
                if (acc.stored) {
                    changes.add(AccountChange.removal(d, storedHoldings(acc)));
                }
            } else {
                AccountChange c = prune(acc);
                if (c != null) {
                    changes.add(c);
                }
            }
        }
        dirty.clear();
        List<TaintFlow> out = flows;
        this.flows = null;
        this.block = null;
        lastBlock = b.number();
        lastHash = b.hash();
        List<String> ledgersChanged = List.copyOf(dirtyLedgers);
        dirtyLedgers.clear();
        return new BlockResult(b.number(), false, out, changes, ledgersChanged);
    }

    /**
     * Whether a leg from or to this address might change the engine's state: a superset of the tracked
     * addresses and the sources. A block none of whose senders and recipients is in it can be passed over
     * ({@link #passOver}) without building its legs.
     */
    public boolean mayBeAffectedBy(long hi, long mid, int lo) {
        return index.contains(hi, mid, lo);
    }

    /**
     * Processes a block of which the caller has checked that no leg's sender or recipient satisfies
     * {@link #mayBeAffectedBy}: such a block changes nothing but the engine's position, so this gives exactly
     * what {@link #process} gives for it (the same skip and reorg checks included) without its legs.
     */
    public BlockResult passOver(ChainId blockChain, long number, Hash32 hash, Hash32 parentHash) {
        BlockResult skipped = admit(blockChain, number, parentHash);
        if (skipped != null) {
            return skipped;
        }
        lastBlock = number;
        lastHash = hash;
        return new BlockResult(number, false, List.of(), List.of(), List.of());
    }

    /** Null when the block is next in line; the skipped result for a block already processed; throws otherwise. */
    private BlockResult admit(ChainId blockChain, long number, Hash32 parentHash) {
        if (!blockChain.equals(chain)) {
            throw new IllegalArgumentException("block " + number + " is for chain " + blockChain.name() + ", engine is for " + chain.name());
        }
        if (number <= lastBlock) {
            return new BlockResult(number, true, List.of(), List.of(), List.of());
        }
        if (lastHash != null && number == lastBlock + 1 && !lastHash.equals(Hash32.ZERO)
            && !parentHash.equals(Hash32.ZERO) && !parentHash.equals(lastHash)) {
            throw new ReorgException(chain, number, parentHash, lastHash);
        }
        return null;
    }

    private void outflow(Account a, String ownSource, Leg leg, int legIndex) {
        BigInteger v = leg.amount();
        if (v.signum() == 0 || leg.from().equals(leg.to())) {
            return;
        }
        Asset x = leg.asset();
        // read before takeOut opens a holding: whether the sender is known to hold the asset (a holding an earlier leg of
        // this block opened, e.g. a forged transfer to another lookalike, is not known: its opening balance is inferred)
        Holding before = a == null ? null : a.holdings.get(x);
        boolean held = before != null && before.balance.signum() > 0 && !openedInBlock.contains(before);
        TreeMap<String, BigInteger> carry = new TreeMap<>();
        TreeMap<String, Integer> hopOf = new TreeMap<>();
        BalanceBasis basis = BalanceBasis.SOURCE;
        if (ownSource != null) {
            carry.put(ownSource, v);
            hopOf.put(ownSource, 1);
            ledger(ownSource, x).left = ledger(ownSource, x).left.add(v);
        }
        if (a != null && ownSource != null) {
            // a source's outflow is wholly its own; what it held of other sources is absorbed by it
            TreeMap<String, BigInteger> absorbed = new TreeMap<>();
            takeOut(holding(a, x, legIndex), v, ownSource, absorbed);
            absorbed.forEach((s, c) -> ledger(s, x).toSource = ledger(s, x).toSource.add(c));
            dirty.add(a.address);
        } else if (a != null) {
            Holding h = holding(a, x, legIndex);
            takeOut(h, v, null, carry);
            basis = h.basis;
            for (String s : carry.keySet()) {
                if (!s.equals(ownSource)) {
                    Integer hop = a.hops.get(s);
                    hopOf.put(s, hop == null ? 1 : hop + 1);
                }
            }
            dirty.add(a.address);
        }
        carry.values().removeIf(c -> c.signum() == 0);
        Account r = account(leg.to());
        if (carry.isEmpty()) {
            if (r != null) {
                inflow(r, leg, legIndex);
            }
            return;
        }
        SkipReason skip = skipReason(held, leg, legIndex);
        if (skip != null) {
            // what it would have carried is counted, not propagated; the recipient's balance still moves
            for (Map.Entry<String, BigInteger> e : carry.entrySet()) {
                SourceLedger l = ledger(e.getKey(), x);
                switch (skip) {
                    case COUNTERFEIT -> l.counterfeit = l.counterfeit.add(e.getValue());
                    case UNVERIFIED -> l.unverified = l.unverified.add(e.getValue());
                    case UNBACKED -> l.unbacked = l.unbacked.add(e.getValue());
                }
            }
            flows.add(flow(leg, carry, hopOf, FlowKind.SKIPPED, labels.get(leg.to()), basis, List.of(), skip));
            if (r != null) {
                credit(r, x, v, Map.of(), legIndex);
            }
            return;
        }
        if (leg.kind() == LegKind.FEE) {
            carry.forEach((s, c) -> ledger(s, x).fees = ledger(s, x).fees.add(c));
            if (r != null) {
                credit(r, x, v, Map.of(), legIndex);
            }
            return;
        }
        Entity entity = labels.get(leg.to());
        if (entity != null && entity.category() == Category.DEX) {
            Swap sw = swaps.computeIfAbsent(leg.from(), k -> new Swap());
            for (Map.Entry<String, BigInteger> e : carry.entrySet()) {
                ledger(e.getKey(), x).dexIn = ledger(e.getKey(), x).dexIn.add(e.getValue());
                sw.offer(e.getKey(), e.getValue(), v, hopOf.get(e.getKey()) - 1,
                    pathTo(a, ownSource, e.getKey(), leg, e.getValue()));
            }
            flows.add(flow(leg, carry, hopOf, FlowKind.DEX_IN, entity, basis, List.of(), null));
            return;
        }
        TreeMap<String, BigInteger> kept = cutOffs(carry, hopOf, x, v);
        if (kept.isEmpty()) {
            if (r != null) {
                inflow(r, leg, legIndex);
            }
            return;
        }
        if (entity != null && config.terminalCategories().contains(entity.category())) {
            List<TaintPath> paths = new ArrayList<>();
            for (String s : largestFirst(kept)) {
                ledger(s, x).delivered = ledger(s, x).delivered.add(kept.get(s));
                if (paths.size() < MAX_PATHS_PER_FLOW) {
                    Provenance p = pathTo(a, ownSource, s, leg, kept.get(s));
                    paths.add(new TaintPath(s, p.path().get(0).from(), p.path(), p.complete()));
                }
            }
            paths.sort((p1, p2) -> p1.sourceId().compareTo(p2.sourceId()));
            flows.add(flow(leg, kept, hopOf, FlowKind.TERMINAL, entity, basis, paths, null));
            return;
        }
        if (activeSource(leg.to()) != null) {
            // taint reaching a source address (its own or another's) is absorbed there: a source is wholly
            // tainted by its own source anyway, and holding other sources' taint would let T exceed B downstream
            kept.forEach((s, c) -> ledger(s, x).toSource = ledger(s, x).toSource.add(c));
            flows.add(flow(leg, kept, hopOf, FlowKind.TRACKED, entity, basis, List.of(), null));
            if (r != null) {
                credit(r, x, v, Map.of(), legIndex);
            }
            return;
        }
        if (r == null) {
            r = new Account(leg.to());
            accounts.add(r);
            index.add(leg.to(), AddressIndex.TRACKED);
        }
        credit(r, x, v, kept, legIndex);
        for (Map.Entry<String, BigInteger> e : kept.entrySet()) {
            String s = e.getKey();
            r.mergeHop(s, hopOf.get(s));
            r.addProvenance(s, pathTo(a, ownSource, s, leg, e.getValue()), config.provenanceK());
        }
        flows.add(flow(leg, kept, hopOf, FlowKind.TRACKED, entity, basis, List.of(), null));
    }

    /** An inflow to a tracked address from an untainted sender: dilution, or the return leg of a DEX swap. */
    private void inflow(Account r, Leg leg, int legIndex) {
        BigInteger v = leg.amount();
        if (v.signum() == 0 || leg.from().equals(leg.to())) {
            return;
        }
        if (!swaps.isEmpty()) {
            Swap sw = swaps.get(r.address);
            Entity e = labels.get(leg.from());
            if (sw != null && e != null && e.category() == Category.DEX && leg.kind() != LegKind.FEE) {
                swapReturn(r, sw, e, leg, legIndex);
                return;
            }
        }
        credit(r, leg.asset(), v, Map.of(), legIndex);
    }

    private void swapReturn(Account r, Swap sw, Entity dex, Leg leg, int legIndex) {
        BigInteger v = leg.amount();
        Asset x = leg.asset();
        TreeMap<String, BigInteger> carry = new TreeMap<>();
        TreeMap<String, Integer> hopOf = new TreeMap<>();
        for (Map.Entry<String, Swap.Share> e : sw.shares.entrySet()) {
            Swap.Share sh = e.getValue();
            BigInteger c = v.multiply(sh.carry).divide(sh.amount);
            if (c.signum() > 0) {
                carry.put(e.getKey(), c);
                // the swap is not a hop: the taint stays with the same holder
                hopOf.put(e.getKey(), Math.max(1, sh.hop));
            }
        }
        TreeMap<String, BigInteger> kept = cutOffs(carry, hopOf, x, v);
        credit(r, x, v, kept, legIndex);
        for (Map.Entry<String, BigInteger> e : kept.entrySet()) {
            String s = e.getKey();
            ledger(s, x).dexOut = ledger(s, x).dexOut.add(e.getValue());
            r.mergeHop(s, hopOf.get(s));
            Swap.Share sh = sw.shares.get(s);
            List<PathHop> path = new ArrayList<>(sh.pathIn.path());
            path.add(hop(leg, e.getValue()));
            r.addProvenance(s, bounded(path, sh.pathIn.complete()), config.provenanceK());
        }
        if (!kept.isEmpty()) {
            flows.add(flow(leg, kept, hopOf, FlowKind.DEX_OUT, dex, r.holdings.get(x).basis, List.of(), null));
        }
        dirty.add(r.address);
    }

    /** Applies the dust and hop cut-offs; what is cut is counted in the ledger, never silently lost. */
    private TreeMap<String, BigInteger> cutOffs(TreeMap<String, BigInteger> carry, Map<String, Integer> hopOf, Asset x, BigInteger v) {
        TreeMap<String, BigInteger> kept = new TreeMap<>();
        BigInteger dust = config.dustFor(x);
        for (Map.Entry<String, BigInteger> e : carry.entrySet()) {
            String s = e.getKey();
            BigInteger c = e.getValue();
            if (hopOf.get(s) > config.maxHops()) {
                ledger(s, x).hopCut = ledger(s, x).hopCut.add(c);
                hopCuts++;
            } else if (c.compareTo(dust) < 0
                || c.multiply(MILLION).compareTo(v.multiply(BigInteger.valueOf(config.minSharePpm()))) < 0) {
                ledger(s, x).dust = ledger(s, x).dust.add(c);
                dustCuts++;
            } else {
                kept.put(s, c);
            }
        }
        return kept;
    }

    /**
     * What taking {@code part} of {@code whole} (part < whole) takes of each source's taint, {@code skip} excepted:
     * {@code floor(part * T[s] / whole)}. With several sources the floors can leave more taint than the
     * {@code whole - part} that remains (each floor drops a fraction); then the sources with the largest dropped
     * fractions (ties: source id order) give one unit more each until {@code sum T <= B} holds again.
     */
    static Map<String, BigInteger> proRata(Map<String, BigInteger> taint, BigInteger part, BigInteger whole, String skip) {
        TreeMap<String, BigInteger> take = new TreeMap<>();
        List<Map.Entry<String, BigInteger>> fractions = new ArrayList<>();
        BigInteger left = BigInteger.ZERO;
        for (Map.Entry<String, BigInteger> e : taint.entrySet()) {
            if (e.getKey().equals(skip)) {
                left = left.add(e.getValue());
                continue;
            }
            BigInteger[] qr = part.multiply(e.getValue()).divideAndRemainder(whole);
            take.put(e.getKey(), qr[0]);
            left = left.add(e.getValue().subtract(qr[0]));
            if (qr[1].signum() > 0) {
                fractions.add(Map.entry(e.getKey(), qr[1]));
            }
        }
        // how much more the floors leave than remains; usually negative (taint below balance), at most the fractions dropped
        BigInteger over = left.subtract(whole.subtract(part));
        if (over.signum() > 0) {
            int excess = over.min(BigInteger.valueOf(fractions.size())).intValueExact();
            fractions.sort(Map.Entry.<String, BigInteger>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            for (int i = 0; i < excess; i++) {
                take.merge(fractions.get(i).getKey(), BigInteger.ONE, BigInteger::add);
            }
        }
        return take;
    }

    /** Removes {@code v} from a holding and adds what it carries per source to {@code carry}. */
    private void takeOut(Holding h, BigInteger v, String skip, TreeMap<String, BigInteger> carry) {
        BigInteger b = h.balance;
        switch (config.policy()) {
            case HAIRCUT -> {
                boolean all = b.signum() <= 0 || v.compareTo(b) >= 0;
                Map<String, BigInteger> share = all ? null : proRata(h.taint, v, b, skip);
                for (Iterator<Map.Entry<String, BigInteger>> it = h.taint.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, BigInteger> e = it.next();
                    if (e.getKey().equals(skip)) {
                        continue;
                    }
                    BigInteger c = all ? e.getValue() : share.get(e.getKey());
                    carry.merge(e.getKey(), c, BigInteger::add);
                    BigInteger rest = e.getValue().subtract(c);
                    if (rest.signum() == 0) {
                        it.remove();
                    } else {
                        e.setValue(rest);
                    }
                }
                h.balance = b.subtract(v).max(BigInteger.ZERO);
            }
            case POISON -> {
                for (String s : h.poisoned) {
                    if (!s.equals(skip)) {
                        carry.merge(s, v, BigInteger::add);
                    }
                }
                h.balance = b.subtract(v).max(BigInteger.ZERO);
                poisonAll(h);
            }
            case FIFO -> {
                BigInteger rem = v;
                while (rem.signum() > 0 && !h.lots.isEmpty()) {
                    Holding.Lot lot = h.lots.peekFirst();
                    BigInteger take = rem.min(lot.amount);
                    boolean whole = take.equals(lot.amount);
                    Map<String, BigInteger> share = whole ? null : proRata(lot.taint, take, lot.amount, null);
                    for (Iterator<Map.Entry<String, BigInteger>> it = lot.taint.entrySet().iterator(); it.hasNext(); ) {
                        Map.Entry<String, BigInteger> e = it.next();
                        BigInteger c = whole ? e.getValue() : share.get(e.getKey());
                        if (!e.getKey().equals(skip)) {
                            carry.merge(e.getKey(), c, BigInteger::add);
                        }
                        h.taint.computeIfPresent(e.getKey(), (k, t) -> t.subtract(c).signum() == 0 ? null : t.subtract(c));
                        BigInteger rest = e.getValue().subtract(c);
                        if (rest.signum() == 0) {
                            it.remove();
                        } else {
                            e.setValue(rest);
                        }
                    }
                    lot.amount = lot.amount.subtract(take);
                    if (lot.amount.signum() == 0) {
                        h.lots.pollFirst();
                    }
                    rem = rem.subtract(take);
                }
                h.balance = b.subtract(v).max(BigInteger.ZERO);
            }
        }
    }

    /** Adds {@code v} with the given taint to a tracked address's holding. */
    private void credit(Account r, Asset x, BigInteger v, Map<String, BigInteger> taint, int legIndex) {
        Holding h = holding(r, x, legIndex);
        h.balance = h.balance.add(v);
        switch (config.policy()) {
            case HAIRCUT -> taint.forEach((s, c) -> h.taint.merge(s, c, BigInteger::add));
            case POISON -> {
                h.poisoned.addAll(taint.keySet());
                poisonAll(h);
            }
            case FIFO -> {
                Holding.Lot last = h.lots.peekLast();
                if (taint.isEmpty() && last != null && last.taint.isEmpty()) {
                    last.amount = last.amount.add(v);
                } else {
                    h.lots.addLast(new Holding.Lot(v, new TreeMap<>(taint)));
                }
                taint.forEach((s, c) -> h.taint.merge(s, c, BigInteger::add));
            }
        }
        dirty.add(r.address);
    }

    /** Under poison every source that ever reached a holding owns all of its balance. */
    private static void poisonAll(Holding h) {
        for (String s : h.poisoned) {
            if (h.balance.signum() > 0) {
                h.taint.put(s, h.balance);
            } else {
                h.taint.remove(s);
            }
        }
    }

    /**
     * The holding of {@code x}, about to change (so marked changed), opened on first use at its balance just before
     * the current leg: the end-of-block balance minus the address's net legs in this block at or after that leg when
     * the block carries balances, else zero.
     */
    private Holding holding(Account acc, Asset x, int legIndex) {
        // the counts of held sources are taken before the block changes the first holding
        acc.held();
        Holding h = acc.holdings.get(x);
        if (h != null) {
            if (!h.changed) {
                h.changed = true;
                h.before = h.sources();
                acc.changedAssets.add(x);
            }
            return h;
        }
        BigInteger opening = BigInteger.ZERO;
        BalanceBasis basis = BalanceBasis.ZERO;
        BigInteger end = block.balanceOf(acc.address, x);
        if (end != null) {
            BigInteger net = BigInteger.ZERO;
            Address a = acc.address;
            BlockLegs.AddressSet self = (hi, mid, lo) -> hi == a.hi() && mid == a.mid() && lo == a.lo();
            for (int j = legIndex; j < block.legCount(); j++) {
                if (!block.legTouches(j, self)) {
                    continue;
                }
                Leg l = block.leg(j);
                if (!l.asset().equals(x) || l.from().equals(l.to())) {
                    continue;
                }
                if (l.to().equals(acc.address)) {
                    net = net.add(l.amount());
                }
                if (l.from().equals(acc.address)) {
                    net = net.subtract(l.amount());
                }
            }
            opening = end.subtract(net).max(BigInteger.ZERO);
            basis = BalanceBasis.END_OF_BLOCK;
        }
        h = new Holding(opening, basis, fifo, poison);
        h.changed = true;
        h.before = h.sources();
        acc.changedAssets.add(x);
        acc.holdings.put(x, h);
        openedInBlock.add(h);
        return h;
    }

    /** The path of this leg for source {@code s}: the sender's best provenance path plus this hop. */
    private Provenance pathTo(Account sender, String ownSource, String s, Leg leg, BigInteger tainted) {
        List<PathHop> path = new ArrayList<>();
        boolean complete = true;
        if (!s.equals(ownSource)) {
            Provenance p = sender == null ? null : sender.bestProvenance(s);
            if (p == null) {
                complete = false;
            } else {
                path.addAll(p.path());
                complete = p.complete();
            }
        }
        path.add(hop(leg, tainted));
        return bounded(path, complete);
    }

    private static Provenance bounded(List<PathHop> path, boolean complete) {
        if (path.size() > TaintConfig.MAX_PATH_HOPS) {
            path = new ArrayList<>(path.subList(path.size() - TaintConfig.MAX_PATH_HOPS, path.size()));
            complete = false;
        }
        BigInteger t = path.get(path.size() - 1).tainted();
        return new Provenance(t, List.copyOf(path), complete);
    }

    private PathHop hop(Leg leg, BigInteger tainted) {
        return new PathHop(leg.position(), leg.txHash(), block.timestamp(), leg.from(), leg.to(), leg.asset(), leg.amount(), tainted);
    }

    private TaintFlow flow(Leg leg, Map<String, BigInteger> carry, Map<String, Integer> hopOf, FlowKind kind, Entity entity,
                           BalanceBasis basis, List<TaintPath> paths, SkipReason skip) {
        List<SourceShare> shares = new ArrayList<>(carry.size());
        carry.forEach((s, c) -> shares.add(new SourceShare(s, c, hopOf.get(s), sourceSince.getOrDefault(s, 0L))));
        return new TaintFlow(chain, leg.position(), block.timestamp(), leg.kind(), leg.txHash(), leg.from(), leg.to(), leg.asset(),
            leg.amount(), shares, config.policy(), kind, entity, basis, paths, tokens.status(leg.asset()), tokens.reason(leg.asset()), skip);
    }

    /**
     * Why an outflow that would carry taint carries none, or null: its asset is counterfeit; it is unverified and only
     * verified assets carry taint; or it is an unbacked token transfer ({@link #unbacked}).
     */
    private SkipReason skipReason(boolean held, Leg leg, int legIndex) {
        if (leg.asset().isNative()) {
            return null;
        }
        TokenStatus status = tokens.status(leg.asset());
        if (status == TokenStatus.COUNTERFEIT) {
            return SkipReason.COUNTERFEIT;
        }
        if (status == TokenStatus.UNVERIFIED && config.assets() == AssetScope.VERIFIED) {
            return SkipReason.UNVERIFIED;
        }
        return !held && unbacked(leg, legIndex) ? SkipReason.UNBACKED : null;
    }

    /**
     * Whether a token transfer from a sender with no tracked holding of the token is unbacked: a Transfer log (ERC-20,
     * 721, 1155; native, internal, WETH and fee legs cannot be forged by a third party) whose sender's end-of-block
     * balance of the token is in the block and below the amount, which the sender neither received earlier in the
     * block nor moved in a transaction it sent (paid the fee of). Any contract can emit {@code Transfer(from = X)}
     * without X signing anything; these are the tests that such an event moved nothing X had.
     */
    private boolean unbacked(Leg leg, int legIndex) {
        LegKind k = leg.kind();
        if (k != LegKind.ERC20 && k != LegKind.ERC721 && k != LegKind.ERC1155) {
            return false;
        }
        Address s = leg.from();
        BigInteger end = block.balanceOf(s, leg.asset());
        if (end == null || end.compareTo(leg.amount()) >= 0) {
            return false;
        }
        BlockLegs.AddressSet self = (hi, mid, lo) -> hi == s.hi() && mid == s.mid() && lo == s.lo();
        int tx = leg.position().txIndex();
        for (int j = 0, n = block.legCount(); j < n; j++) {
            if (!block.legTouches(j, self)) {
                continue;
            }
            Leg l = block.leg(j);
            if (l.kind() == LegKind.FEE && l.from().equals(s) && l.position().txIndex() == tx) {
                return false;
            }
            if (j < legIndex && l.to().equals(s) && !l.from().equals(s) && l.asset().equals(leg.asset())) {
                return false;
            }
        }
        return true;
    }

    private String activeSource(Address a) {
        if (sources.isEmpty()) {
            return null;
        }
        ActiveSeed src = sources.get(a);
        return src != null && src.effectiveFrom() <= block.number() ? src.seed().sourceId() : null;
    }

    private SourceLedger ledger(String s, Asset x) {
        dirtyLedgers.add(s);
        SourceLedger l = ledgersFor(s).computeIfAbsent(x, k -> new SourceLedger());
        if (!l.changed) {
            l.changed = true;
            ledgers.changed(s, x);
        }
        return l;
    }

    /**
     * Forgets hops and provenance of sources the account no longer holds and clean empty holdings, and says which of
     * the account's records the block changed (null: none). The records are then taken as written. An account restored
     * from a version-1 record has its header and every holding written: its header overwrites the v1 record.
     */
    private static AccountChange prune(Account acc) {
        boolean header = acc.hops.keySet().removeIf(s -> !acc.holds(s)) | acc.provenance.keySet().removeIf(s -> !acc.holds(s))
            | acc.headerChanged | !acc.stored | acc.legacy;
        List<Asset> written = new ArrayList<>();
        List<Asset> deleted = new ArrayList<>();
        // only the holdings the block changed can be written or emptied; a version-1 account writes every holding
        List<Asset> assets = acc.legacy ? new ArrayList<>(acc.holdings.keySet()) : acc.changedAssets;
        if (!acc.legacy) {
            assets.sort(null);
        }
        for (Asset x : assets) {
            Holding h = acc.holdings.get(x);
            if (h.isClean() && h.balance.signum() == 0) {
                acc.holdings.remove(x);
                if (h.stored) {
                    deleted.add(x);
                }
            } else if (h.changed || !h.stored) {
                written.add(x);
                h.stored = true;
            }
            h.changed = false;
            h.before = null;
        }
        acc.changedAssets.clear();
        acc.stored = true;
        acc.legacy = false;
        acc.headerChanged = false;
        // e.g. an outflow in an asset the account never held opens an empty holding that is pruned at once
        boolean any = header || !written.isEmpty() || !deleted.isEmpty();
        return any ? new AccountChange(acc.address, false, header, written, deleted) : null;
    }

    /** The holdings of an account about to be removed that have records of their own (sorted). */
    private static List<Asset> storedHoldings(Account acc) {
        List<Asset> out = new ArrayList<>();
        acc.holdings.forEach((x, h) -> {
            if (h.stored) {
                out.add(x);
            }
        });
        return out;
    }

    private static List<String> largestFirst(Map<String, BigInteger> m) {
        List<String> keys = new ArrayList<>(m.keySet());
        keys.sort((a, b) -> {
            int c = m.get(b).compareTo(m.get(a));
            return c != 0 ? c : a.compareTo(b);
        });
        return keys;
    }

    /** What a tracked address sent into a DEX within the current transaction, per source: the largest share. */
    private static final class Swap {
        final TreeMap<String, Share> shares = new TreeMap<>();

        record Share(BigInteger carry, BigInteger amount, int hop, Provenance pathIn) {
        }

        void offer(String s, BigInteger carry, BigInteger amount, int hop, Provenance pathIn) {
            Share cur = shares.get(s);
            if (cur == null || carry.multiply(cur.amount).compareTo(cur.carry.multiply(amount)) > 0) {
                shares.put(s, new Share(carry, amount, hop, pathIn));
            }
        }
    }
}
