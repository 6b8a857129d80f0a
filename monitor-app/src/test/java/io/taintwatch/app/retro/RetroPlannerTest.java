package io.taintwatch.app.retro;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.retro.RetroPlanner.Outcome;
import io.taintwatch.app.retro.RetroPlanner.Plan;
import io.taintwatch.app.retro.RetroPlanner.SeedRecord;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRetro;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintEngine.ActiveSeed;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetroPlannerTest {
    private static final ChainId CHAIN = ChainId.ETHEREUM;
    private static final Address A = Address.parse("0x" + "a1".repeat(20));
    private static final Address B = Address.parse("0x" + "b2".repeat(20));
    private static final Address C = Address.parse("0x" + "c3".repeat(20));
    /** 2025-11-26T08:00:00Z */
    private static final long NOW_MS = 1_764_144_000_000L;

    private static SeedRecord rec(long offset, Address a, long validFrom, long pickup, String reference) {
        return new SeedRecord(offset, NOW_MS, a, new ActiveSeed(new Seed(a, "ofac:" + a.toString().substring(2, 6), Category.SANCTIONS, validFrom,
            reference), pickup));
    }

    private static SeedRecord rec(long offset, Address a, long pickup) {
        return rec(offset, a, 0, pickup, "OFAC SDN 1 X | DPRK3 | designated 2019-09-13 | list 2025-11-19");
    }

    private final RetroPlanner planner = new RetroPlanner(CHAIN, 1000);

    @Test
    void aNewSeedIsScreenedUpToTheBlockBeforeTheLiveEnginePickedItUp() {
        Plan p = planner.plan(List.of(rec(7, A, 5000)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(p.screenings()).singleElement().satisfies(s -> {
            assertThat(s.fromBlock()).isEqualTo(4000);
            assertThat(s.toBlock()).as("live covers 5000 on; retro ends right before it").isEqualTo(4999);
            assertThat(s.pickupBlock()).isEqualTo(5000);
            assertThat(s.state()).isEqualTo(Screening.State.OFFERED);
            assertThat(s.addresses()).containsExactly(A);
            assertThat(s.seeds().get(0).designatedAt()).isEqualTo(LocalDate.of(2019, 9, 13));
            assertThat(s.seeds().get(0).designationBasis()).isEqualTo(AlertRetro.BASIS_DESIGNATION);
            assertThat(s.note()).isEmpty();
        });
        assertThat(p.decisions()).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo(Outcome.SCREENING));
        assertThat(p.nextOffset()).isEqualTo(8);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void triggerModeMakesARunningScreening() {
        Plan p = planner.plan(List.of(rec(0, A, 5000)), Set.of(), false, OptionalLong.of(0), RetroMode.TRIGGER);
        assertThat(p.screenings()).singleElement().extracting(Screening::state).isEqualTo(Screening.State.RUNNING);
    }

    @Test
    void aKnownSeedIsNotScreenedAgain() {
        // after a restart the ledger knows A: its update (same address, new pickup block) is not a new seed
        Plan p = planner.plan(List.of(rec(12, A, 7000)), Set.of(A), false, OptionalLong.of(0), RetroMode.TRIGGER);
        assertThat(p.screenings()).isEmpty();
        assertThat(p.decisions()).isEmpty();
        assertThat(p.nextOffset()).as("the cursor still moves past it").isEqualTo(13);
    }

    @Test
    void theSameAddressTwiceInOneBatchIsDecidedOnce() {
        Plan p = planner.plan(List.of(rec(0, A, 5000), rec(1, A, 5001)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(p.decisions()).hasSize(1);
        assertThat(p.screenings()).singleElement().extracting(Screening::pickupBlock).isEqualTo(5000L);
    }

    @Test
    void aRestartReplayingTheSameRecordsDecidesNothingNew() {
        Plan first = planner.plan(List.of(rec(0, A, 5000), rec(1, B, 5000)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        Set<Address> known = Set.copyOf(first.decisions().stream().map(RetroPlanner.Decision::address).toList());
        Plan again = planner.plan(List.of(rec(0, A, 5000), rec(1, B, 5000)), known, false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(again.screenings()).isEmpty();
        assertThat(again.decisions()).isEmpty();
    }

    @Test
    void seedsPickedUpAtTheSameBlockShareOneScreeningWithAStableId() {
        Plan p = planner.plan(List.of(rec(0, A, 5000), rec(1, B, 5000), rec(2, C, 6000)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(p.screenings()).hasSize(2);
        assertThat(p.screenings().get(0).addresses()).containsExactly(A, B);
        assertThat(p.screenings().get(0).id()).isEqualTo(Screening.idFor("ethereum", 5000, List.of(B, A))).startsWith("ethereum-5000-");
        assertThat(p.screenings().get(1).addresses()).containsExactly(C);
        Plan reordered = planner.plan(List.of(rec(0, B, 5000), rec(1, A, 5000)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(reordered.screenings().get(0).id()).isEqualTo(p.screenings().get(0).id());
    }

    @Test
    void theLookBackIsClampedToTheFirstRetainedBlockWithAWarning() {
        Plan p = planner.plan(List.of(rec(0, A, 5000)), Set.of(), false, OptionalLong.of(4500), RetroMode.OFFER);
        Screening s = p.screenings().get(0);
        assertThat(s.requestedFrom()).isEqualTo(4000);
        assertThat(s.fromBlock()).isEqualTo(4500);
        assertThat(s.toBlock()).isEqualTo(4999);
        assertThat(s.note()).contains("retains blocks from 4500 only", "4000..4499");
        assertThat(p.warnings()).singleElement().asString().contains(s.id(), "4000..4499");
    }

    @Test
    void theLookBackNeverReachesBelowBlockZeroNorTheSeedsValidFrom() {
        assertThat(planner.plan(List.of(rec(0, A, 300)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER).screenings().get(0).fromBlock())
            .isZero();
        Plan p = planner.plan(List.of(rec(0, A, 4200, 5000, "")), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(p.screenings().get(0).fromBlock()).isEqualTo(4200);
    }

    @Test
    void aLookBackInTimeStartsWhereItsResolverSays() {
        RetroPlanner.Lookback week = new RetroPlanner.Lookback() {
            @Override
            public long from(long pickupBlock) {
                return pickupBlock == 5000 ? 4321 : pickupBlock;
            }

            @Override
            public String describe() {
                return "P7D";
            }
        };
        RetroPlanner byTime = new RetroPlanner(CHAIN, week);
        assertThat(byTime.plan(List.of(rec(0, A, 5000)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER).screenings().get(0).fromBlock())
            .isEqualTo(4321);
        Plan nothing = byTime.plan(List.of(rec(0, B, 6000)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(nothing.screenings()).isEmpty();
        assertThat(nothing.warnings()).singleElement().asString().contains("look-back of P7D leaves no block");
    }

    @Test
    void aSeedValidOnlyFromItsPickupNeedsNoScreening() {
        Plan p = planner.plan(List.of(rec(0, A, 5000, 5000, "")), Set.of(), false, OptionalLong.of(0), RetroMode.TRIGGER);
        assertThat(p.screenings()).isEmpty();
        assertThat(p.decisions()).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.NOT_NEEDED);
            assertThat(d.reason()).contains("valid-from block 5000");
        });
    }

    @Test
    void nothingRetainedBeforeThePickupNeedsNoScreening() {
        Plan gone = planner.plan(List.of(rec(0, A, 5000)), Set.of(), false, OptionalLong.of(5000), RetroMode.OFFER);
        assertThat(gone.screenings()).isEmpty();
        assertThat(gone.decisions()).singleElement().extracting(RetroPlanner.Decision::outcome).isEqualTo(Outcome.NOT_NEEDED);
        assertThat(gone.warnings()).singleElement().asString().contains("retains blocks from 5000 only");
        Plan empty = planner.plan(List.of(rec(0, A, 5000)), Set.of(), false, OptionalLong.empty(), RetroMode.OFFER);
        assertThat(empty.screenings()).isEmpty();
        Plan none = new RetroPlanner(CHAIN, 0).plan(List.of(rec(0, A, 5000)), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        assertThat(none.screenings()).as("a look-back of 0 blocks screens nothing").isEmpty();
    }

    @Test
    void theFirstStartMakesTheSeedsAlreadyInEffectTheBaseline() {
        Plan p = planner.plan(List.of(rec(0, A, 5000), rec(1, B, 6000)), Set.of(), true, OptionalLong.of(0), RetroMode.TRIGGER);
        assertThat(p.screenings()).isEmpty();
        assertThat(p.decisions()).extracting(RetroPlanner.Decision::outcome).containsExactly(Outcome.BASELINE, Outcome.BASELINE);
    }

    @Test
    void aTombstoneIsNotANewSeed() {
        Plan p = planner.plan(List.of(new SeedRecord(3, NOW_MS, A, null)), Set.of(), false, OptionalLong.of(0), RetroMode.TRIGGER);
        assertThat(p.decisions()).isEmpty();
        assertThat(p.nextOffset()).isEqualTo(4);
    }

    @Test
    void aSeedWithoutADesignationDateIsDatedTheDayItWasFirstSeen() {
        Plan p = planner.plan(List.of(rec(0, A, 0, 5000, "incident 42")), Set.of(), false, OptionalLong.of(0), RetroMode.OFFER);
        NewSeed n = p.screenings().get(0).seeds().get(0);
        assertThat(n.designatedAt()).isEqualTo(LocalDate.of(2025, 11, 26));
        assertThat(n.designationBasis()).isEqualTo(AlertRetro.BASIS_FIRST_SEEN);
    }

    @Test
    void screeningsSurviveTheirJson() {
        Screening s = planner.plan(List.of(rec(0, A, 5000), rec(1, B, 5000)), Set.of(), false, OptionalLong.of(4500), RetroMode.OFFER)
            .screenings().get(0).withState(Screening.State.DONE, 500, 3, "");
        assertThat(Screening.parse(s.toJson())).isEqualTo(s);
    }
}
