package io.taintwatch.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.function.Consumer;

import static io.taintwatch.alerts.Flows.ETH;
import static io.taintwatch.alerts.Flows.addr;
import io.taintwatch.model.AlertLookalike;
import io.taintwatch.model.AlertSkipped;
import io.taintwatch.model.Asset;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.Chain;

import static io.taintwatch.alerts.Flows.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertJsonTest {
    private final Alert alert;

    AlertJsonTest() {
        MapLookups l = new MapLookups().seed(new Seed(addr("seed:hack"), "hack", Category.THEFT, 0, "ref"))
            .label(new Entity(addr("dep"), "Ex", Category.EXCHANGE_DEPOSIT, "t", 90));
        Candidate c = new RuleEngine(RulesConfig.defaults(), l)
            .onFlow(flow(10, 0, "m", "dep", ETH.multiply(BigInteger.valueOf(3)), "hack", ETH, 2, FlowKind.TERMINAL, l.entity(addr("dep")))).get(0);
        alert = c.alert();
    }

    @Test
    void amountsAreStringsInBaseUnitsAndHumanForm() throws Exception {
        ObjectNode n = (ObjectNode) new ObjectMapper().readTree(AlertJson.toJson(alert));
        assertThat(n.at("/amount/raw").asText()).isEqualTo("3000000000000000000");
        assertThat(n.at("/amount/formatted").asText()).isEqualTo("3");
        assertThat(n.at("/tainted/formatted").asText()).isEqualTo("1");
        assertThat(n.at("/share").asText()).isEqualTo("0.333333");
        assertThat(n.at("/sharePpm").asLong()).isEqualTo(333_333);
        assertThat(n.at("/schemaVersion").asInt()).isEqualTo(1);
        AlertSchema.assertValid(alert);
    }

    @Test
    void theSchemaRejectsWhatTheLayoutForbids() throws Exception {
        assertRejected(n -> n.put("rule", "made-up-rule"));
        assertRejected(n -> ((ObjectNode) n.get("amount")).put("raw", 12));
        assertRejected(n -> n.put("to", addr("x").toChecksumHex()));
        assertRejected(n -> n.put("unexpected", true));
        assertRejected(n -> n.remove("path"));
        assertRejected(n -> n.put("share", "0.3333333"));
    }

    private void assertRejected(Consumer<ObjectNode> damage) throws Exception {
        ObjectNode n = (ObjectNode) new ObjectMapper().readTree(AlertJson.toJson(alert));
        damage.accept(n);
        assertThat(AlertSchema.errors(n.toString())).isNotEmpty();
    }

    @Test
    void retroactiveFieldsAreOptionalAndRoundTrip() throws Exception {
        ObjectNode live = (ObjectNode) new ObjectMapper().readTree(AlertJson.toJson(alert));
        assertThat(live.has("retroactive")).as("a live alert keeps its layout").isFalse();
        assertThat(live.has("designatedAt")).isFalse();

        Alert retro = alert.asRetro("testnet:tainted-to-exchange:" + "0".repeat(32), "retro|s1|" + alert.dedupKey(), alert.sources(),
            new io.taintwatch.model.AlertRetro("testnet-10-00000000", java.time.LocalDate.of(2019, 9, 13),
                io.taintwatch.model.AlertRetro.BASIS_DESIGNATION, 5, 10, java.util.List.of(addr("seed:hack"))));
        AlertSchema.assertValid(retro);
        ObjectNode n = (ObjectNode) new ObjectMapper().readTree(AlertJson.toJson(retro));
        assertThat(n.get("retroactive").asBoolean()).isTrue();
        assertThat(n.get("designatedAt").asText()).isEqualTo("2019-09-13");
        assertThat(n.at("/retroScreening/fromBlock").asLong()).isEqualTo(5);
        assertThat(n.at("/retroScreening/seeds/0").asText()).isEqualTo(addr("seed:hack").toString());

        // the three fields come together; retroactive is never false (absent means live)
        ObjectNode noDate = n.deepCopy();
        noDate.remove("designatedAt");
        assertThat(AlertSchema.errors(noDate.toString())).isNotEmpty();
        ObjectNode falseFlag = n.deepCopy();
        falseFlag.put("retroactive", false);
        assertThat(AlertSchema.errors(falseFlag.toString())).isNotEmpty();
        ObjectNode badDate = n.deepCopy();
        badDate.put("designatedAt", "13.09.2019");
        assertThat(AlertSchema.errors(badDate.toString())).isNotEmpty();
    }

    @Test
    void headlineSkippedLegsLookalikeEvidenceAndAmountStatusRoundTripAndValidate() throws Exception {
        TokenAmount usdt = new TokenAmount(BigInteger.valueOf(25_000_000), 6, "USDT", true, TokenStatus.UNVERIFIED);
        AlertSkipped skipped = AlertSkipped.merge(AlertSkipped.leg(Asset.token(addr("fake")), SkipReason.COUNTERFEIT, "ЕТН", "Еther",
            TokenStatus.COUNTERFEIT, "symbol \"ЕТН\" looks like ETH"), AlertSkipped.leg(Asset.token(addr("forged")), SkipReason.UNBACKED,
            "USDT", "Tether USD", TokenStatus.UNVERIFIED, ""));
        AlertLookalike.Transfer real = new AlertLookalike.Transfer(Chain.hash("real"), 9, 1_700_000_108L, addr("seed:hack"), addr("mule"),
            Asset.token(addr("usdt")), usdt);
        Alert full = new Alert(alert.id(), alert.schemaVersion(), alert.version(), alert.dedupKey(), alert.rule(), alert.severity(), alert.reasons(),
            alert.recommendedAction(), alert.status(), alert.chain(), alert.legId(), alert.position(), alert.blockTimestamp(), alert.txHash(),
            alert.subject(), alert.from(), alert.to(), alert.fromEntity(), alert.toEntity(), alert.asset(), alert.amount().withStatus(TokenStatus.VERIFIED),
            alert.tainted(), alert.sharePpm(), alert.sources(), alert.path(), alert.policy(), alert.count(), alert.totals(), alert.firstSeen(),
            alert.lastSeen(), null, alert.headline(), skipped,
            new AlertLookalike(addr("look"), addr("mule"), addr("seed:hack"), 3, 4, "zero-value", real, null));

        AlertSchema.assertValid(full);
        assertThat(AlertJson.parse(AlertJson.toBytes(full))).isEqualTo(full);
        ObjectNode n = (ObjectNode) new ObjectMapper().readTree(AlertJson.toJson(full));
        assertThat(n.at("/amount/status").asText()).isEqualTo("verified");
        assertThat(n.at("/skipped/byReason/counterfeit").asLong()).isEqualTo(1);
        assertThat(n.at("/skipped/assets").findValuesAsText("symbol")).containsExactlyInAnyOrder("ЕТН", "USDT");
        assertThat(n.at("/skipped/legs").asLong()).isEqualTo(2);
        assertThat(n.at("/skipped/byReason/unbacked").asLong()).isEqualTo(1);
        assertThat(n.at("/lookalike/real/amount/status").asText()).isEqualTo("unverified");
        assertThat(n.at("/headline/legId").asText()).isEqualTo(alert.legId());
        ObjectNode badKind = n.deepCopy();
        ((ObjectNode) badKind.get("lookalike")).put("kind", "airdrop");
        assertThat(AlertSchema.errors(badKind.toString())).isNotEmpty();
    }

    @Test
    void badJsonIsAClearError() {
        assertThatThrownBy(() -> AlertJson.parse("{\"schemaVersion\":1}")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("invalid alert JSON").hasMessageContaining("is missing");
        assertThatThrownBy(() -> AlertJson.parse("{\"schemaVersion\":7}")).hasMessageContaining("unsupported alert schemaVersion 7");
    }

    @Test
    void idsAreDeterministicFromTheDedupKey() {
        assertThat(alert.id()).matches("testnet:tainted-to-exchange:[0-9a-f]{32}");
        assertThat(AlertIds.of(alert.chain(), alert.rule(), alert.dedupKey())).isEqualTo(alert.id());
    }

    @Test
    void inputJsonErrorsNameTheTopic() {
        assertThatThrownBy(() -> InputJson.token("nope".getBytes())).hasMessageStartingWith("tokens: value is not JSON");
        assertThatThrownBy(() -> AlertSerdes.token().deserializer().deserialize("tokens", "{\"decimals\":\"six\"}".getBytes()))
            .hasMessageContaining("topic tokens").hasMessageContaining("'decimals' is not an integer");
        assertThatThrownBy(() -> InputJson.token("[1,2]".getBytes())).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> InputJson.token("{\"decimals\":99}".getBytes())).hasMessageContaining("0..77");
        assertThat(InputJson.token("{\"symbol\":null,\"decimals\":null}".getBytes())).isEqualTo(new TokenInfo("", null, ""));
    }
}
