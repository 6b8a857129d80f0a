package io.taintwatch.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.alerts.AlertsConfig;
import io.taintwatch.alerts.delivery.WebhookEndpoint;
import io.taintwatch.app.retro.RetroMode;
import io.taintwatch.app.retro.RetroSettings;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Severity;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaintwatchConfigTest {
    static Path repoFile(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve(relative))) {
            dir = dir.getParent();
        }
        return dir.resolve(relative);
    }

    private static PipelineConfig config(Map<String, String> values) {
        return new PipelineConfig(TaintwatchConfig.of(values));
    }

    @Test
    void theConfigurationPageIsWhatTheDeclarationsSay() throws Exception {
        String committed = Files.readString(repoFile("docs/configuration.md"));
        assertThat(committed).as("docs/configuration.md is generated: ./taintwatch config docs > docs/configuration.md")
            .isEqualTo(ConfigDocs.markdown());
    }

    @Test
    void yamlFileEnvironmentAndChainKeysCombine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("tw.yaml");
        Files.writeString(f, """
            kafka: {bootstrap-servers: "k1:9092"}
            chains: [mainnet]
            chain:
              mainnet: {id: 1, confirmations: 3, trace: trace-block}
            taint: {policy: fifo, max-hops: 4}
            """);
        PipelineConfig c = new PipelineConfig(TaintwatchConfig.load(f, Map.of("TAINTWATCH_KAFKA_BOOTSTRAP_SERVERS", "k2:9092",
            "TAINTWATCH_CHAIN_MAINNET_RPC_URLS", "https://user:secret@node.example/key123", "TAINTWATCH_KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL"),
            Map.of()));
        assertThat(c.kafka().bootstrapServers()).isEqualTo("k2:9092");
        assertThat(c.kafka().settings()).containsEntry("security.protocol", "SSL");
        List<EvmChainConfig> chains = c.ingestChains();
        assertThat(chains).hasSize(1);
        assertThat(chains.get(0).confirmations()).isEqualTo(3);
        assertThat(chains.get(0).endpoints()).containsExactly("https://user:secret@node.example/key123");
        assertThat(c.taint().policy()).isEqualTo(PolicyKind.FIFO);
        assertThat(c.taint().maxHops()).isEqualTo(4);
        assertThat(c.raw().toString()).doesNotContain("secret").doesNotContain("key123");
    }

    @Test
    void aTronChainIsBoundWithItsKindsDefaultsAndBothEndpointLists() {
        PipelineConfig c = new PipelineConfig(TaintwatchConfig.of(Map.of("chains", "ethereum,tron", "chain.ethereum.id", "1",
            "chain.ethereum.rpc-urls", "http://eth:8545", "chain.tron.id", "728126428", "chain.tron.kind", "tron",
            "chain.tron.rpc-urls", "http://tron:8545/jsonrpc", "chain.tron.http-urls", "http://tron:8090,http://tron2:8090/key-in-path",
            "chain.tron.weth", "TNUC9Qb1rRpS5CbWLmNMxXBjyFoydXjWFR")));

        assertThat(c.chainIds()).extracting(io.taintwatch.model.ChainId::kind)
            .containsExactly(io.taintwatch.model.ChainKind.EVM, io.taintwatch.model.ChainKind.TRON);
        assertThat(c.ingestChains()).extracting(e -> e.chain().name()).containsExactly("ethereum");
        assertThat(c.tronIngestChains()).singleElement().satisfies(t -> {
            assertThat(t.chain().kind()).isEqualTo(io.taintwatch.model.ChainKind.TRON);
            assertThat(t.rpcEndpoints()).containsExactly("http://tron:8545/jsonrpc");
            assertThat(t.httpEndpoints()).containsExactly("http://tron:8090", "http://tron2:8090/key-in-path");
            // on Tron the solidified block by default, and a wrapped TRX contract given as T...
            assertThat(t.useFinalized()).isTrue();
            assertThat(t.wrappedNative()).containsExactly(io.taintwatch.model.Address.parse("TNUC9Qb1rRpS5CbWLmNMxXBjyFoydXjWFR"));
            assertThat(t.toString()).doesNotContain("key-in-path");
        });
        assertThat(c.chainSettings()).extracting(s -> s.name() + " " + s.nativeSymbol() + " " + s.nativeDecimals() + " " + s.kind().label())
            .containsExactly("ethereum ETH 18 evm", "tron TRX 6 tron");
        assertThat(c.taintTopology(c.chainIds().get(1)).chain().kind()).isEqualTo(io.taintwatch.model.ChainKind.TRON);
        assertThat(c.nativeAsset(c.chainIds().get(1))).extracting(n -> n.symbol() + " " + n.name() + " " + n.decimals()).isEqualTo("TRX Tronix 6");

        assertThatThrownBy(() -> new PipelineConfig(TaintwatchConfig.of(Map.of("chains", "tron", "chain.tron.id", "728126428",
            "chain.tron.kind", "tron", "chain.tron.rpc-urls", "http://tron:8545/jsonrpc"))).tronIngestChains())
            .hasMessageContaining("'chain.tron.http-urls' is required by the ingest part");
        assertThatThrownBy(() -> new PipelineConfig(TaintwatchConfig.of(Map.of("chains", "tron", "chain.tron.id", "728126428",
            "chain.tron.kind", "tron", "chain.tron.rpc-urls", "http://t", "chain.tron.http-urls", "http://t", "chain.tron.balances", "true")))
            .tronIngestChains()).hasMessageContaining("chain.tron.balances").hasMessageContaining("latest block only");
        assertThatThrownBy(() -> TaintwatchConfig.of(Map.of("chains", "x", "chain.x.id", "5", "chain.x.kind", "solana")))
            .hasMessageContaining("chain.x.kind").hasMessageContaining("evm, tron");
    }

    @Test
    void mistakesNameTheKeyAndNeverTheSecret(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("tw.properties");
        Files.writeString(f, "chains=main\nchain.main.id=1\nchain.main.rpc-url=https://x/secret-key\n");
        assertThatThrownBy(() -> TaintwatchConfig.load(f, Map.of(), Map.of())).isInstanceOf(ConfigException.class)
            .hasMessageContaining("'chain.main.rpc-url'").hasMessageContaining("did you mean 'chain.main.rpc-urls'")
            .hasMessageNotContaining("secret-key");
        assertThatThrownBy(() -> TaintwatchConfig.of(Map.of("taint.polcy", "fifo"))).hasMessageContaining("unknown configuration key 'taint.polcy'")
            .hasMessageContaining("did you mean 'taint.policy'");
        assertThatThrownBy(() -> TaintwatchConfig.load(null, Map.of("TAINTWATCH_TAINT_POLICY", "magic"), Map.of()))
            .hasMessageContaining("taint.policy").hasMessageContaining("haircut");
        assertThatThrownBy(() -> TaintwatchConfig.of(Map.of("chain.polygon.id", "137"))).hasMessageContaining("chain 'polygon'")
            .hasMessageContaining("'chains'");
        assertThatThrownBy(() -> TaintwatchConfig.of(Map.of("kafka.client.sasl.mechanisms", "PLAIN")))
            .hasMessageContaining("did you mean 'kafka.client.sasl.mechanism'");
        // a secret's bad value is named by its key, never shown
        assertThatThrownBy(() -> config(Map.of("chain.ethereum.id", "1", "alerts.webhooks", "x", "alerts.webhook.x.url", "ftp://h/tok-123",
            "alerts.webhook.x.secret", "0123456789abcdef0123")).webhooks()).hasMessageContaining("webhook 'x'").hasMessageNotContaining("tok-123");
        assertThatThrownBy(() -> config(Map.of("chain.ethereum.id", "1", "taint.max-hops", "40")).taint()).hasMessageContaining("taint.max-hops");
    }

    @Test
    void everyAlertKeyReachesTheAlertsPart() {
        Map<String, String> v = new HashMap<>();
        v.put("chain.ethereum.id", "1");
        v.put("http.bind", "0.0.0.0");
        v.put("http.port", "18080");
        v.put("alerts.api.tokens", "token-aaaaaaaaaaaaaaaa, token-bbbbbbbbbbbbbbbb");
        v.put("alerts.api.max-alerts", "500");
        v.put("alerts.own.entity-names", "Our Exchange");
        v.put("alerts.severity.medium-at", "2");
        v.put("alerts.severity.high-at", "3");
        v.put("alerts.severity.large-amount.native", "100000000000000000000");
        v.put("alerts.rule.tainted-to-mixer.enabled", "false");
        v.put("alerts.rule.tainted-to-exchange.min-share-ppm", "5000");
        v.put("alerts.rule.tainted-to-exchange.max-hops", "3");
        v.put("alerts.rule.tainted-to-exchange.min-amount.native", "1000");
        v.put("alerts.webhooks", "pager");
        v.put("alerts.webhook.pager.url", "https://hooks.example/p");
        v.put("alerts.webhook.pager.secret", "0123456789abcdef0123");
        v.put("alerts.webhook.pager.severities", "high,severe");
        v.put("alerts.webhook.pager.rules", "tainted-to-exchange");
        v.put("alerts.webhook.pager.chains", "ethereum");
        v.put("alerts.webhook.pager.timeout-ms", "2500");
        v.put("taint.max-hops", "5");
        v.put("alerts.rule.address-poisoning.prefix-digits", "6");
        v.put("alerts.rule.address-poisoning.suffix-digits", "4");
        v.put("alerts.rule.address-poisoning.window-seconds", "86400");
        v.put("alerts.rule.address-poisoning.max-entries", "1000");
        v.put("alerts.rule.address-poisoning.scope", "all");
        v.put("alerts.rule.address-poisoning.dust.ethereum:native", "1000000000000000");
        v.put("alerts.rule.withdrawal-to-lookalike.min-amount.native", "7");
        AlertsConfig a = config(v).alerts();
        assertThat(a.api().host()).isEqualTo("0.0.0.0");
        assertThat(a.api().port()).isEqualTo(18080);
        assertThat(a.api().tokens()).hasSize(2);
        assertThat(a.api().maxAlerts()).isEqualTo(500);
        assertThat(a.rules().own().entityNames()).containsExactly("our exchange");
        assertThat(a.rules().severity().mediumAt()).isEqualTo(2);
        assertThat(a.rules().severity().highAt()).isEqualTo(3);
        assertThat(a.rules().severity().largeAmount()).containsEntry("native", new BigInteger("100000000000000000000"));
        assertThat(a.rules().thresholds(AlertRule.TAINTED_TO_MIXER).enabled()).isFalse();
        assertThat(a.rules().thresholds(AlertRule.TAINTED_TO_EXCHANGE).minSharePpm()).isEqualTo(5000);
        assertThat(a.rules().thresholds(AlertRule.TAINTED_TO_EXCHANGE).maxHops()).isEqualTo(3);
        assertThat(a.rules().thresholds(AlertRule.TAINTED_TO_EXCHANGE).minAmount()).containsEntry("native", BigInteger.valueOf(1000));
        assertThat(a.rules().thresholds(AlertRule.OWN_DEPOSIT_TAINTED).minSharePpm()).as("untouched rules keep their own defaults").isZero();
        assertThat(a.rules().lookalike()).isEqualTo(new io.taintwatch.alerts.rules.LookalikeConfig(6, 4, 86_400, 1000,
            Map.of("ethereum:native", new BigInteger("1000000000000000")), io.taintwatch.alerts.rules.LookalikeConfig.Scope.ALL));
        assertThat(a.rules().thresholds(AlertRule.WITHDRAWAL_TO_LOOKALIKE).minAmount()).containsEntry("native", BigInteger.valueOf(7));
        assertThatThrownBy(() -> config(Map.of("chain.ethereum.id", "1", "alerts.rule.address-poisoning.prefix-digits", "20",
            "alerts.rule.address-poisoning.suffix-digits", "20")).rules()).hasMessageContaining("alerts.rule.address-poisoning.")
            .hasMessageContaining("at most 39");
        // live alerts carry the engine's parameters, from the same file's taint.* keys
        assertThat(a.rules().policyParameters()).containsEntry("policy", "haircut").containsEntry("max_hops", "5");
        WebhookEndpoint e = a.webhooks().endpoints().get(0);
        assertThat(e.severities()).containsExactlyInAnyOrder(Severity.HIGH, Severity.SEVERE);
        assertThat(e.rules()).containsExactly(AlertRule.TAINTED_TO_EXCHANGE);
        assertThat(e.chains()).containsExactly("ethereum");
        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(a.readBlocks()).isTrue();
        assertThatThrownBy(() -> config(Map.of("chain.ethereum.id", "1", "alerts.webhooks", "p", "alerts.webhook.p.url", "https://h/",
            "alerts.webhook.p.secret", "0123456789abcdef0123", "alerts.webhook.p.chains", "polygon")).webhooks()).hasMessageContaining("polygon");
    }

    @Test
    void aSinglePartCommandRefusesParts() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = io.taintwatch.app.cli.TaintwatchCommand.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        assertThat(cl.execute("ingest", "--parts", "taint")).isEqualTo(2);
        assertThat(err.toString()).contains("--parts belongs to 'taintwatch run'");
    }

    @Test
    void retroScreeningSettingsAreCheckedAndNamed() {
        Function<Map<String, String>, RetroSettings> rs = extra -> {
            Map<String, String> m = new HashMap<>(Map.of("chain.ethereum.id", "1", "chain.ethereum.rpc-urls", "http://node:8545"));
            m.putAll(extra);
            PipelineConfig c = config(m);
            return c.retro(c.chainIds().get(0));
        };
        RetroSettings d = rs.apply(Map.of());
        assertThat(d.mode()).isEqualTo(RetroMode.OFFER);
        assertThat(d.lookbackBlocks()).isEqualTo(50400);
        assertThat(d.lookbackDuration()).isNull();
        assertThat(d.lookback().describe()).isEqualTo("50400 blocks");
        assertThat(d.seedsChangelog()).isEqualTo("taintwatch-taint-ethereum-taint-seeds-changelog");
        assertThat(rs.apply(Map.of("retro.lookback.duration", "7d")).lookbackDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(rs.apply(Map.of("retro.lookback.duration", "PT12H")).lookback().describe()).isEqualTo("PT12H");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.mode", "sometimes"))).hasMessageContaining("retro.mode").hasMessageContaining("off, offer, trigger");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.lookback.blocks", "-1"))).hasMessageContaining("retro.lookback.blocks");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.lookback.duration", "a week"))).hasMessageContaining("retro.lookback.duration");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.lookback.duration", "0d"))).hasMessageContaining("must be positive");
    }
}
