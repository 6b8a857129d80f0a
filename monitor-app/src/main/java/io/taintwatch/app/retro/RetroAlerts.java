package io.taintwatch.app.retro;

import io.taintwatch.alerts.AlertIds;
import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.alerts.InProcessAlerts;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRetro;
import io.taintwatch.model.AlertSource;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which alerts of a screening's replay are retroactive alerts, and how they are marked. The replay runs with the
 * whole watchlist, so that taint behaves as live (arriving at another source it is absorbed there), but only alerts
 * about the <b>new</b> seeds are kept: everything else the live pipeline already alerted on when it saw those blocks.
 *
 * <ul>
 *   <li>arrivals ({@code own-deposit-tainted}, {@code tainted-to-*}): the tainting source is a new seed's source id
 *       (the dedup key {@code <chain>|<rule>|<sourceId>|...}, docs/alert-schema.md);</li>
 *   <li>{@code sanctioned-direct-exposure}, {@code watchlist-movement}: the subject is a new seed address;</li>
 *   <li>{@code own-outgoing-exposure}: the recipient is a new seed address, or an address tracked only for new sources
 *       (not a mixer, not on the old watchlist: those the live pipeline saw);</li>
 *   <li>any other rule: not kept (no duplicates of live alerts).</li>
 * </ul>
 *
 * A kept alert gets the dedup key {@code retro|<screening id>|<live dedup key>} and the id derived from it as usual,
 * so it never collides with a live alert and a re-run of the same screening gives the same ids.
 */
final class RetroAlerts implements InProcessAlerts.CandidateFilter {
    private final Screening screening;
    private final Set<Address> newAddresses;
    private final Set<String> newSources;
    private final Map<String, String> aliases;

    /** @param aliases replay source id -> real source id, for old seeds renamed apart from a new seed's source (see {@link ScreeningRunner}) */
    RetroAlerts(Screening screening, Map<String, String> aliases) {
        this.screening = screening;
        this.newAddresses = Set.copyOf(screening.addresses());
        this.newSources = screening.seeds().stream().map(s -> s.seed().sourceId()).collect(Collectors.toUnmodifiableSet());
        this.aliases = Map.copyOf(aliases);
    }

    @Override
    public boolean keep(Candidate c, Lookups lookups) {
        Alert a = c.alert();
        return switch (a.rule()) {
            case OWN_DEPOSIT_TAINTED, TAINTED_TO_EXCHANGE, TAINTED_TO_MIXER, TAINTED_TO_BRIDGE -> arrivalSource(a) != null;
            case SANCTIONED_DIRECT, WATCHLIST_MOVEMENT -> newAddresses.contains(a.subject());
            case OWN_OUTGOING_EXPOSURE -> newAddresses.contains(a.to()) || trackedOnlyForNewSources(a.to(), lookups);
            // about lookalikes of anyone's counterparties, not about the new seeds: the live service raises them
            case ADDRESS_POISONING, WITHDRAWAL_TO_LOOKALIKE -> false;
        };
    }

    private boolean trackedOnlyForNewSources(Address to, Lookups lookups) {
        Entity e = lookups.entity(to);
        Set<String> tracked = lookups.trackedSources(to);
        return lookups.seed(to) == null && (e == null || e.category() != Category.MIXER) && !tracked.isEmpty() && newSources.containsAll(tracked);
    }

    /** The new source an arrival alert is about, from its dedup key; null when it is about an old source. */
    private String arrivalSource(Alert a) {
        String prefix = a.chain().name() + "|" + a.rule().label() + "|";
        for (String s : newSources) {
            if (a.dedupKey().startsWith(prefix + s + "|")) {
                return s;
            }
        }
        return null;
    }

    /** The replay's final alert as a retroactive alert of this screening. */
    Alert toRetro(Alert a) {
        String dedupKey = "retro|" + screening.id() + "|" + a.dedupKey();
        List<AlertSource> sources = new ArrayList<>();
        for (AlertSource s : a.sources()) {
            String real = aliases.get(s.sourceId());
            sources.add(real == null ? s : new AlertSource(real, s.address(), s.category(), s.reference(), s.role(), s.tainted(), s.sharePpm(),
                s.hop(), s.effectiveFrom()));
        }
        NewSeed d = designation(a);
        AlertRetro retro = new AlertRetro(screening.id(), d.designatedAt(), d.designationBasis(), screening.fromBlock(), screening.toBlock(),
            screening.addresses());
        return a.asRetro(AlertIds.of(a.chain(), a.rule(), dedupKey), dedupKey, sources, retro);
    }

    /** The new seed the alert is about (the earliest designated when several addresses share its source). */
    private NewSeed designation(Alert a) {
        List<NewSeed> about = switch (a.rule()) {
            case OWN_DEPOSIT_TAINTED, TAINTED_TO_EXCHANGE, TAINTED_TO_MIXER, TAINTED_TO_BRIDGE -> {
                String sid = arrivalSource(a);
                yield screening.seeds().stream().filter(s -> s.seed().sourceId().equals(sid)).toList();
            }
            case SANCTIONED_DIRECT, WATCHLIST_MOVEMENT -> screening.seeds().stream().filter(s -> s.seed().address().equals(a.subject())).toList();
            case OWN_OUTGOING_EXPOSURE -> {
                List<NewSeed> direct = screening.seeds().stream().filter(s -> s.seed().address().equals(a.to())).toList();
                Set<String> ids = a.sources().stream().map(AlertSource::sourceId).collect(Collectors.toSet());
                yield direct.isEmpty() ? screening.seeds().stream().filter(s -> ids.contains(s.seed().sourceId())).toList() : direct;
            }
            case ADDRESS_POISONING, WITHDRAWAL_TO_LOOKALIKE -> List.of();
        };
        List<NewSeed> pool = about.isEmpty() ? screening.seeds() : about;
        return pool.stream().min(Comparator.comparing(NewSeed::designatedAt)).orElseThrow();
    }

    /** The new seeds as the replay's seeds: unchanged (their own valid-from block applies). */
    static List<Seed> newSeeds(Screening s) {
        return s.seeds().stream().map(NewSeed::seed).toList();
    }
}
