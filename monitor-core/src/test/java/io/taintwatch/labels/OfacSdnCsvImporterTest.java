package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfacSdnCsvImporterTest {
    @Test
    void tornadoCashEntryIsReportedAsTruncatedAndOnlyItsCompleteItemsAreImported() throws IOException {
        SdnExtract x = new OfacSdnCsvImporter().extract(SharedData.path("ofac/sdn_csv/sdn_2024-05-03.csv.gz"), ImportMode.STRICT);

        assertThat(x.result().records()).isEqualTo(14965);
        assertThat(x.result().errors()).isEmpty();
        assertThat(x.result().warnings()).anySatisfy(w -> {
            assertThat(w.file()).isEqualTo("sdn_2024-05-03.csv.gz");
            assertThat(w.line()).isEqualTo(11002);
            assertThat(w.reason()).startsWith("entry 39796 (TORNADO CASH): Remarks cut at 1000 characters by OFAC, ending mid-item"
                + " 'alt. Digital Currency A'").endsWith("import sdn_advanced.xml instead");
        });
        // every cut entry is named (Lazarus Group's cut removed all of its addresses), and only cut entries are
        assertThat(x.result().warnings()).hasSize(18)
            .anySatisfy(w -> assertThat(w.reason()).startsWith("entry 27307 (LAZARUS GROUP): Remarks cut"));
        List<SdnAddress> tornado = x.addresses().stream().filter(a -> a.partyId().equals("39796")).toList();
        assertThat(tornado).hasSize(12).allSatisfy(a -> {
            assertThat(a.programs()).containsExactly("DPRK3", "CYBER2");
            assertThat(a.toSeed().sourceId()).isEqualTo("ofac:39796");
            assertThat(a.toSeed().category()).isEqualTo(Category.SANCTIONS);
        });
        assertThat(tornado).extracting(SdnAddress::address).contains(Address.parse("0xD21be7248e0197Ee08E0c20D4a96DEBdaC3D20Af"));
        // 49 ETH, 6 USDT, 2 USDC, ETC, ARB and BSC items with 0x values, minus the 13th Tornado item that was cut mid-address;
        // and 15 Tron addresses (USDT and TRX items with T... values)
        assertThat(x.result().seeds()).filteredOn(s -> s.kind() == ChainKind.EVM).hasSize(53);
        assertThat(x.result().seeds()).filteredOn(s -> s.kind() == ChainKind.TRON).hasSize(15)
            .allSatisfy(s -> assertThat(s.key()).startsWith("T"));
        assertThat(x.result().skipped()).containsKey("address of a chain taintwatch does not follow, listed as XBT");
    }

    @Test
    void digitalCurrencyRowsFileGivesTheSameAddressesForItsEntries() throws IOException {
        SdnExtract all = new OfacSdnCsvImporter().extract(SharedData.path("ofac/sdn_csv/sdn_2024-05-03.csv.gz"), ImportMode.STRICT);
        SdnExtract rows = new OfacSdnCsvImporter().extract(
            SharedData.path("ofac/sdn_csv/sdn_2024-05-03_digital-currency-rows.csv"), ImportMode.STRICT);

        assertThat(rows.result().records()).isEqualTo(55);
        assertThat(rows.result().seeds()).containsExactlyInAnyOrderElementsOf(all.result().seeds());
    }

    @Test
    void legacyCsvAndXmlGiveTheSameSourceIdForTheSameParty() throws IOException {
        java.util.Map<String, String> csv = new java.util.HashMap<>();
        new OfacSdnCsvImporter().read(SharedData.path("ofac/sdn_csv/sdn_2024-05-03.csv.gz"), ImportMode.STRICT).seeds()
            .forEach(s -> csv.put(s.key(), s.sourceId()));
        List<io.taintwatch.model.Seed> xml = new OfacSdnXmlImporter().read(
            SharedData.path("ofac/sdn_advanced/sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml"), ImportMode.STRICT).seeds();

        List<io.taintwatch.model.Seed> inBoth = xml.stream().filter(s -> csv.containsKey(s.key())).toList();
        // 41 EVM addresses are in both (53 in the 2024 CSV less the 12 Tornado Cash ones, delisted since) and 13 Tron ones;
        // ent_num of sdn.csv is the DistinctParty FixedRef of the XML, so a party keeps its source id across formats
        assertThat(inBoth).hasSize(41 + 13).allSatisfy(s -> assertThat(csv.get(s.key())).isEqualTo(s.sourceId()));
        assertThat(inBoth).filteredOn(s -> s.kind() == ChainKind.TRON).hasSize(13);
    }

    @Test
    void badRowsAreReportedWithTheirLines() throws IOException {
        String csv = "100,\"GOOD, Party\",\"individual\",\"CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
            + "\"Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; alt. Digital Currency Address - XBT 1abc.\"\r\n"
            + "101,\"BAD\",-0- ,\"CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
            + "\"Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2F96.\"\r\n"
            + "102,\"SHORT\"\r\n"
            + "x103,\"NAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";

        ImportResult r = new OfacSdnCsvImporter().extract(stream(csv), "sdn.csv", ImportMode.LENIENT).result();

        assertThat(r.seeds()).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo(Address.parse("0x098b716b8aaf21512996dc57eb0615e2383e2f96"));
            assertThat(s.reference()).isEqualTo("OFAC SDN 100 GOOD, Party | CYBER2");
        });
        assertThat(r.errors()).extracting(ImportProblem::toString).containsExactly(
            "sdn.csv:2: entry 101 (BAD): invalid address '0x098B716B8Aaf21512996dC57EB0615e2383E2F96': EIP-55 checksum mismatch"
                + " (expected 0x098B716B8Aaf21512996dC57EB0615e2383E2f96)",
            "sdn.csv:3: expected 12 columns (ent_num ... Remarks), got 2",
            "sdn.csv:4: ent_num 'x103' is not a number");
        assertThatThrownBy(() -> new OfacSdnCsvImporter().extract(stream(csv), "sdn.csv", ImportMode.STRICT))
            .isInstanceOf(ImportException.class).hasMessageContaining("3 errors");
    }

    @Test
    void tronItemsAreTronSeedsAndAWrongChecksumIsAnErrorNamingTheRow() throws IOException {
        String csv = "200,\"TRON, Party\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
            + "\"Digital Currency Address - USDT TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM; alt. Digital Currency Address - TRX "
            + "TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM.\"\r\n"
            + "201,\"TYPO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
            + "\"Digital Currency Address - USDT TAYhjpL8pPs8T84FSM329nffQpc6jD8GBN.\"\r\n";

        SdnExtract x = new OfacSdnCsvImporter().extract(stream(csv), "sdn.csv", ImportMode.LENIENT);

        assertThat(x.addresses()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(ChainKind.TRON);
            assertThat(a.key()).isEqualTo("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM");
            assertThat(a.assets()).containsExactly("TRX", "USDT");
            assertThat(a.toSeed().kind()).isEqualTo(ChainKind.TRON);
        });
        assertThat(x.result().errors()).extracting(ImportProblem::toString).containsExactly(
            "sdn.csv:2: entry 201 (TYPO): listed as USDT: invalid Tron address 'TAYhjpL8pPs8T84FSM329nffQpc6jD8GBN': Base58Check checksum mismatch");
    }

    @Test
    void truncationNeedsBothTheLengthAndAnUnfinishedLastItem() {
        assertThat(OfacSdnCsvImporter.truncated("a".repeat(1000))).isTrue();
        assertThat(OfacSdnCsvImporter.truncated("a".repeat(999) + ".")).isFalse();
        assertThat(OfacSdnCsvImporter.truncated("a".repeat(500))).isFalse();
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
