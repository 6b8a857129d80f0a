package io.taintwatch.alerts.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.alerts.AlertSchema;
import io.taintwatch.alerts.Flows;
import io.taintwatch.alerts.MapLookups;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.model.Alert;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import io.taintwatch.exposure.Exposure;
import io.taintwatch.exposure.ReceivedTaint;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Position;
import io.taintwatch.model.Severity;
import io.taintwatch.model.TronAddress;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposure and screening JSON validate against their schemas in docs (exposure-api.md), on EVM and Tron chains. */
class ExposureJsonTest {
    static final Address A = Address.parse("0x" + "a1".repeat(20));
    static final Address B = Address.parse("0x" + "b2".repeat(20));
    static final Address C = Address.parse("0x" + "c3".repeat(20));
    static final Hash32 TX1 = Hash32.parse("0x" + "11".repeat(32));
    static final Hash32 TX2 = Hash32.parse("0x" + "22".repeat(32));
    static final BigInteger ETH = BigInteger.TEN.pow(18);

    static Exposure exposure(ChainId chain) {
        PathHop hop = new PathHop(new Position(7, 1, 0), TX1, 1_780_000_000L, A, B, Asset.NATIVE, ETH.multiply(BigInteger.TWO), ETH);
        Exposure.Held held = new Exposure.Held(Asset.NATIVE, ETH.multiply(BigInteger.TWO), BalanceBasis.ZERO, "case:1", ETH, 500_000, 1,
            List.of(new Exposure.Evidence(ETH, true, List.of(hop))));
        ReceivedTaint received = new ReceivedTaint("case:1", Asset.NATIVE, ETH.multiply(BigInteger.TWO), 2, 1, new Position(7, 1, 0), TX1,
            new Position(9, 0, 0), TX2, List.of(TX1, TX2));
        ReceivedTaint token = new ReceivedTaint("gone", Asset.token(C), BigInteger.valueOf(5), 1, 3, new Position(8, 0, 2), TX2,
            new Position(8, 0, 2), TX2, List.of(TX2));
        return new Exposure(chain, B, 9, new Entity(B, "Example", Category.EXCHANGE_DEPOSIT, "test", 90, chain.kind()),
            new Exposure.SeedStatus("case:2", Category.SANCTIONS, "OFAC SDN 1", 0, 3), true, List.of(held), List.of(received, token),
            Map.of("case:1", new Exposure.Source("case:1", Category.THEFT, "FBI", List.of(A)), "case:2",
                new Exposure.Source("case:2", Category.SANCTIONS, "OFAC SDN 1", List.of(B))),
            new Exposure.Flow(new Position(7, 1, 0), TX1), new Exposure.Flow(new Position(9, 0, 0), TX2));
    }

    @Test
    void anExposureWithEveryFieldSetValidates() {
        String json = ExposureJson.exposure(exposure(ChainId.ETHEREUM), new MapLookups()).toString();
        assertThat(AlertSchema.errorsAgainst(ExposureJson.EXPOSURE_SCHEMA, json)).as(json).isEmpty();
        assertThat(json).contains("\"share\":\"0.5\"").contains("\"category\":null");
    }

    @Test
    void aTronExposureWritesTronAddressesAndValidates() {
        ChainId tron = new ChainId(728126428, "tron", ChainKind.TRON);
        String json = ExposureJson.exposure(exposure(tron), new MapLookups()).toString();
        assertThat(AlertSchema.errorsAgainst(ExposureJson.EXPOSURE_SCHEMA, json)).as(json).isEmpty();
        assertThat(json).contains("\"address\":\"" + TronAddress.encode(B) + "\"").doesNotContain(B.toString());
    }

    @Test
    void theSchemaRefusesAnExposureWithoutItsHoldings() {
        ObjectNode n = ExposureJson.exposure(exposure(ChainId.ETHEREUM), new MapLookups());
        n.remove("holdings");
        assertThat(AlertSchema.errorsAgainst(ExposureJson.EXPOSURE_SCHEMA, n.toString())).isNotEmpty();
    }

    @Test
    void aScreeningWithAndWithoutFindingsValidates() {
        Entity dep = new Entity(Flows.addr("dep"), "OtherEx", Category.EXCHANGE_DEPOSIT, "test", 90);
        MapLookups lookups = new MapLookups().seed(new Seed(Flows.addr("seed:hack"), "hack", Category.THEFT, 0, "Bybit 2025-02-21")).label(dep);
        Alert alert = new RuleEngine(RulesConfig.defaults(), lookups)
            .onFlow(Flows.flow(10, 0, "m", "dep", ETH, "hack", ETH, 2, FlowKind.TERMINAL, dep)).getFirst().alert();
        Screening hit = new Screening(9, A, B, Asset.NATIVE, ETH, Severity.HIGH, List.of(alert), List.of());
        String json = ExposureJson.screening(hit, ChainId.ETHEREUM, new MapLookups()).toString();
        assertThat(AlertSchema.errorsAgainst(ExposureJson.SCREENING_SCHEMA, json)).as(json).isEmpty();
        assertThat(alert.rule()).isEqualTo(AlertRule.TAINTED_TO_EXCHANGE);
        Screening none = new Screening(9, A, C, Asset.NATIVE, ETH, null, List.of(), List.of());
        String empty = ExposureJson.screening(none, ChainId.ETHEREUM, new MapLookups()).toString();
        assertThat(AlertSchema.errorsAgainst(ExposureJson.SCREENING_SCHEMA, empty)).as(empty).isEmpty();
        assertThat(empty).contains("\"severity\":null").contains("\"alert\":false");
    }
}
