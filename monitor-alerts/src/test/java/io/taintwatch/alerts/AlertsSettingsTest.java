package io.taintwatch.alerts;

import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Severity;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertsSettingsTest {
    private static final String SECRET = "whsec_settings_0123456789";
    private static final String TOKEN = "tok_settings_0123456789";
    private static final String PATH_TOKEN = "T0KEN1N-PATH-42";
    private static final String QUERY_TOKEN = "T0KEN1N-QUERY-42";

    private static AlertsConfig bind(Map<String, String> flat) {
        return AlertsSettings.bind(flat, "localhost:9092", Path.of("state"), List.of(ChainSettings.ethereum()), "watchlist", "labels",
            "alerts", "0.0.0.0", 8080, -1);
    }

    private static Map<String, String> example() {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", "ignored-here:9092");
        m.put("alerts.read-blocks", "true");
        m.put("alerts.quiet-blocks", "7200");
        m.put("alerts.own.entities", "WeEx, WeEx Global");
        m.put("alerts.own.deposit-addresses", addr("d1") + "," + addr("d2").toChecksumHex());
        m.put("alerts.own.hot-wallets", addr("hot").toString());
        m.put("alerts.severity.large-amount.native", "100000000000000000000");
        m.put("alerts.rule.tainted-to-exchange.min-share-ppm", "10000");
        m.put("alerts.rule.tainted-to-exchange.min-amount.ethereum:native", "1000000000000000");
        m.put("alerts.rule.tainted-to-bridge.enabled", "false");
        m.put("alerts.rule.watchlist-movement.max-hops", "1");
        m.put("alerts.policy.policy", "haircut");
        m.put("alerts.policy.max_hops", "6");
        m.put("alerts.api.tokens", TOKEN);
        m.put("alerts.webhooks", "soc");
        m.put("alerts.webhook.soc.url", "https://soc.example/hooks/" + PATH_TOKEN + "?key=" + QUERY_TOKEN);
        m.put("alerts.webhook.soc.secret", SECRET);
        m.put("alerts.webhook.soc.severities", "high,severe");
        m.put("alerts.webhook.soc.retry-budget-ms", "3600000");
        m.put("alerts.api.request-timeout-ms", "2500");
        m.put("alerts.api.max-connections", "300");
        m.put("alerts.api.max-requests", "16");
        m.put("alerts.api.max-streams", "7");
        return m;
    }

    @Test
    void bindsEveryPartFromFlatKeys() {
        AlertsConfig c = bind(example());
        assertThat(c.readBlocks()).isTrue();
        assertThat(c.rules().quietBlocks()).isEqualTo(7200);
        assertThat(c.rules().own().entityNames()).containsExactlyInAnyOrder("weex", "weex global");
        assertThat(c.rules().own().depositAddresses()).containsExactlyInAnyOrder(addr("d1"), addr("d2"));
        assertThat(c.rules().own().hotWallets()).containsExactly(addr("hot"));
        assertThat(c.rules().sanctionedCategories()).containsExactlyInAnyOrder(Category.SANCTIONS, Category.TERRORISM_FINANCING);
        assertThat(c.rules().thresholds(AlertRule.TAINTED_TO_EXCHANGE).minSharePpm()).isEqualTo(10_000);
        assertThat(c.rules().thresholds(AlertRule.TAINTED_TO_EXCHANGE).minAmountFor(ChainId.ETHEREUM, Asset.NATIVE))
            .isEqualTo(new BigInteger("1000000000000000"));
        assertThat(c.rules().thresholds(AlertRule.TAINTED_TO_EXCHANGE).maxHops()).isEqualTo(6); // default kept
        assertThat(c.rules().thresholds(AlertRule.TAINTED_TO_BRIDGE).enabled()).isFalse();
        assertThat(c.rules().thresholds(AlertRule.WATCHLIST_MOVEMENT).maxHops()).isEqualTo(1);
        assertThat(c.rules().policyParameters()).containsEntry("max_hops", "6").containsEntry("policy", "haircut");
        assertThat(c.rules().severity().largeAmount()).containsEntry("native", new BigInteger("100000000000000000000"));
        assertThat(c.api().tokens()).containsExactly(TOKEN);
        assertThat(c.api().host()).isEqualTo("0.0.0.0");
        assertThat(c.api().limits()).isEqualTo(new io.taintwatch.alerts.api.HttpLimits(java.time.Duration.ofMillis(2500), 300, 16, 7));
        assertThat(c.webhooks().endpoints()).singleElement().satisfies(e -> {
            assertThat(e.severities()).containsExactlyInAnyOrder(Severity.HIGH, Severity.SEVERE);
            assertThat(e.retryBudget()).isEqualTo(java.time.Duration.ofHours(1));
            assertThat(e.initialBackoff()).isEqualTo(java.time.Duration.ofSeconds(1)); // default kept
            assertThat(e.secret()).isEqualTo(SECRET);
        });
    }

    @Test
    void theConfigNeverPrintsItsSecrets() {
        String s = bind(example()).toString();
        assertThat(s).doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain(PATH_TOKEN).doesNotContain(QUERY_TOKEN)
            .contains("https://soc.example/***?***");
    }

    @Test
    void aBadWebhookUrlIsRefusedWithoutQuotingIt() {
        Map<String, String> bad = example();
        bad.put("alerts.webhook.soc.url", "https://soc.example/hooks/" + PATH_TOKEN + " x?key=" + QUERY_TOKEN);
        assertThatThrownBy(() -> bind(bad)).hasMessageContaining("config alerts.webhook.soc.url: not a valid URL")
            .satisfies(e -> {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    assertThat(t.getMessage()).doesNotContain(PATH_TOKEN).doesNotContain(QUERY_TOKEN);
                }
            });
        Map<String, String> noHost = example();
        noHost.put("alerts.webhook.soc.url", "https:/hooks/" + PATH_TOKEN);
        assertThatThrownBy(() -> bind(noHost)).hasMessageContaining("must name a host").hasMessageNotContaining(PATH_TOKEN);
    }

    @Test
    void webhookEndpointsBindAloneForTheRedeliveryCommand() {
        Map<String, String> m = example();
        m.put("alerts.quiet-blocks", "not read here");
        assertThat(AlertsSettings.bindWebhooks(m).endpoints()).singleElement()
            .satisfies(e -> assertThat(e.retryBudget()).isEqualTo(java.time.Duration.ofHours(1)));
        m.put("alerts.webhook.soc.max-attempts", "8");
        assertThatThrownBy(() -> AlertsSettings.bindWebhooks(m)).hasMessageContaining("unknown config key alerts.webhook.soc.max-attempts");
    }

    @Test
    void unknownKeysAndBadValuesNameTheKey() {
        Map<String, String> typo = example();
        typo.put("alerts.rule.tainted-to-exchnage.max-hops", "3");
        assertThatThrownBy(() -> bind(typo)).hasMessageContaining("unknown config key alerts.rule.tainted-to-exchnage.max-hops");

        Map<String, String> badInt = example();
        badInt.put("alerts.quiet-blocks", "a week");
        assertThatThrownBy(() -> bind(badInt)).hasMessageContaining("config alerts.quiet-blocks: expected an integer");

        Map<String, String> badAddress = example();
        badAddress.put("alerts.own.hot-wallets", "0x1234");
        assertThatThrownBy(() -> bind(badAddress)).hasMessageContaining("config alerts.own.hot-wallets: bad value '0x1234'");

        Map<String, String> noSecret = example();
        noSecret.remove("alerts.webhook.soc.secret");
        assertThatThrownBy(() -> bind(noSecret)).hasMessageContaining("config alerts.webhook.soc.secret is required");

        Map<String, String> shortToken = example();
        shortToken.put("alerts.api.tokens", "short");
        assertThatThrownBy(() -> bind(shortToken)).hasMessageContaining("config alerts.api.*").hasMessageNotContaining("short,");
    }

    @Test
    void theEnginesParametersBecomeTheAlertsPolicyParameters() {
        Map<String, String> p = AlertsSettings.policyParameters(io.taintwatch.taint.TaintConfig.defaults());
        assertThat(p).containsEntry("policy", "haircut").containsEntry("max_hops", "6").containsEntry("min_share_ppm", "1000")
            .containsEntry("dust[native]", "1000000000000").containsEntry("provenance_k", "3");
        assertThat(p.get("terminal_categories")).contains("exchange-deposit", "mixer", "bridge");
    }

    @Test
    void defaultsNeedNoKeys() {
        AlertsConfig c = bind(Map.of());
        assertThat(c.applicationId()).isEqualTo("taintwatch-alerts");
        assertThat(c.webhooks().endpoints()).isEmpty();
        assertThat(c.rules().thresholds(AlertRule.OWN_DEPOSIT_TAINTED).minSharePpm()).isZero();
        assertThat(c.topics().tokens()).isEqualTo("tokens");
    }
}
