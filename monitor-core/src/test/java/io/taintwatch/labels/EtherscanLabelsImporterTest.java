package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EtherscanLabelsImporterTest {
    private static final Address TORNADO_01_ETH = Address.parse("0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc");
    private static final Address BINANCE_14 = Address.parse("0x28c6c06298d514db089934071355e5743bf21d60");

    @Test
    void stringLabelDumpMapsExchangesMixersAndSanctions() throws IOException {
        ImportResult r = new EtherscanLabelsImporter().read(
            SharedData.path("labels/brianleect_etherscan-labels/etherscan_combinedAccountLabels.json"), ImportMode.STRICT);

        assertThat(r.records()).isEqualTo(23288);
        assertThat(r.errors()).isEmpty();
        assertThat(r.entities()).contains(
            new Entity(BINANCE_14, "Binance 14", Category.EXCHANGE, "etherscan:binance", 80),
            new Entity(TORNADO_01_ETH, "Tornado.Cash: 0.1 ETH", Category.MIXER, "etherscan:tornado-cash", 80));
        assertThat(r.seeds()).contains(new Seed(TORNADO_01_ETH, "etherscan:ofac-sanctions-lists", Category.SANCTIONS, 0,
            "Etherscan label ofac-sanctions-lists: Tornado.Cash: 0.1 ETH"));
        // 72 addresses carry ofac-sanctions-lists (15 of them also blocked: the OFAC listing names the source)
        assertThat(r.seeds()).filteredOn(s -> s.sourceId().equals("etherscan:ofac-sanctions-lists")).hasSize(72);
        // the null address is "blocked" and "burn": never a seed
        assertThat(r.seeds()).noneMatch(s -> s.address().isZero());
        assertThat(r.skipped()).containsEntry("unmapped slug mev-bot", 331).containsKey("zero address (never a label or seed)");
    }

    @Test
    void objectLabelDumpYieldsTheftAndPhishingSeedsPerIncident() throws IOException {
        ImportResult r = new EtherscanLabelsImporter().read(
            SharedData.path("labels/InvisibleSymbol_etherscan-labels_2022-04-23/all.json.bz"), ImportMode.LENIENT);

        assertThat(r.records()).isEqualTo(179347);
        assertThat(r.seeds()).filteredOn(s -> s.sourceId().equals("etherscan:upbit-hack"))
            .hasSize(815).allMatch(s -> s.category() == Category.THEFT);
        assertThat(r.seeds()).filteredOn(s -> s.sourceId().equals("etherscan:phish-hack"))
            .allMatch(s -> s.category() == Category.PHISHING).hasSizeGreaterThan(5000);
        assertThat(r.seeds()).contains(new Seed(Address.parse("0xa09871aeadf4994ca12f5c0b6056bbd1d343c029"), "etherscan:upbit-hack",
            Category.THEFT, 0, "Etherscan label upbit-hack: Upbit Hacker 1"));
        // mixed-case keys are EIP-55-checked: two keys in this dump have a wrongly cased letter (the file is one line)
        assertThat(r.errors()).extracting(ImportProblem::toString).containsExactly(
            "all.json.bz:1: invalid address '0xA0DF9CA52e8aB5DDE22C55D9B3C2CDF814B9B773': EIP-55 checksum mismatch"
                + " (expected 0xA0DF9CA52e8aB5DDe22C55D9B3C2CDF814B9B773)",
            "all.json.bz:1: invalid address '0xf299f6B031Cc4dd1BfcB86A5e5590f99336a29c6': EIP-55 checksum mismatch"
                + " (expected 0xf299f6B031Cc4dd1BfcB86A5e5590f99336a29C6)");
    }

    @Test
    void slugMappingCoversFamiliesAndLeavesTheRestUnmapped() {
        assertThat(EtherscanSlugs.entity("binance-deposit")).contains(Category.EXCHANGE_DEPOSIT);
        assertThat(EtherscanSlugs.entity("eth2-depositor")).isEmpty();
        assertThat(EtherscanSlugs.entity("hot-wallet")).contains(Category.EXCHANGE_HOT_WALLET);
        assertThat(EtherscanSlugs.entity("wormhole")).contains(Category.BRIDGE);
        assertThat(EtherscanSlugs.entity("uniswap")).contains(Category.DEX);
        assertThat(EtherscanSlugs.seed("cryptopia-hack")).contains(Category.THEFT);
        assertThat(EtherscanSlugs.seed("bzx-exploit")).contains(Category.THEFT);
        assertThat(EtherscanSlugs.seed("phish-hack")).contains(Category.PHISHING);
        assertThat(EtherscanSlugs.seed("plus-token-scam")).contains(Category.SCAM);
        assertThat(EtherscanSlugs.seed("blocked")).contains(Category.SANCTIONS);
        assertThat(EtherscanSlugs.seed("high-risk")).isEmpty();
        assertThat(EtherscanSlugs.entity("high-risk")).isEmpty();
    }

    @Test
    void badEntriesAreReportedAndStrictModeImportsNothing() throws IOException {
        String json = """
            {
              "0x098b716b8aaf21512996dc57eb0615e2383e2f96": {"name": "Kraken 4", "labels": ["kraken", "hot-wallet"]},
              "0x098B716B8Aaf21512996dC57EB0615e2383E2F96": {"name": "bad checksum", "labels": ["exchange"]},
              "not-an-address": {"name": "x", "labels": []},
              "0x53b6936513e738f44fb50d2b9476730c0ab3bfc1": ["not", "an", "object"],
              "0x35fb6f6db4fb05e6a4ce86f2c93691425626d4b1": {"name": "Fake_Phishing1", "labels": [{"label_id": "phish-hack"}, {"label_id": "spam-token"}]},
              "0x3cffd56b47b7b41c56258d9c7731abadc360e073": {"name": "one string", "labels": "exchange"}
            }
            """;

        ImportResult r = read(json, ImportMode.LENIENT);

        assertThat(r.entities()).containsExactly(new Entity(Address.parse("0x098b716b8aaf21512996dc57eb0615e2383e2f96"), "Kraken 4",
            Category.EXCHANGE_HOT_WALLET, "etherscan:hot-wallet", 80));
        assertThat(r.seeds()).containsExactly(new Seed(Address.parse("0x35fb6f6db4fb05e6a4ce86f2c93691425626d4b1"),
            "etherscan:phish-hack", Category.PHISHING, 0, "Etherscan label phish-hack: Fake_Phishing1"));
        assertThat(r.skipped()).containsEntry("unmapped slug spam-token", 1);
        assertThat(r.errors()).extracting(ImportProblem::toString).containsExactly(
            "e.json:3: invalid address '0x098B716B8Aaf21512996dC57EB0615e2383E2F96': EIP-55 checksum mismatch"
                + " (expected 0x098B716B8Aaf21512996dC57EB0615e2383E2f96)",
            "e.json:4: invalid address 'not-an-address': expected 40 hex digits, got 14",
            "e.json:5: address 0x53b6936513e738f44fb50d2b9476730c0ab3bfc1: expected {name, labels}, got ARRAY",
            "e.json:7: address 0x3cffd56b47b7b41c56258d9c7731abadc360e073: 'labels' must be a list, got STRING");
        assertThatThrownBy(() -> read(json, ImportMode.STRICT)).isInstanceOf(ImportException.class).hasMessageContaining("4 errors");
        assertThatThrownBy(() -> read("[1, 2]", ImportMode.LENIENT)).hasMessageStartingWith("e.json:1: expected a JSON object");
        assertThatThrownBy(() -> read("{\"0x00\": {", ImportMode.LENIENT)).hasMessageStartingWith("e.json:1: not valid JSON");
    }

    @Test
    void bytesThatAreNotUtf8AreAClearFileErrorAndAByteOrderMarkIsSkipped() throws IOException {
        // 0xFF inside a name: skipped, it would join the digits around it into an address that is not written
        byte[] bad = "{\"0x12d66f87a04a9e220743712ce6d9bb1b5616b8\u0001fc\": {\"name\": \"x\", \"labels\": []}}".getBytes(StandardCharsets.UTF_8);
        bad[42] = (byte) 0xFF;
        assertThatThrownBy(() -> new EtherscanLabelsImporter().read(new ByteArrayInputStream(bad), "e.json", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("e.json:0: not valid UTF-8 text");
        byte[] bom = "\uFEFF{\"0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc\": {\"name\": \"x\", \"labels\": [\"upbit-hack\"]}}".getBytes(StandardCharsets.UTF_8);
        assertThat(new EtherscanLabelsImporter().read(new ByteArrayInputStream(bom), "e.json", ImportMode.STRICT).seeds()).hasSize(1);
    }

    private static ImportResult read(String json, ImportMode mode) throws IOException {
        return new EtherscanLabelsImporter().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "e.json", mode);
    }
}
