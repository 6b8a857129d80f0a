package io.taintwatch.alerts.rules;

import io.taintwatch.alerts.AlertIds;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertHop;
import io.taintwatch.model.AlertLookalike;
import io.taintwatch.model.AlertPath;
import io.taintwatch.model.AlertPolicy;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSeen;
import io.taintwatch.model.AlertSkipped;
import io.taintwatch.model.AlertSource;
import io.taintwatch.model.AlertStatus;
import io.taintwatch.model.AlertTotal;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.tokens.Token;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the rules on one taint flow or one block and returns single-leg alert candidates; the
 * {@link AlertAggregator} folds candidates of the same group into versions of one alert. Pure: no clock, no I/O
 * beyond the {@link Lookups} and, for the lookalike rules on blocks, the {@link CounterpartyMemory}.
 */
public final class RuleEngine {
    private static final BigInteger PPM = BigInteger.valueOf(1_000_000);

    private final RulesConfig config;
    private final Lookups lookups;
    private final SeverityScorer scorer;
    private final CounterpartyMemory memory;

    /** Rules without the lookalike rules (the flow rules, and tests of the others). */
    public RuleEngine(RulesConfig config, Lookups lookups) {
        this(config, lookups, null);
    }

    /** @param memory the counterparty memory the block rules keep for the lookalike rules; null: those rules do not run */
    public RuleEngine(RulesConfig config, Lookups lookups, CounterpartyMemory memory) {
        this.config = config;
        this.lookups = lookups;
        this.scorer = new SeverityScorer(config.severity());
        this.memory = memory;
    }

    /** Tainted share {@code part / whole} in parts per million, rounded down; 0 when the whole is 0. */
    public static long ppm(BigInteger part, BigInteger whole) {
        if (whole.signum() == 0) {
            return 0;
        }
        return Math.min(1_000_000, part.multiply(PPM).divide(whole).longValueExact());
    }

    /** The rules that taint flows can see: arrivals at services and our deposits, watchlist movements, outgoing sanctioned legs. */
    public List<Candidate> onFlow(TaintFlow f) {
        List<Candidate> out = new ArrayList<>();
        if (f.legKind() == LegKind.FEE) {
            return out; // gas leaves the graph; it is neither an arrival nor a movement of funds
        }
        if (f.kind() == FlowKind.SKIPPED) {
            // a counterfeit asset or an unbacked transfer carried nothing: no alert opens on it (docs/tokens.md); the
            // sender's movement alert names it
            skippedNote(f, out);
            return out;
        }
        ChainId chain = f.chain();
        Entity toEnt = f.recipientEntity() != null ? f.recipientEntity() : lookups.entity(f.to());
        Entity fromEnt = lookups.entity(f.from());
        TokenAmount amount = flowAmount(f, f.amount());
        AlertPolicy policy = f.policy() == null ? null : new AlertPolicy(f.policy(), config.policyParameters(), f.senderBasis());
        String legId = legId(chain, f.txHash(), f.position());

        AlertRule arrival = arrivalRule(f, toEnt);
        if (arrival != null) {
            RuleThresholds th = config.thresholds(arrival);
            for (SourceShare s : f.shares()) {
                long share = ppm(s.amount(), f.amount());
                if (!th.passes(chain, f.asset(), s.amount(), share, s.hop())) {
                    continue;
                }
                TaintPath tp = pathOf(f, s.sourceId());
                Seed seed = seedOf(s.sourceId(), tp);
                Category srcCat = seed == null ? null : seed.category();
                Scored sc = arrival == AlertRule.OWN_DEPOSIT_TAINTED
                    ? scorer.ownDeposit(srcCat, share, s.hop())
                    : scorer.arrival(srcCat, toEnt == null ? null : toEnt.category(), share, s.hop(), chain, f.asset(), s.amount());
                if (arrival != AlertRule.OWN_DEPOSIT_TAINTED && config.own().isOwnHotWallet(f.to(), toEnt)) {
                    List<String> r = new ArrayList<>(sc.reasons());
                    r.add("the recipient is our own hot wallet");
                    sc = new Scored(sc.severity(), r, SeverityScorer.ACTION_HOLD_CREDIT);
                }
                String key = chain.name() + "|" + arrival.label() + "|" + s.sourceId() + "|" + route(tp) + "|" + f.to() + "|" + f.asset();
                out.add(new Candidate(key, alert(key, arrival, sc, chain, legId, f.position(), f.blockTimestamp(), f.txHash(),
                    f.to(), f.from(), f.to(), fromEnt, toEnt, f.asset(), amount, amount.withRaw(s.amount()), share,
                    sources(f), toPath(chain, tp), policy)));
            }
        }

        Seed fromSeed = lookups.seed(f.from());
        if (fromSeed != null && f.position().block() >= fromSeed.validFrom()) {
            // the whole outflow of a source is tainted by it (docs/architecture.md, "Sources")
            TokenAmount all = amount;
            AlertPath own = oneHop(chain, f.position(), f.txHash(), f.blockTimestamp(), f.from(), f.to(), f.asset(), amount, all, fromSeed);
            if (config.sanctionedCategories().contains(fromSeed.category())
                && config.thresholds(AlertRule.SANCTIONED_DIRECT).passes(chain, f.asset(), f.amount(), 1_000_000, 1)) {
                boolean ownCp = config.own().isOwn(f.to(), toEnt);
                String key = chain.name() + "|" + AlertRule.SANCTIONED_DIRECT.label() + "|out|" + f.from() + "|" + f.to() + "|" + f.asset();
                out.add(new Candidate(key, alert(key, AlertRule.SANCTIONED_DIRECT, scorer.direct(true, ownCp), chain, legId,
                    f.position(), f.blockTimestamp(), f.txHash(), f.from(), f.from(), f.to(), fromEnt, toEnt, f.asset(), amount, all,
                    1_000_000, List.of(counterparty(fromSeed, all, 1_000_000)), own, policy)));
            }
            if (config.thresholds(AlertRule.WATCHLIST_MOVEMENT).passes(chain, f.asset(), f.amount(), 1_000_000, 1)) {
                String key = chain.name() + "|" + AlertRule.WATCHLIST_MOVEMENT.label() + "|" + f.from();
                out.add(new Candidate(key, alert(key, AlertRule.WATCHLIST_MOVEMENT,
                    scorer.movement(fromSeed.category(), chain, f.asset(), f.amount()), chain, legId, f.position(),
                    f.blockTimestamp(), f.txHash(), f.from(), f.from(), f.to(), fromEnt, toEnt, f.asset(), amount, all, 1_000_000,
                    List.of(counterparty(fromSeed, all, 1_000_000)), own, policy)));
            }
        }
        return out;
    }

    /**
     * The rules taint flows cannot see, from the raw block: legs paying INTO a sanctioned address (the engine emits
     * no flow for them) and withdrawals from our hot wallets to sanctioned, mixer, watchlist or tracked addresses.
     */
    public List<Candidate> onBlock(Block b) {
        List<Candidate> out = new ArrayList<>();
        ChainId chain = b.chain();
        RuleThresholds direct = config.thresholds(AlertRule.SANCTIONED_DIRECT);
        RuleThresholds outgoing = config.thresholds(AlertRule.OWN_OUTGOING_EXPOSURE);
        for (Leg leg : b.legs()) {
            if (leg.kind() == LegKind.FEE || leg.from().equals(leg.to())) {
                continue;
            }
            Seed toSeed = lookups.seed(leg.to());
            boolean toSanctioned = toSeed != null && b.number() >= toSeed.validFrom() && config.sanctionedCategories().contains(toSeed.category());
            Entity fromEnt = null;
            if (toSanctioned && direct.passes(chain, leg.asset(), leg.amount(), 1_000_000, 1)) {
                fromEnt = lookups.entity(leg.from());
                Entity toEnt = lookups.entity(leg.to());
                TokenAmount amount = lookups.amount(chain, leg.asset(), leg.amount());
                String key = chain.name() + "|" + AlertRule.SANCTIONED_DIRECT.label() + "|in|" + leg.to() + "|" + leg.from() + "|" + leg.asset();
                out.add(new Candidate(key, alert(key, AlertRule.SANCTIONED_DIRECT,
                    scorer.direct(false, config.own().isOwn(leg.from(), fromEnt)), chain, legId(chain, leg.txHash(), leg.position()),
                    leg.position(), b.timestamp(), leg.txHash(), leg.to(), leg.from(), leg.to(), fromEnt, toEnt, leg.asset(), amount,
                    amount.withRaw(BigInteger.ZERO), 0, List.of(counterparty(toSeed, amount.withRaw(BigInteger.ZERO), 0)),
                    oneHop(chain, leg.position(), leg.txHash(), b.timestamp(), leg.from(), leg.to(), leg.asset(), amount,
                        amount.withRaw(BigInteger.ZERO), toSeed), null)));
            }
            if (config.own().hotWallets().isEmpty() && config.own().entityNames().isEmpty()) {
                continue;
            }
            if (fromEnt == null) {
                fromEnt = lookups.entity(leg.from());
            }
            if (!config.own().isOwnHotWallet(leg.from(), fromEnt)) {
                continue;
            }
            Entity toEnt = lookups.entity(leg.to());
            String exposure = null;
            Category expCat = null;
            String sourceId = null;
            if (toSanctioned) {
                exposure = "sanctioned";
                expCat = toSeed.category();
                sourceId = toSeed.sourceId();
            } else if (toEnt != null && toEnt.category() == Category.MIXER) {
                exposure = "mixer";
                expCat = Category.MIXER;
            } else if (toSeed != null && b.number() >= toSeed.validFrom()) {
                exposure = "watchlist";
                expCat = toSeed.category();
                sourceId = toSeed.sourceId();
            } else {
                Set<String> tracked = lookups.trackedSources(leg.to());
                if (!tracked.isEmpty()) {
                    exposure = "tracked";
                    sourceId = tracked.iterator().next();
                    Seed s = lookups.seedOfSource(sourceId);
                    expCat = s == null ? null : s.category();
                }
            }
            if (exposure == null || !outgoing.passes(chain, leg.asset(), leg.amount(), 1_000_000, 1)) {
                continue;
            }
            TokenAmount amount = lookups.amount(chain, leg.asset(), leg.amount());
            TokenAmount zero = amount.withRaw(BigInteger.ZERO);
            List<AlertSource> srcs = new ArrayList<>();
            Seed seed = toSeed != null ? toSeed : sourceId == null ? null : lookups.seedOfSource(sourceId);
            if (sourceId != null) {
                srcs.add(new AlertSource(sourceId, seed == null ? null : seed.address(), expCat, seed == null ? "" : seed.reference(),
                    AlertSource.COUNTERPARTY, zero, 0, toSeed != null ? 1 : 2, seed == null ? 0 : seed.validFrom()));
            }
            String key = chain.name() + "|" + AlertRule.OWN_OUTGOING_EXPOSURE.label() + "|" + leg.from() + "|" + leg.to() + "|" + leg.asset();
            out.add(new Candidate(key, alert(key, AlertRule.OWN_OUTGOING_EXPOSURE, scorer.outgoing(exposure, expCat), chain,
                legId(chain, leg.txHash(), leg.position()), leg.position(), b.timestamp(), leg.txHash(), leg.from(), leg.from(),
                leg.to(), fromEnt, toEnt, leg.asset(), amount, zero, 0, srcs,
                oneHop(chain, leg.position(), leg.txHash(), b.timestamp(), leg.from(), leg.to(), leg.asset(), amount, zero, seed), null)));
        }
        if (memory != null) {
            lookalikes(b, out);
        }
        return out;
    }

    /** The amount of a flow's asset, with the engine's verdict on the asset when the flow carries one. */
    private TokenAmount flowAmount(TaintFlow f, BigInteger raw) {
        TokenAmount a = lookups.amount(f.chain(), f.asset(), raw);
        return f.assetStatus() == null ? a : a.withStatus(f.assetStatus());
    }

    /** A skipped outflow of a watchlist address: a note for its movement alert, which names what was not followed. */
    private void skippedNote(TaintFlow f, List<Candidate> out) {
        Seed s = lookups.seed(f.from());
        if (s == null || f.position().block() < s.validFrom() || !config.thresholds(AlertRule.WATCHLIST_MOVEMENT).enabled()) {
            return;
        }
        TokenAmount amount = flowAmount(f, f.amount());
        Token t = f.asset().contract() == null ? null : lookups.token(f.chain(), f.asset().contract());
        AlertSkipped skipped = AlertSkipped.leg(f.asset(), f.skipped(), amount.symbol(), t == null ? "" : t.name(), f.assetStatus(),
            f.assetReason());
        out.add(note(f.chain(), f.from(), f.position(), f.blockTimestamp(), f.txHash(), f.from(), f.to(), f.asset(), amount, skipped));
    }

    /** A note of skipped legs for the watchlist-movement alert of {@code subject} (never published on its own). */
    private static Candidate note(ChainId chain, Address subject, Position pos, long ts, Hash32 tx, Address from, Address to, Asset asset,
                                  TokenAmount amount, AlertSkipped skipped) {
        String key = chain.name() + "|" + AlertRule.WATCHLIST_MOVEMENT.label() + "|" + subject;
        AlertSeen seen = new AlertSeen(pos.block(), ts, tx, pos);
        return new Candidate(key, new Alert(AlertIds.of(chain, AlertRule.WATCHLIST_MOVEMENT, key), Alert.SCHEMA_VERSION, 0, key,
            AlertRule.WATCHLIST_MOVEMENT, io.taintwatch.model.Severity.LOW, List.of("skipped legs of a watchlist address"), "",
            AlertStatus.OPEN, chain, legId(chain, tx, pos), pos, ts, tx, subject, from, to, null, null, asset, amount,
            amount.withRaw(BigInteger.ZERO), 0, List.of(), null, null, 0, List.of(), seen, seen, null, null, skipped, null));
    }

    /**
     * The lookalike rules, leg by leg in chain order (docs/alert-schema.md, "Lookalike addresses"): a poisoning transfer
     * (counterfeit token, zero-value token transfer, dust) between an address and a lookalike of one of its real
     * counterparties flags the lookalike ({@code address-poisoning}); our hot wallet paying a lookalike of an address it
     * paid before raises {@code withdrawal-to-lookalike}. Real transfers are remembered after they are checked.
     */
    private void lookalikes(Block b, List<Candidate> out) {
        ChainId chain = b.chain();
        long now = b.timestamp();
        LookalikeConfig lc = memory.config();
        memory.startBlock(chain, now);
        Set<Address> wrapped = lookups.nativeAsset(chain).wrapped();
        for (Leg leg : b.legs()) {
            LegKind k = leg.kind();
            // a TRC-10 token (an internal transfer's asset on Tron) has no contract to judge: not a poisoning transfer here
            if ((k != LegKind.NATIVE && k != LegKind.INTERNAL && k != LegKind.ERC20) || leg.asset().isTrc10() || leg.from().equals(leg.to())
                || leg.from().isZero() || leg.to().isZero()) {
                continue;
            }
            TokenAmount amount = lookups.amount(chain, leg.asset(), leg.amount());
            String kind = poisoningKind(chain, leg, amount, lc, !leg.asset().isNative() && wrapped.contains(leg.asset().contract()));
            if (kind != null) {
                Address holder = leg.from();
                Address lookalike = leg.to();
                CounterpartyMemory.Entry real = memory.lookalikeOf(chain, holder, lookalike, now, false);
                if (real == null) {
                    // a transfer from the lookalike to the holder (dust sent from it, or a forged inbound Transfer)
                    holder = leg.to();
                    lookalike = leg.from();
                    real = memory.lookalikeOf(chain, holder, lookalike, now, false);
                }
                if (real != null) {
                    memory.rememberPoisoning(chain, holder, lookalike, real.other(), kind, leg, now, ownHotWallet(holder));
                    poisoning(b, leg, amount, kind, holder, lookalike, real, out);
                }
                continue;
            }
            boolean fromOwn = ownHotWallet(leg.from());
            RuleThresholds wt = config.thresholds(AlertRule.WITHDRAWAL_TO_LOOKALIKE);
            if (fromOwn && wt.passes(chain, leg.asset(), leg.amount(), 1_000_000, 1)) {
                CounterpartyMemory.Entry paid = memory.lookalikeOf(chain, leg.from(), leg.to(), now, true);
                if (paid != null) {
                    withdrawalToLookalike(b, leg, amount, paid, memory.poisoning(chain, leg.from(), leg.to(), now), out);
                }
            }
            memory.rememberReal(chain, leg, now, fromOwn, ownHotWallet(leg.to()));
        }
        memory.endBlock(chain);
    }

    /** {@code counterfeit}, {@code zero-value} or {@code dust} for a poisoning transfer; null for a real one. */
    private static String poisoningKind(ChainId chain, Leg leg, TokenAmount amount, LookalikeConfig lc, boolean wrappedNative) {
        if (amount.status() == TokenStatus.COUNTERFEIT) {
            return "counterfeit";
        }
        if (leg.amount().signum() == 0) {
            return "zero-value";
        }
        return leg.amount().compareTo(lc.dustFor(chain, leg.asset(), amount, wrappedNative)) <= 0 ? "dust" : null;
    }

    private void poisoning(Block b, Leg leg, TokenAmount amount, String kind, Address holder, Address lookalike,
                           CounterpartyMemory.Entry real, List<Candidate> out) {
        ChainId chain = b.chain();
        Seed holderSeed = lookups.seed(holder);
        boolean watchSeed = holderSeed != null && b.number() >= holderSeed.validFrom();
        RuleThresholds th = config.thresholds(AlertRule.ADDRESS_POISONING);
        if (!th.passes(chain, leg.asset(), leg.amount(), 1_000_000, 1)) {
            return;
        }
        Entity holderEnt = lookups.entity(holder);
        boolean own = config.own().isOwn(holder, holderEnt);
        boolean watched = own || watchSeed || !lookups.trackedSources(holder).isEmpty();
        if (!watched && config.lookalike().scope() == LookalikeConfig.Scope.WATCHED) {
            return;
        }
        LookalikeConfig lc = config.lookalike();
        String why = switch (kind) {
            case "counterfeit" -> "a transfer of counterfeit token " + leg.asset() + " (" + lookups.token(chain, leg.asset().contract()).reason() + ")";
            case "zero-value" -> "a zero-value transfer of token " + leg.asset() + (amount.symbol().isEmpty() ? "" : " (" + amount.symbol() + ")");
            default -> "a dust transfer of " + amount.formatted() + " " + (amount.symbol().isEmpty() ? leg.asset().toString() : amount.symbol());
        };
        Scored sc = scorer.poisoning(own, watchSeed, List.of(
            lookalike + " shares its first " + lc.prefixDigits() + " and last " + lc.suffixDigits() + " hex digits with " + real.other() + ", which "
                + holder + (real.paid() ? " paid" : " was paid by") + " in block " + real.block() + " (tx " + real.txHash() + ")",
            "the transfer between them is " + why + ": a poisoning of " + holder + "'s transaction history"));
        List<AlertSource> sources = watchSeed ? List.of(counterparty(holderSeed, amount.withRaw(BigInteger.ZERO), 0)) : List.of();
        String key = chain.name() + "|" + AlertRule.ADDRESS_POISONING.label() + "|" + holder + "|" + lookalike;
        AlertLookalike evidence = new AlertLookalike(lookalike, real.other(), holder, lc.prefixDigits(), lc.suffixDigits(), kind,
            transfer(chain, real), null);
        TokenAmount zero = amount.withRaw(BigInteger.ZERO);
        out.add(new Candidate(key, alert(key, AlertRule.ADDRESS_POISONING, sc, chain, legId(chain, leg.txHash(), leg.position()),
            leg.position(), b.timestamp(), leg.txHash(), lookalike, leg.from(), leg.to(), lookups.entity(leg.from()), lookups.entity(leg.to()),
            leg.asset(), amount, zero, 0, sources, oneHop(chain, leg.position(), leg.txHash(), b.timestamp(), leg.from(), leg.to(),
                leg.asset(), amount, zero, null), null, evidence)));
    }

    private void withdrawalToLookalike(Block b, Leg leg, TokenAmount amount, CounterpartyMemory.Entry paid, CounterpartyMemory.Entry poison,
                                       List<Candidate> out) {
        ChainId chain = b.chain();
        LookalikeConfig lc = config.lookalike();
        List<String> reasons = new ArrayList<>();
        reasons.add("our hot wallet " + leg.from() + " paid " + leg.to() + ", which shares its first " + lc.prefixDigits() + " and last "
            + lc.suffixDigits() + " hex digits with " + paid.other() + ", an address it paid in block " + paid.block() + " (tx " + paid.txHash() + ")");
        if (poison != null) {
            reasons.add(leg.to() + " was in a " + poison.kind() + " poisoning transfer with our hot wallet in block " + poison.block()
                + " (tx " + poison.txHash() + ")");
        }
        Scored sc = scorer.withdrawalToLookalike(reasons);
        String key = chain.name() + "|" + AlertRule.WITHDRAWAL_TO_LOOKALIKE.label() + "|" + leg.from() + "|" + leg.to() + "|" + leg.asset();
        AlertLookalike evidence = new AlertLookalike(leg.to(), paid.other(), leg.from(), lc.prefixDigits(), lc.suffixDigits(), "payment",
            transfer(chain, paid), poison == null ? null : transfer(chain, poison));
        TokenAmount zero = amount.withRaw(BigInteger.ZERO);
        out.add(new Candidate(key, alert(key, AlertRule.WITHDRAWAL_TO_LOOKALIKE, sc, chain, legId(chain, leg.txHash(), leg.position()),
            leg.position(), b.timestamp(), leg.txHash(), leg.to(), leg.from(), leg.to(), lookups.entity(leg.from()), lookups.entity(leg.to()),
            leg.asset(), amount, zero, 0, List.of(), oneHop(chain, leg.position(), leg.txHash(), b.timestamp(), leg.from(), leg.to(),
                leg.asset(), amount, zero, null), null, evidence)));
    }

    private AlertLookalike.Transfer transfer(ChainId chain, CounterpartyMemory.Entry e) {
        return new AlertLookalike.Transfer(e.txHash(), e.block(), e.time(), e.from(), e.to(), e.asset(), lookups.amount(chain, e.asset(), e.amount()));
    }

    /** Our hot wallet: configured, or labelled with one of our entity names (the label is looked up only when names are set). */
    private boolean ownHotWallet(Address a) {
        OwnAddresses own = config.own();
        if (own.hotWallets().contains(a)) {
            return true;
        }
        return !own.entityNames().isEmpty() && own.isOwnHotWallet(a, lookups.entity(a));
    }

    /** Which arrival rule a flow triggers: our deposit first, then the recipient's terminal category. */
    private AlertRule arrivalRule(TaintFlow f, Entity toEnt) {
        if (f.kind() == FlowKind.DEX_IN) {
            return null;
        }
        if (config.own().isOwnDeposit(f.to(), toEnt)) {
            return AlertRule.OWN_DEPOSIT_TAINTED;
        }
        if (toEnt == null || (f.kind() != FlowKind.TERMINAL && !toEnt.category().terminalByDefault())) {
            return null;
        }
        return switch (toEnt.category()) {
            case EXCHANGE, EXCHANGE_DEPOSIT, EXCHANGE_HOT_WALLET -> AlertRule.TAINTED_TO_EXCHANGE;
            case MIXER -> AlertRule.TAINTED_TO_MIXER;
            case BRIDGE -> AlertRule.TAINTED_TO_BRIDGE;
            default -> null;
        };
    }

    private static TaintPath pathOf(TaintFlow f, String sourceId) {
        for (TaintPath p : f.paths()) {
            if (p.sourceId().equals(sourceId)) {
                return p;
            }
        }
        return null;
    }

    private Seed seedOf(String sourceId, TaintPath tp) {
        if (tp != null && tp.source() != null) {
            Seed s = lookups.seed(tp.source());
            if (s != null && s.sourceId().equals(sourceId)) {
                return s;
            }
        }
        return lookups.seedOfSource(sourceId);
    }

    /**
     * The address route of a path: which addresses the funds went through, not which legs. Later legs along the
     * same route (including repeated payments between the same addresses) join the same alert.
     */
    static String route(TaintPath tp) {
        if (tp == null || tp.hops().isEmpty()) {
            return tp == null || tp.source() == null ? "?" : tp.source().toString();
        }
        StringBuilder sb = new StringBuilder();
        Address last = null;
        for (PathHop h : tp.hops()) {
            for (Address a : new Address[] {h.from(), h.to()}) {
                if (!a.equals(last)) {
                    if (!sb.isEmpty()) {
                        sb.append('>');
                    }
                    sb.append(a);
                    last = a;
                }
            }
        }
        return tp.complete() ? sb.toString() : "..." + sb;
    }

    private List<AlertSource> sources(TaintFlow f) {
        List<AlertSource> list = new ArrayList<>();
        for (SourceShare s : f.shares()) {
            Seed seed = seedOf(s.sourceId(), pathOf(f, s.sourceId()));
            list.add(new AlertSource(s.sourceId(), seed == null ? null : seed.address(), seed == null ? null : seed.category(),
                seed == null ? "" : seed.reference(), AlertSource.ORIGIN, flowAmount(f, s.amount()),
                ppm(s.amount(), f.amount()), s.hop(), s.effectiveFrom()));
        }
        return list;
    }

    private static AlertSource counterparty(Seed seed, TokenAmount tainted, long ppm) {
        return new AlertSource(seed.sourceId(), seed.address(), seed.category(), seed.reference(), AlertSource.COUNTERPARTY,
            tainted, ppm, 1, seed.validFrom());
    }

    private AlertPath toPath(ChainId chain, TaintPath tp) {
        if (tp == null) {
            return null;
        }
        List<AlertHop> hops = new ArrayList<>();
        for (PathHop h : tp.hops()) {
            hops.add(new AlertHop(h.position(), h.txHash(), h.timestamp(), h.from(), h.to(), h.asset(),
                lookups.amount(chain, h.asset(), h.amount()), lookups.amount(chain, h.asset(), h.tainted()), ppm(h.tainted(), h.amount())));
        }
        return new AlertPath(tp.sourceId(), tp.source(), tp.complete(), hops);
    }

    private static AlertPath oneHop(ChainId chain, Position pos, Hash32 tx, long ts, Address from, Address to, Asset asset,
                                    TokenAmount amount, TokenAmount tainted, Seed seed) {
        AlertHop hop = new AlertHop(pos, tx, ts, from, to, asset, amount, tainted, ppm(tainted.raw(), amount.raw()));
        return new AlertPath(seed == null ? "" : seed.sourceId(), seed == null ? null : seed.address(), true, List.of(hop));
    }

    /** {@code chain:txHash:block:txIndex:subIndex}, the same for a leg whether seen in a flow or a block. */
    public static String legId(ChainId chain, Hash32 tx, Position p) {
        return chain.name() + ":" + tx + ":" + p;
    }

    private static Alert alert(String dedupKey, AlertRule rule, Scored sc, ChainId chain, String legId, Position pos, long ts,
                               Hash32 tx, Address subject, Address from, Address to, Entity fromEnt, Entity toEnt, Asset asset,
                               TokenAmount amount, TokenAmount tainted, long sharePpm, List<AlertSource> sources, AlertPath path,
                               AlertPolicy policy) {
        return alert(dedupKey, rule, sc, chain, legId, pos, ts, tx, subject, from, to, fromEnt, toEnt, asset, amount, tainted, sharePpm,
            sources, path, policy, null);
    }

    private static Alert alert(String dedupKey, AlertRule rule, Scored sc, ChainId chain, String legId, Position pos, long ts,
                               Hash32 tx, Address subject, Address from, Address to, Entity fromEnt, Entity toEnt, Asset asset,
                               TokenAmount amount, TokenAmount tainted, long sharePpm, List<AlertSource> sources, AlertPath path,
                               AlertPolicy policy, AlertLookalike lookalike) {
        AlertSeen seen = new AlertSeen(pos.block(), ts, tx, pos);
        List<String> reasons = sc.reasons();
        if (amount.status() == TokenStatus.UNVERIFIED) {
            reasons = new ArrayList<>(reasons);
            reasons.add("the amount is in unverified token " + asset + (amount.symbol().isEmpty() ? "" : " (" + amount.symbol() + ")")
                + ": no token list taintwatch knows declares it");
        }
        return new Alert(AlertIds.of(chain, rule, dedupKey), Alert.SCHEMA_VERSION, 1, dedupKey, rule, sc.severity(), reasons,
            sc.recommendedAction(), AlertStatus.OPEN, chain, legId, pos, ts, tx, subject, from, to, fromEnt, toEnt, asset, amount,
            tainted, sharePpm, sources, path, policy, 1, List.of(new AlertTotal(asset, amount, tainted)), seen, seen, null, null, null,
            lookalike);
    }
}
