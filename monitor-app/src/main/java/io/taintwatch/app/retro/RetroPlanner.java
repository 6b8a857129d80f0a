package io.taintwatch.app.retro;

import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.taint.TaintEngine.ActiveSeed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides, for the seed records the live engine wrote (its {@code taint-seeds} changelog: each seed with the block it
 * took effect at), which seeds are new and which blocks a retro-screening must replay for them. Pure: no Kafka, no
 * clock; the caller persists the outcome.
 *
 * <ul>
 *   <li>A seed is <b>new</b> when its address has never been decided before (any earlier record, screening or
 *       baseline). An update of a known seed (new reference, program change) or a re-listing is not new.</li>
 *   <li>On the very first start, the seeds already in the changelog are the <b>baseline</b>: in effect before
 *       retro-screening existed, never screened automatically.</li>
 *   <li>The range is {@code max(pickup - lookback, validFrom) .. pickup - 1}: it ends right before the block from which
 *       the live engine applies the seed, so retro and live never cover the same block; it starts no earlier than the
 *       first block {@code blocks.<chain>} still retains (with a warning). An empty range needs no screening.</li>
 *   <li>New seeds picked up at the same block form one screening (an OFAC update adding five addresses of one party
 *       replays the blocks once, and their taint is followed together as the engine does live).</li>
 * </ul>
 */
public final class RetroPlanner {
    /** One record of the seeds changelog; {@code active} is null for a tombstone (a delisted seed). */
    public record SeedRecord(long offset, long timestampMs, Address address, ActiveSeed active) {}

    /** What was decided for one new address. */
    public enum Outcome { BASELINE, NOT_NEEDED, SCREENING }

    public record Decision(Address address, Outcome outcome, long pickupBlock, String screeningId, String reason) {}

    /** The decisions for new addresses, the screenings they make, warnings to log, and the next changelog offset to read. */
    public record Plan(List<Decision> decisions, List<Screening> screenings, List<String> warnings, long nextOffset) {}

    /** Where the look-back before a pickup block starts: a number of blocks, or a duration resolved on the blocks topic. */
    public interface Lookback {
        /** The first block the look-back asks for, for a seed picked up at {@code pickupBlock} (may be the pickup: nothing). */
        long from(long pickupBlock);

        /** For messages: {@code 50400 blocks}, {@code P7D}. */
        String describe();

        static Lookback blocks(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("look-back must not be negative, got " + n);
            }
            return new Lookback() {
                @Override
                public long from(long pickupBlock) {
                    return Math.max(0, pickupBlock - n);
                }

                @Override
                public String describe() {
                    return n + " blocks";
                }
            };
        }
    }

    private final ChainId chain;
    private final Lookback lookback;

    public RetroPlanner(ChainId chain, long lookbackBlocks) {
        this(chain, Lookback.blocks(lookbackBlocks));
    }

    public RetroPlanner(ChainId chain, Lookback lookback) {
        this.chain = chain;
        this.lookback = lookback;
    }

    /**
     * @param known         addresses decided before (from the {@code retro-screenings} topic)
     * @param baseline      these records were in the changelog when retro-screening first started for this chain
     * @param firstRetained the first block {@code blocks.<chain>} still holds, empty when it holds none
     * @param mode          {@code offer} makes offered screenings, {@code trigger} running ones
     */
    public Plan plan(List<SeedRecord> records, Set<Address> known, boolean baseline, OptionalLong firstRetained, RetroMode mode) {
        List<Decision> decisions = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Screening> screenings = new ArrayList<>();
        Set<Address> seen = new HashSet<>(known);
        Map<Long, List<NewSeed>> byPickup = new TreeMap<>();
        long next = -1;
        for (SeedRecord r : records) {
            next = Math.max(next, r.offset() + 1);
            if (r.active() == null || !seen.add(r.address())) {
                continue; // a tombstone, or a seed already decided: its past is covered (or was deliberately not)
            }
            long pickup = r.active().effectiveFrom();
            if (baseline) {
                decisions.add(new Decision(r.address(), Outcome.BASELINE, pickup, null,
                    "in effect before retro-screening started (first start): not screened"));
                continue;
            }
            if (r.active().seed().validFrom() >= pickup) {
                decisions.add(new Decision(r.address(), Outcome.NOT_NEEDED, pickup, null,
                    "the live engine applies it from its valid-from block " + r.active().seed().validFrom()));
                continue;
            }
            Designation d = Designation.of(r.active().seed(), r.timestampMs());
            byPickup.computeIfAbsent(pickup, k -> new ArrayList<>()).add(new NewSeed(r.active().seed(), pickup, d.date(), d.basis()));
        }
        for (Map.Entry<Long, List<NewSeed>> e : byPickup.entrySet()) {
            long pickup = e.getKey();
            List<NewSeed> seeds = e.getValue();
            long minValid = seeds.stream().mapToLong(s -> s.seed().validFrom()).min().orElse(0);
            long requested = Math.max(0, Math.min(pickup, lookback.from(pickup)));
            long from = Math.max(requested, minValid);
            long to = pickup - 1;
            String note = "";
            String id = Screening.idFor(chain.name(), pickup, seeds.stream().map(s -> s.seed().address()).toList());
            String skip = null;
            if (from > to) {
                skip = "look-back of " + lookback.describe() + " leaves no block before the pickup block " + pickup;
            } else if (firstRetained.isEmpty()) {
                skip = chain.blocksTopic() + " retains no block";
            } else if (firstRetained.getAsLong() > to) {
                skip = chain.blocksTopic() + " retains blocks from " + firstRetained.getAsLong() + " only, after the range " + from + ".." + to;
            } else if (firstRetained.getAsLong() > from) {
                note = chain.blocksTopic() + " retains blocks from " + firstRetained.getAsLong() + " only: blocks " + from + ".." + (firstRetained.getAsLong() - 1)
                    + " of the look-back are not screened";
                warnings.add("retro-screening " + id + ": " + note);
                from = firstRetained.getAsLong();
            }
            if (skip != null) {
                warnings.add("retro-screening of " + seeds.size() + " new seed(s) picked up at block " + pickup + " not needed: " + skip);
                for (NewSeed s : seeds) {
                    decisions.add(new Decision(s.seed().address(), Outcome.NOT_NEEDED, pickup, null, skip));
                }
                continue;
            }
            Screening.State state = mode == RetroMode.TRIGGER ? Screening.State.RUNNING : Screening.State.OFFERED;
            screenings.add(new Screening(id, chain.name(), chain.id(), state, seeds, pickup, requested, from, to, note, 0, 0, ""));
            for (NewSeed s : seeds) {
                decisions.add(new Decision(s.seed().address(), Outcome.SCREENING, pickup, id, "screening " + from + ".." + to));
            }
        }
        return new Plan(decisions, screenings, warnings, next);
    }
}
