package io.taintwatch.ingest.source.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedactedUrlTest {
    @Test
    void pathKeysUserInfoAndQueryTokensAreHidden() {
        RedactedUrl alchemy = RedactedUrl.of("https://eth-mainnet.g.alchemy.com/v2/Sup3rS3cretKey");
        assertThat(alchemy.toString()).isEqualTo("https://eth-mainnet.g.alchemy.com/***");
        assertThat(alchemy.host()).isEqualTo("eth-mainnet.g.alchemy.com");
        assertThat(alchemy.label()).isEqualTo("eth-mainnet.g.alchemy.com");
        RedactedUrl basic = RedactedUrl.of("https://alice:hunter2@node.example.org:8545/");
        assertThat(basic.toString()).isEqualTo("https://***@node.example.org:8545").doesNotContain("hunter2").doesNotContain("alice");
        assertThat(basic.label()).isEqualTo("node.example.org:8545");
        RedactedUrl query = RedactedUrl.of("https://rpc.example.net/?apikey=abc123&x=1");
        assertThat(query.toString()).isEqualTo("https://rpc.example.net?***");
        assertThat(RedactedUrl.of("http://127.0.0.1:8545").toString()).isEqualTo("http://127.0.0.1:8545");
    }

    @Test
    void scrubRemovesTheSecretsFromFreeText() {
        RedactedUrl u = RedactedUrl.of("https://bob:pw@mainnet.infura.io/v3/0123456789abcdef?token=zzz");
        String msg = u.scrub("request to https://bob:pw@mainnet.infura.io/v3/0123456789abcdef?token=zzz failed; path /v3/0123456789abcdef token=zzz");
        assertThat(msg).doesNotContain("0123456789abcdef").doesNotContain("zzz").doesNotContain(":pw").contains("mainnet.infura.io");
    }

    @Test
    void chainConfigToStringDoesNotLeakEndpointKeys() {
        EvmChainConfig c = EvmChainConfig.ethereum(java.util.List.of("https://eth-mainnet.g.alchemy.com/v2/Sup3rS3cretKey"));
        assertThat(c.toString()).doesNotContain("Sup3rS3cretKey").contains("eth-mainnet.g.alchemy.com/***");
        assertThat(new io.taintwatch.ingest.IngestConfig(io.taintwatch.ingest.publish.KafkaSinkConfig.defaults("localhost:9092"),
            RpcSettings.defaults(), java.util.List.of(c)).toString()).doesNotContain("Sup3rS3cretKey");
    }

    @Test
    void malformedUrlErrorDoesNotRepeatIt() {
        assertThatThrownBy(() -> RedactedUrl.of("https://host/v2/se cret")).hasMessageNotContaining("se cret").hasMessageContaining("not shown");
        assertThatThrownBy(() -> RedactedUrl.of("no-scheme-secret")).hasMessageNotContaining("no-scheme-secret");
    }

    @Test
    void anExcerptScrubsBeforeItCutsSoNoPartOfAKeySurvivesTheCut() {
        String key = "0123456789abcdef0123";
        RedactedUrl u = RedactedUrl.of("https://mainnet.infura.io/v3/" + key);
        String text = "x".repeat(95) + " GET /v3/" + key + " failed";
        // a cut after 100 characters would leave the key's first characters behind
        assertThat(text.substring(0, 110)).contains(key.substring(0, 6));
        String e = u.excerpt(text, 110);
        assertThat(e).doesNotContain(key.substring(0, 4)).hasSizeLessThanOrEqualTo(113).endsWith("...");
        assertThat(u.excerpt("short", 110)).isEqualTo("short");
    }

    @Test
    void aKeyQuotedAloneIsScrubbedToo() {
        RedactedUrl u = RedactedUrl.of("https://eth-mainnet.g.alchemy.com/v2/Sup3rS3cretKeyValue?apikey=An0therS3cretToken");
        assertThat(u.scrub("invalid key Sup3rS3cretKeyValue; token An0therS3cretToken refused; see /v2 docs"))
            .doesNotContain("Sup3rS3cretKeyValue").doesNotContain("An0therS3cretToken").contains("see /v2 docs");
    }
}
