package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TagPackImporterTest {
    private static final String REF = " | TagPack 'taintwatch test TagPack' by taintwatch project | https://sanctionssearch.ofac.treas.gov/";

    @Test
    void tagsInheritHeaderFieldsAndMapThroughTheTaxonomy() throws IOException {
        ImportResult r = fixture(ImportMode.LENIENT);

        assertThat(r.records()).isEqualTo(10);
        assertThat(r.seeds()).containsExactly(
            new Seed(Address.parse("0x098B716B8Aaf21512996dC57EB0615e2383E2f96"), "tagpack:lazarus-group", Category.SANCTIONS, 0,
                "Lazarus Group | sanction" + REF),
            // the header's abuse (sanction) outranks the tag's own service_hack concept
            new Seed(Address.parse("0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B"), "tagpack:lazarus-group", Category.SANCTIONS, 0,
                "Lazarus Group | sanction" + REF),
            new Seed(Address.parse("0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc"), "tagpack:tornado-cash-0-1-eth", Category.SANCTIONS, 0,
                "Tornado.Cash: 0.1 ETH | sanction" + REF));
        assertThat(r.entities()).containsExactly(
            new Entity(Address.parse("0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc"), "Tornado.Cash: 0.1 ETH", Category.MIXER,
                "tagpack:taintwatch test TagPack https://sanctionssearch.ofac.treas.gov/", 60),
            new Entity(Address.parse("0x28c6c06298d514db089934071355e5743bf21d60"), "Binance 14", Category.EXCHANGE_HOT_WALLET,
                "tagpack:taintwatch test TagPack https://etherscan.io/accounts/label/binance", 20));
        assertThat(r.skipped())
            .containsEntry("tag of a chain taintwatch does not follow (BTC)", 1)
            .containsEntry("transaction tag (no address)", 1)
            .containsEntry("unmapped concept shop", 1)
            .containsEntry("unmapped concept perpetrator", 2)
            .doesNotContainKey("unmapped concept hot_wallet");
    }

    @Test
    void invalidTagsAreReportedWithTheirLines() throws IOException {
        ImportResult r = fixture(ImportMode.LENIENT);

        assertThat(r.errors()).extracting(ImportProblem::toString).containsExactly(
            "example-tagpack.yaml:31: invalid address '0x098B716B8Aaf21512996dC57EB0615e2383E2F96': EIP-55 checksum mismatch"
                + " (expected 0x098B716B8Aaf21512996dC57EB0615e2383E2f96)",
            "example-tagpack.yaml:33: tag for 0x53b6936513e738f44fb50d2b9476730c0ab3bfc1: unknown category 'casino'"
                + " (not a GraphSense taxonomy concept)",
            "example-tagpack.yaml:42: tag for 0x3cffd56b47b7b41c56258d9c7731abadc360e073: unknown confidence 'gut_feeling'"
                + " (known: authority_data, forensic, heuristic, manual_transaction, override, ownership, service_api,"
                + " service_data, trusted_provider, unknown, untrusted_transaction, web_crawl)");
        assertThatThrownBy(() -> fixture(ImportMode.STRICT)).isInstanceOf(ImportException.class).hasMessageContaining("3 errors");
    }

    @Test
    void headerMustNameTitleCreatorAndTags() {
        assertThatThrownBy(() -> read("creator: x\ntags: []\n")).hasMessageStartingWith("t.yaml:1: TagPack header has no 'title'");
        assertThatThrownBy(() -> read("title: t\ncreator: x\n")).hasMessageStartingWith("t.yaml:1: TagPack has no 'tags' list");
        assertThatThrownBy(() -> read("- a\n- b\n")).hasMessageStartingWith("t.yaml:1: a TagPack is a YAML mapping");
        assertThatThrownBy(() -> read("title: t\ntags: [\n")).hasMessageContaining("not valid YAML");
    }

    @Test
    void tagWithoutCurrencyIsAnError() throws IOException {
        ImportResult r = new TagPackImporter().read(stream("title: t\ncreator: c\ntags:\n  - address: '0x53b6936513e738f44fb50d2b9476730c0ab3bfc1'\n"
            + "    label: x\n    category: exchange\n"), "t.yaml", ImportMode.LENIENT);

        assertThat(r.errors()).extracting(ImportProblem::toString)
            .containsExactly("t.yaml:4: tag for 0x53b6936513e738f44fb50d2b9476730c0ab3bfc1 has no currency or network");
    }

    @Test
    void trxTagsAreTronLabelsAndSeedsAndABadChecksumIsAnErrorNamingItsLine() throws IOException {
        ImportResult r = read("""
            title: Tron wallets
            creator: c
            category: exchange
            tags:
              - address: 'TMuA6YqfCeX8EhbfYEg5y7S4DqzSJireY9'
                currency: TRX
                label: an exchange's reserve wallet
              - address: 'TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM'
                currency: USDT
                label: someone sanctioned
                category: null
                abuse: sanction
              - address: 'TMuA6YqfCeX8EhbfYEg5y7S4DqzSJireY8'
                currency: TRX
                label: a typo
              - address: 'T6MXHXMGXURKJ7AD5NCB4IYPLWX'
                currency: USDT
                label: not an address of a chain we follow
            """);

        assertThat(r.entities()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(io.taintwatch.model.ChainKind.TRON);
            assertThat(e.key()).isEqualTo("TMuA6YqfCeX8EhbfYEg5y7S4DqzSJireY9");
            assertThat(e.category()).isEqualTo(Category.EXCHANGE);
        });
        assertThat(r.seeds()).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(io.taintwatch.model.ChainKind.TRON);
            assertThat(s.key()).isEqualTo("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM");
            assertThat(s.category()).isEqualTo(Category.SANCTIONS);
        });
        assertThat(r.errors()).extracting(ImportProblem::toString).containsExactly(
            "t.yaml:13: invalid Tron address 'TMuA6YqfCeX8EhbfYEg5y7S4DqzSJireY8': Base58Check checksum mismatch");
        assertThat(r.skipped()).containsEntry("tag of a chain taintwatch does not follow (USDT)", 1);
    }

    private static ImportResult fixture(ImportMode mode) throws IOException {
        try (InputStream in = TagPackImporterTest.class.getResourceAsStream("example-tagpack.yaml")) {
            return new TagPackImporter().read(in, "example-tagpack.yaml", mode);
        }
    }

    private static ImportResult read(String yaml) throws IOException {
        return new TagPackImporter().read(stream(yaml), "t.yaml", ImportMode.LENIENT);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
