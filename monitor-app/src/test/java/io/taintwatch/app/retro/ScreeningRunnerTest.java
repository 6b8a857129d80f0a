package io.taintwatch.app.retro;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.alerts.AlertIds;
import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.app.replay.BlockFeed;
import io.taintwatch.app.replay.ReplaySettings;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSource;
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
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine.ActiveSeed;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A screening's replay keeps only alerts about its new seeds. The party of source {@code ofac:1} had address O on the
 * list all along (the live engine followed it) and gets a new address N; a second party P ({@code ofac:2}) is listed
 * too. In the screened blocks each pays an intermediary that deposits at exchange deposit X.
 */
class ScreeningRunnerTest {
    private static final ChainId CHAIN = ChainId.ETHEREUM;
    private static final BigInteger ETH = BigInteger.TEN.pow(18);
    private static final Address O = addr("01");
    private static final Address N = addr("0e");
    private static final Address P = addr("0f");
    private static final Address A = addr("aa");
    private static final Address B = addr("bb");
    private static final Address D = addr("dd");
    private static final Address X = addr("e5");

    private static Address addr(String b) {
        return Address.parse("0x" + b.repeat(20));
    }

    private static Hash32 h(long n) {
        return Hash32.parse("0x" + String.format("%064x", n));
    }

    private static Leg leg(long block, int tx, Address from, Address to, long eth) {
        return new Leg(new Position(block, tx, 0), LegKind.NATIVE, h(1000 + block * 10 + tx), from, to, Asset.NATIVE,
            ETH.multiply(BigInteger.valueOf(eth)));
    }

    private static final List<Block> BLOCKS = List.of(
        new Block(CHAIN, 10, h(10), h(9), 1_700_000_000L, List.of(leg(10, 0, O, A, 5), leg(10, 1, N, B, 4), leg(10, 2, P, D, 3)), null),
        new Block(CHAIN, 11, h(11), h(10), 1_700_000_012L, List.of(leg(11, 0, A, X, 5), leg(11, 1, B, X, 4), leg(11, 2, D, X, 3)), null));

    private static BlockFeed feed() {
        return new BlockFeed() {
            @Override
            public String describe() {
                return "test blocks";
            }

            @Override
            public OptionalLong expectedBlocks() {
                return OptionalLong.of(BLOCKS.size());
            }

            @Override
            public void run(Consumer<Block> sink) {
                BLOCKS.forEach(sink);
            }
        };
    }

    private static Screening screening() {
        Seed n = new Seed(N, "ofac:1", Category.SANCTIONS, 0, "OFAC SDN 1 Party | DPRK3 | designated 2025-05-01 | list 2025-11-19");
        RetroPlanner.SeedRecord r = new RetroPlanner.SeedRecord(0, 1_700_000_100_000L, N, new ActiveSeed(n, 12));
        return new RetroPlanner(CHAIN, 100).plan(List.of(r), Set.of(), false, OptionalLong.of(0), RetroMode.TRIGGER).screenings().get(0);
    }

    private static List<Alert> screen() throws Exception {
        Screening s = screening();
        List<ActiveSeed> live = List.of(
            new ActiveSeed(new Seed(O, "ofac:1", Category.SANCTIONS, 0, "OFAC SDN 1 Party | DPRK3 | designated 2019-09-13"), 0),
            new ActiveSeed(new Seed(P, "ofac:2", Category.SANCTIONS, 0, "OFAC SDN 2 Other"), 5),
            new ActiveSeed(s.seeds().get(0).seed(), 12));
        ScreeningRunner.Prepared p = ScreeningRunner.prepare(s, live);
        ReplaySettings settings = new ReplaySettings(CHAIN, TaintConfig.defaults(), p.seeds(),
            List.of(new Entity(X, "Example Exchange", Category.EXCHANGE_DEPOSIT, "test", 100)), "ETH", 18);
        return ScreeningRunner.run(settings, s, p.aliases(), feed(), b -> { }).alerts();
    }

    @Test
    void onlyAlertsAboutTheNewAddressAreKept() throws Exception {
        List<Alert> alerts = screen();
        assertThat(alerts).extracting(a -> a.rule().label() + " " + a.subject()).containsExactlyInAnyOrder(
            "tainted-to-exchange " + X, "sanctioned-direct-exposure " + N, "watchlist-movement " + N);
        Alert deposit = alerts.stream().filter(a -> a.rule() == AlertRule.TAINTED_TO_EXCHANGE).findFirst().orElseThrow();
        assertThat(deposit.path().hops()).extracting(hop -> hop.from() + ">" + hop.to()).containsExactly(N + ">" + B, B + ">" + X);
        assertThat(deposit.tainted().raw()).isEqualTo(ETH.multiply(BigInteger.valueOf(4)));
        // the old address of the same party ran under a replay-only id; the alert names the real source
        assertThat(deposit.sources()).extracting(AlertSource::sourceId).containsExactly("ofac:1");
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.retro().designatedAt()).hasToString("2025-05-01");
            assertThat(a.retro().toBlock()).isEqualTo(11);
            assertThat(a.sources()).noneSatisfy(src -> assertThat(src.sourceId()).contains(ScreeningRunner.LIVE_ALIAS));
            AlertSchema.assertValid(a);
        });
    }

    @Test
    void idsAreStableAndNeverALiveAlertsId() throws Exception {
        List<Alert> first = screen();
        List<Alert> again = screen();
        assertThat(again).isEqualTo(first);
        for (Alert a : first) {
            String liveKey = a.dedupKey().substring(("retro|" + screening().id() + "|").length());
            assertThat(a.id()).isNotEqualTo(AlertIds.of(a.chain(), a.rule(), liveKey)).isEqualTo(AlertIds.of(a.chain(), a.rule(), a.dedupKey()));
        }
    }

    @Test
    void oldSeedsStartAtTheBlockTheLiveEngineAppliedThem() {
        Screening s = screening();
        ScreeningRunner.Prepared p = ScreeningRunner.prepare(s, List.of(
            new ActiveSeed(new Seed(O, "ofac:1", Category.SANCTIONS, 0, ""), 7),
            new ActiveSeed(new Seed(P, "ofac:2", Category.SANCTIONS, 0, ""), 5)));
        assertThat(p.seeds()).extracting(x -> x.address() + " " + x.sourceId() + " " + x.validFrom()).containsExactly(
            N + " ofac:1 0", O + " ofac:1~live 7", P + " ofac:2 5");
        assertThat(p.aliases()).isEqualTo(Map.of("ofac:1~live", "ofac:1"));
    }
}
