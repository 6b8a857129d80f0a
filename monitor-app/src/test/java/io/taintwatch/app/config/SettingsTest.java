package io.taintwatch.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.app.run.PipelineRuntime;
import io.taintwatch.ingest.source.rpc.EvmChainConfig;
import io.taintwatch.model.PolicyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docs/configuration.md"))) {
            dir = dir.getParent();
        }
        return dir.resolve("docs/configuration.md");
    }

    @Test
    void everyKeyIsDocumentedWithItsDefault() throws Exception {
        String doc = Files.readString(docs());
        for (ConfigKey k : Keys.ALL) {
            assertThat(doc).as("docs/configuration.md documents %s", k.name()).contains("`" + k.name() + "`");
            if (k.defaultValue() != null) {
                assertThat(doc).as("docs/configuration.md gives the default of %s", k.name()).contains("`" + k.defaultValue() + "`");
            }
        }
        for (String ck : Keys.CHAIN_KEYS) {
            assertThat(doc).contains("`chain.<name>." + ck + "`");
        }
    }

    @Test
    void yamlFileEnvironmentAndChainKeysCombine(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("tw.yaml");
        Files.writeString(f, """
            kafka: {bootstrap-servers: "k1:9092"}
            chains: [mainnet]
            chain:
              mainnet: {id: 1, confirmations: 3, trace: trace-block}
            taint: {policy: fifo, max-hops: 4}
            """);
        Settings s = Settings.load(f, Map.of("TAINTWATCH_KAFKA_BOOTSTRAP_SERVERS", "k2:9092",
            "TAINTWATCH_CHAIN_MAINNET_RPC_URLS", "https://user:secret@node.example/key123", "TAINTWATCH_KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL"), Map.of());
        assertThat(s.get(Keys.KAFKA_BOOTSTRAP)).isEqualTo("k2:9092");
        assertThat(s.withPrefix("kafka.client.")).containsEntry("security.protocol", "SSL");
        List<EvmChainConfig> chains = PipelineRuntime.chains(s);
        assertThat(chains).hasSize(1);
        assertThat(chains.get(0).confirmations()).isEqualTo(3);
        assertThat(chains.get(0).endpoints()).containsExactly("https://user:secret@node.example/key123");
        assertThat(PipelineRuntime.taintConfig(s).policy()).isEqualTo(PolicyKind.FIFO);
        assertThat(PipelineRuntime.taintConfig(s).maxHops()).isEqualTo(4);
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
    void mistakesNameTheKeyAndNeverTheSecret(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("tw.properties");
        Files.writeString(f, "chains=main\nchain.main.id=1\nchain.main.rpc-url=https://x/secret-key\n");
        assertThatThrownBy(() -> PipelineRuntime.chains(Settings.load(f, Map.of(), Map.of())))
            .isInstanceOf(ConfigException.class).hasMessageContaining("chain.main.rpc-url").hasMessageNotContaining("secret-key");
        assertThatThrownBy(() -> Settings.load(null, Map.of(), Map.of("taint.polcy", "fifo"))).hasMessageContaining("unknown configuration key 'taint.polcy'");
        assertThatThrownBy(() -> PipelineRuntime.taintConfig(Settings.load(null, Map.of("TAINTWATCH_TAINT_POLICY", "magic"), Map.of())))
            .hasMessageContaining("taint.policy");
    }

    @Test
    void retroScreeningSettingsAreCheckedAndNamed() {
        Map<String, String> base = Map.of("chain.ethereum.id", "1", "chain.ethereum.rpc-urls", "http://node:8545");
        java.util.function.Function<Map<String, String>, io.taintwatch.app.retro.RetroSettings> rs = extra -> {
            Map<String, String> m = new java.util.HashMap<>(base);
            m.putAll(extra);
            Settings s = Settings.load(null, Map.of(), m);
            return PipelineRuntime.retroSettings(s, PipelineRuntime.chains(s).get(0));
        };
        io.taintwatch.app.retro.RetroSettings d = rs.apply(Map.of());
        assertThat(d.mode()).isEqualTo(io.taintwatch.app.retro.RetroMode.OFFER);
        assertThat(d.lookbackBlocks()).isEqualTo(50400);
        assertThat(d.lookbackDuration()).isNull();
        assertThat(d.lookback().describe()).isEqualTo("50400 blocks");
        assertThat(d.seedsChangelog()).isEqualTo("taintwatch-taint-ethereum-taint-seeds-changelog");
        assertThat(rs.apply(Map.of("retro.lookback.duration", "7d")).lookbackDuration()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(rs.apply(Map.of("retro.lookback.duration", "PT12H")).lookback().describe()).isEqualTo("PT12H");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.mode", "sometimes"))).hasMessageContaining("retro.mode").hasMessageContaining("off, offer or trigger");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.lookback.blocks", "-1"))).hasMessageContaining("retro.lookback.blocks");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.lookback.duration", "a week"))).hasMessageContaining("retro.lookback.duration");
        assertThatThrownBy(() -> rs.apply(Map.of("retro.lookback.duration", "0d"))).hasMessageContaining("must be positive");
    }
}
