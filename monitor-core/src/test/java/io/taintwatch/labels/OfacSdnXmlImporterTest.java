package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Seed;
import io.taintwatch.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class OfacSdnXmlImporterTest {
    private static final Path EXCERPT = SharedData.path("ofac/sdn_advanced/sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml");
    private static final Address LAZARUS_ETH = Address.parse("0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
    /** The parties of the excerpt (those with an EVM address) list this many distinct T... addresses too. */
    private static final int TRON_IN_EXCERPT = 94;

    @Test
    void excerptYieldsEveryEvmAddressWithItsPartyProgramsAndDates() throws IOException {
        SdnExtract x = new OfacSdnXmlImporter().extract(EXCERPT, ImportMode.STRICT);

        assertThat(x.dateOfIssue()).isEqualTo(LocalDate.of(2025, 11, 19));
        // PROVENANCE: the excerpt keeps all 43 parties with an EVM address, 81 distinct 0x addresses (and their T... ones)
        assertThat(x.result().records()).isEqualTo(43);
        assertThat(x.result().seeds()).hasSize(81 + TRON_IN_EXCERPT);
        assertThat(x.result().errors()).isEmpty();
        SdnAddress lazarus = x.addresses().stream().filter(a -> a.address().equals(LAZARUS_ETH)).findFirst().orElseThrow();
        assertThat(lazarus.partyId()).isEqualTo("27307");
        assertThat(lazarus.partyName()).isEqualTo("Lazarus Group");
        assertThat(lazarus.programs()).containsExactly("DPRK3");
        assertThat(lazarus.designated()).isEqualTo(LocalDate.of(2019, 9, 13));
        assertThat(lazarus.assets()).containsExactly("ETH");
        assertThat(lazarus.line()).isPositive();
        Seed seed = lazarus.toSeed();
        assertThat(seed.sourceId()).isEqualTo("ofac:27307");
        assertThat(seed.category()).isEqualTo(Category.SANCTIONS);
        assertThat(seed.reference()).isEqualTo("OFAC SDN 27307 Lazarus Group | DPRK3 | designated 2019-09-13 | list 2025-11-19");
        assertThat(x.result().seeds()).contains(seed);
    }

    @Test
    void tronValuesAreTronSeedsAndBitcoinValuesAreSkippedAndCounted() throws IOException {
        ImportResult r = new OfacSdnXmlImporter().read(EXCERPT, ImportMode.STRICT);

        assertThat(r.skipped()).containsKey("address of a chain taintwatch does not follow, listed as XBT")
            .doesNotContainKey("address of a chain taintwatch does not follow, listed as TRX");
        assertThat(r.seeds()).filteredOn(s -> s.kind() == ChainKind.EVM).hasSize(81)
            .allSatisfy(s -> assertThat(s.key()).startsWith("0x"));
        assertThat(r.seeds()).filteredOn(s -> s.kind() == ChainKind.TRON).hasSize(TRON_IN_EXCERPT)
            .allSatisfy(s -> assertThat(s.key()).startsWith("T").hasSize(34));
    }

    @Test
    void tronAddressesUnderUsdtAndTrxAreTronSeedsAndAWrongChecksumNamesItsLine() throws IOException {
        String xml = sdn("""
              <Feature ID="1" FeatureTypeID="887"><FeatureVersion ID="1">
                <VersionDetail DetailTypeID="1432">TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM</VersionDetail></FeatureVersion></Feature>
              <Feature ID="2" FeatureTypeID="2002"><FeatureVersion ID="2">
                <VersionDetail DetailTypeID="1432">TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM</VersionDetail></FeatureVersion></Feature>
              <Feature ID="3" FeatureTypeID="887"><FeatureVersion ID="3">
                <VersionDetail DetailTypeID="1432">TAYhjpL8pPs8T84FSM329nffQpc6jD8GBN</VersionDetail></FeatureVersion></Feature>
              <Feature ID="4" FeatureTypeID="887"><FeatureVersion ID="4">
                <VersionDetail DetailTypeID="1432">0x098b716b8aaf21512996dc57eb0615e2383e2f96</VersionDetail></FeatureVersion></Feature>
              <Feature ID="5" FeatureTypeID="2002"><FeatureVersion ID="5">
                <VersionDetail DetailTypeID="1432">0x53b6936513e738f44fb50d2b9476730c0ab3bfc1</VersionDetail></FeatureVersion></Feature>
            """);

        SdnExtract lenient = new OfacSdnXmlImporter().extract(stream(xml), "t.xml", ImportMode.LENIENT);

        // one Tron address listed under both assets, one EVM address under USDT; the same 20 bytes as hex would be an EVM seed
        assertThat(lenient.addresses()).extracting(SdnAddress::key, SdnAddress::kind, SdnAddress::assets).containsExactly(
            org.assertj.core.groups.Tuple.tuple("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM", ChainKind.TRON, java.util.List.of("TRX", "USDT")),
            org.assertj.core.groups.Tuple.tuple(LAZARUS_ETH.toString(), ChainKind.EVM, java.util.List.of("USDT")));
        assertThat(lenient.result().seeds()).extracting(Seed::kind).containsExactly(ChainKind.TRON, ChainKind.EVM);
        assertThat(lenient.result().errors()).extracting(ImportProblem::toString).containsExactly(
            "t.xml:17: party 777 (DOE, Jane): listed as USDT: invalid Tron address 'TAYhjpL8pPs8T84FSM329nffQpc6jD8GBN': Base58Check checksum mismatch",
            "t.xml:21: party 777 (DOE, Jane): '0x53b6936513e738f44fb50d2b9476730c0ab3bfc1' listed as TRX is not a Tron address");
    }

    @Test
    void peopleAreNamedLastNameFirst() throws IOException {
        SdnExtract x = new OfacSdnXmlImporter().extract(EXCERPT, ImportMode.STRICT);

        // an individual with an ETH address: Last Name part first, then the given names, as sdn.csv prints them
        assertThat(x.addresses()).anySatisfy(a -> assertThat(a.partyName()).matches("[^,]+, [^,]+"));
    }

    @Test
    void badChecksumAndNonEvmEthValueAreErrorsWithLineNumbers() throws IOException {
        String xml = sdn("""
              <Feature ID="1" FeatureTypeID="345"><FeatureVersion ID="1">
                <VersionDetail DetailTypeID="1432">0x098b716b8aaf21512996dc57eb0615e2383e2f96</VersionDetail></FeatureVersion></Feature>
              <Feature ID="2" FeatureTypeID="345"><FeatureVersion ID="2">
                <VersionDetail DetailTypeID="1432">0x098B716B8Aaf21512996dC57EB0615e2383E2F96</VersionDetail></FeatureVersion></Feature>
              <Feature ID="3" FeatureTypeID="345"><FeatureVersion ID="3">
                <VersionDetail DetailTypeID="1432">bc1qnotethereum</VersionDetail></FeatureVersion></Feature>
              <Feature ID="4" FeatureTypeID="2001"><FeatureVersion ID="4">
                <VersionDetail DetailTypeID="1432">0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1</VersionDetail></FeatureVersion></Feature>
            """);

        SdnExtract lenient = new OfacSdnXmlImporter().extract(stream(xml), "t.xml", ImportMode.LENIENT);

        // the lower-case address and the new EVM asset (FeatureType 2001 = NEWCHAIN) are imported
        assertThat(lenient.result().seeds()).extracting(Seed::address)
            .containsExactly(LAZARUS_ETH, Address.parse("0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1"));
        assertThat(lenient.addresses().get(1).assets()).containsExactly("NEWCHAIN");
        assertThat(lenient.result().errors()).extracting(ImportProblem::toString).containsExactly(
            "t.xml:15: party 777 (DOE, Jane): invalid address '0x098B716B8Aaf21512996dC57EB0615e2383E2F96': EIP-55 checksum mismatch"
                + " (expected 0x098B716B8Aaf21512996dC57EB0615e2383E2f96)",
            "t.xml:17: party 777 (DOE, Jane): 'bc1qnotethereum' listed as ETH is not an EVM address");
        assertThatThrownBy(() -> new OfacSdnXmlImporter().extract(stream(xml), "t.xml", ImportMode.STRICT))
            .isInstanceOf(ImportException.class)
            .hasMessageContaining("2 errors, nothing imported")
            .hasMessageContaining("t.xml:15: ")
            .hasMessageContaining("t.xml:17: ");
    }

    @Test
    void programsComeFromTheSanctionsEntryOfTheProfile() throws IOException {
        SdnExtract x = new OfacSdnXmlImporter().extract(stream(sdn("""
              <Feature ID="1" FeatureTypeID="345"><FeatureVersion ID="1">
                <VersionDetail DetailTypeID="1432">0x098b716b8aaf21512996dc57eb0615e2383e2f96</VersionDetail></FeatureVersion></Feature>
            """)), "t.xml", ImportMode.STRICT);

        assertThat(x.addresses()).singleElement().satisfies(a -> {
            assertThat(a.programs()).containsExactly("CYBER2", "DPRK3");
            assertThat(a.entryId()).isEqualTo("888");
            assertThat(a.designated()).isEqualTo(LocalDate.of(2020, 3, 2));
            assertThat(a.reference()).isEqualTo("OFAC SDN 888 DOE, Jane | CYBER2 DPRK3 | designated 2020-03-02 | list 2024-01-31");
        });
    }

    @Test
    void notAnSdnFileIsRejectedClearly() {
        String xml = "<?xml version='1.0'?>\n<Sanctions><DistinctParties><DistinctParty FixedRef='1'/></DistinctParties></Sanctions>";
        assertThatThrownBy(() -> new OfacSdnXmlImporter().extract(stream(xml), "x.xml", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class)
            .hasMessageContaining("x.xml:2: no ReferenceValueSets/FeatureTypeValues");
        assertThatThrownBy(() -> new OfacSdnXmlImporter().extract(stream("<Sanctions><DateOfIssue>"), "y.xml", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class)
            .hasMessageStartingWith("y.xml:1: ");
    }

    @Test
    void aPartyWithoutFixedRefAndAddressesOutsideAnyPartyAreErrorsNotCrashes() throws IOException {
        String xml = sdn("""
              <Feature ID="1" FeatureTypeID="345"><FeatureVersion ID="1">
                <VersionDetail DetailTypeID="1432">0x098b716b8aaf21512996dc57eb0615e2383e2f96</VersionDetail></FeatureVersion></Feature>
              </Profile></DistinctParty>
              <DistinctParty><Profile ID="1001">
              <Feature ID="2" FeatureTypeID="345"><FeatureVersion ID="2">
                <VersionDetail DetailTypeID="1432">0x53b6936513e738f44fb50d2b9476730c0ab3bfc1</VersionDetail></FeatureVersion></Feature>
              </Profile></DistinctParty>
              <DistinctParty FixedRef="779"><Profile ID="1002">
              <Feature ID="3" FeatureTypeID="345"><DistinctParty FixedRef="780"/><FeatureVersion ID="3">
                <VersionDetail DetailTypeID="1432">0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc</VersionDetail></FeatureVersion></Feature>
            """);

        SdnExtract lenient = new OfacSdnXmlImporter().extract(stream(xml), "t.xml", ImportMode.LENIENT);

        assertThat(lenient.result().seeds()).extracting(Seed::address).containsExactly(LAZARUS_ETH);
        assertThat(lenient.result().errors()).extracting(ImportProblem::toString).containsExactly(
            "t.xml:15: DistinctParty without a FixedRef: its addresses cannot be attributed and are not imported",
            "t.xml:21: digital currency address outside a DistinctParty with a FixedRef");
        assertThatThrownBy(() -> new OfacSdnXmlImporter().extract(stream(xml), "t.xml", ImportMode.STRICT)).isInstanceOf(ImportException.class);
    }

    /** A minimal file in the sdn_advanced shape: features start on line 12. */
    private static String sdn(String features) {
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <Sanctions xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">
              <DateOfIssue><Year>2024</Year><Month>1</Month><Day>31</Day></DateOfIssue>
              <ReferenceValueSets><FeatureTypeValues><FeatureType ID="345">Digital Currency Address - ETH</FeatureType><FeatureType ID="2001">Digital Currency Address - NEWCHAIN</FeatureType><FeatureType ID="887">Digital Currency Address - USDT</FeatureType><FeatureType ID="2002">Digital Currency Address - TRX</FeatureType></FeatureTypeValues>
              <NamePartTypeValues><NamePartType ID="1520">Last Name</NamePartType><NamePartType ID="1521">First Name</NamePartType></NamePartTypeValues>
              <SanctionsTypeValues><SanctionsType ID="1705">Block</SanctionsType><SanctionsType ID="1">Program</SanctionsType></SanctionsTypeValues></ReferenceValueSets>
              <DistinctParties><DistinctParty FixedRef="777"><Profile ID="999">
                <Identity ID="5" Primary="true"><Alias Primary="true"><DocumentedName>
                  <DocumentedNamePart><NamePartValue NamePartGroupID="11">Jane</NamePartValue></DocumentedNamePart>
                  <DocumentedNamePart><NamePartValue NamePartGroupID="10">DOE</NamePartValue></DocumentedNamePart></DocumentedName></Alias>
                  <NamePartGroups><MasterNamePartGroup><NamePartGroup ID="10" NamePartTypeID="1520"/></MasterNamePartGroup><MasterNamePartGroup><NamePartGroup ID="11" NamePartTypeID="1521"/></MasterNamePartGroup></NamePartGroups></Identity>
            """ + features + """
              </Profile></DistinctParty></DistinctParties>
              <SanctionsEntries><SanctionsEntry ID="888" ProfileID="999" ListID="1550">
                <EntryEvent ID="1" EntryEventTypeID="1"><Date><Year>2021</Year><Month>5</Month><Day>1</Day></Date></EntryEvent>
                <EntryEvent ID="2" EntryEventTypeID="1"><Date><Year>2020</Year><Month>3</Month><Day>2</Day></Date></EntryEvent>
                <SanctionsMeasure ID="1" SanctionsTypeID="1705"><Comment>ignored: not a program</Comment></SanctionsMeasure>
                <SanctionsMeasure ID="2" SanctionsTypeID="1"><Comment>CYBER2</Comment></SanctionsMeasure>
                <SanctionsMeasure ID="3" SanctionsTypeID="1"><Comment>DPRK3</Comment></SanctionsMeasure>
              </SanctionsEntry></SanctionsEntries>
            </Sanctions>
            """;
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
