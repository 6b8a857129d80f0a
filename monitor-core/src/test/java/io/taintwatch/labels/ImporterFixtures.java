package io.taintwatch.labels;

import io.taintwatch.model.Address;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Small valid inputs of every importer, each address on a line of its own (so an error about it can be checked
 * against that line), and the oracle the fuzz tests compare importers with.
 */
final class ImporterFixtures {
    /** Reads bytes as one format would from a file named {@code name}. */
    interface Reader {
        ImportResult read(InputStream in, String name, ImportMode mode) throws IOException;
    }

    /** A named valid input, the importer that reads it and the addresses it must yield. */
    record Fixture(String format, String fileName, String text, Reader reader, List<String> addresses) {
        byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        ImportResult read(byte[] bytes, ImportMode mode) throws IOException {
            return reader.read(new ByteArrayInputStream(bytes), fileName, mode);
        }

        @Override
        public String toString() {
            return format;
        }
    }

    static final String A = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
    static final String B = "0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1";
    static final String C = "0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc";
    static final String D = "0x28c6c06298d514db089934071355e5743bf21d60";

    private ImporterFixtures() {}

    static List<Fixture> all() {
        return List.of(ofacXml(), ofacCsv(), plainLabels(), plainSeeds(), etherscan(), tagpack());
    }

    static Fixture ofacXml() {
        String text = """
            <?xml version="1.0" encoding="utf-8"?>
            <Sanctions xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">
              <DateOfIssue><Year>2024</Year><Month>1</Month><Day>31</Day></DateOfIssue>
              <ReferenceValueSets><FeatureTypeValues><FeatureType ID="345">Digital Currency Address - ETH</FeatureType></FeatureTypeValues>
              <NamePartTypeValues><NamePartType ID="1520">Last Name</NamePartType><NamePartType ID="1521">First Name</NamePartType></NamePartTypeValues>
              <SanctionsTypeValues><SanctionsType ID="1">Program</SanctionsType></SanctionsTypeValues></ReferenceValueSets>
              <DistinctParties><DistinctParty FixedRef="777"><Profile ID="999">
                <Identity ID="5" Primary="true"><Alias Primary="true"><DocumentedName>
                  <DocumentedNamePart><NamePartValue NamePartGroupID="11">Jane</NamePartValue></DocumentedNamePart>
                  <DocumentedNamePart><NamePartValue NamePartGroupID="10">DOE</NamePartValue></DocumentedNamePart></DocumentedName></Alias>
                  <NamePartGroups><MasterNamePartGroup><NamePartGroup ID="10" NamePartTypeID="1520"/></MasterNamePartGroup><MasterNamePartGroup><NamePartGroup ID="11" NamePartTypeID="1521"/></MasterNamePartGroup></NamePartGroups></Identity>
                <Feature ID="1" FeatureTypeID="345"><FeatureVersion ID="1">
                  <VersionDetail DetailTypeID="1432">%s</VersionDetail></FeatureVersion></Feature>
                <Feature ID="2" FeatureTypeID="345"><FeatureVersion ID="2">
                  <VersionDetail DetailTypeID="1432">%s</VersionDetail></FeatureVersion></Feature>
              </Profile></DistinctParty>
              <DistinctParty FixedRef="778"><Profile ID="1000">
                <Feature ID="3" FeatureTypeID="345"><FeatureVersion ID="3">
                  <VersionDetail DetailTypeID="1432">%s</VersionDetail></FeatureVersion></Feature>
              </Profile></DistinctParty></DistinctParties>
              <SanctionsEntries><SanctionsEntry ID="888" ProfileID="999" ListID="1550">
                <EntryEvent ID="1" EntryEventTypeID="1"><Date><Year>2020</Year><Month>3</Month><Day>2</Day></Date></EntryEvent>
                <SanctionsMeasure ID="2" SanctionsTypeID="1"><Comment>CYBER2</Comment></SanctionsMeasure>
              </SanctionsEntry>
              <SanctionsEntry ID="889" ProfileID="1000" ListID="1550">
                <SanctionsMeasure ID="3" SanctionsTypeID="1"><Comment>DPRK3</Comment></SanctionsMeasure>
              </SanctionsEntry></SanctionsEntries>
            </Sanctions>
            """.formatted(A, C, D);
        return new Fixture("ofac-xml", "sdn.xml", text,
            (in, name, mode) -> new OfacSdnXmlImporter().extract(in, name, mode).result(), List.of(A, C, D));
    }

    static Fixture ofacCsv() {
        String text = String.join("\r\n",
            "27307,\"LAZARUS GROUP\",\"-0- \",\"[DPRK3]\",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \","
                + "\"a.k.a. 'APPLEWORM'; Digital Currency Address - ETH " + A + "; Secondary sanctions risk: North Korea.\"",
            "36216,\"SMITH, John\",\"individual\",\"[CYBER2]\",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \"",
            "39796,\"TORNADO CASH\",\"-0- \",\"[CYBER2] [DPRK3]\",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \","
                + "\"Digital Currency Address - ETH " + B + "; Digital Currency Address - XBT 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.\"",
            "40001,\"SOME EXCHANGE\",\"-0- \",\"[CYBER2]\",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \",\"-0- \","
                + "\"Digital Currency Address - ETH " + C + ".\"",
            "\u001a");
        return new Fixture("ofac-csv", "sdn.csv", text,
            (in, name, mode) -> new OfacSdnCsvImporter().extract(in, name, mode).result(), List.of(A, B, C));
    }

    static Fixture plainLabels() {
        String text = """
            address,category,name,source,confidence
            # our own labels
            %s,exchange-deposit,"Deposit, customer 1",ops,90
            %s,mixer,Tornado.Cash: 0.1 ETH,etherscan,95

            %s,bridge,Some bridge,,
            """.formatted(A, B, C);
        return new Fixture("csv-labels", "labels.csv", text,
            (in, name, mode) -> new PlainCsvImporter().read(in, name, PlainCsvImporter.Kind.ANY, mode), List.of(A, B, C));
    }

    static Fixture plainSeeds() {
        String text = """
            address,source_id,category,reference,valid_from
            %s,case:bybit-2025,theft,"Bybit hack, Feb 2025",21895238
            %s,ofac:39796,sanctions,OFAC SDN 39796,0
            %s,case:scam-1,scam,,
            """.formatted(A, B, D);
        return new Fixture("csv-seeds", "seeds.csv", text,
            (in, name, mode) -> new PlainCsvImporter().read(in, name, PlainCsvImporter.Kind.ANY, mode), List.of(A, B, D));
    }

    static Fixture etherscan() {
        String text = """
            {
              "%s": {"name": "Kraken 4", "labels": ["kraken", "hot-wallet"]},
              "%s": {"name": "Tornado Cash", "labels": [{"label_id": "tornado-cash"}, {"label_id": "ofac-sanctions-lists"}]},
              "%s": {"name": "Upbit hacker", "labels": ["upbit-hack"]},
              "%s": {"name": "Fake_Phishing1", "labels": ["phish-hack", "spam-token"]}
            }
            """.formatted(A, B, C, D);
        return new Fixture("etherscan", "labels.json", text,
            (in, name, mode) -> new EtherscanLabelsImporter().read(in, name, mode), List.of(A, B, C, D));
    }

    static Fixture tagpack() {
        String text = """
            title: fuzz TagPack
            creator: taintwatch tests
            currency: ETH
            confidence: authority_data
            abuse: sanction
            tags:
              - address: "%s"
                label: Lazarus Group
              - address: "%s"
                label: "Tornado.Cash: 0.1 ETH"
                category: mixing_service
              - address: "%s"
                label: Binance 14
                category: exchange
                abuse: null
                confidence: web_crawl
              - address: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2
                label: A bitcoin address
                currency: BTC
            """.formatted(A, C, D);
        return new Fixture("tagpack", "pack.yaml", text, (in, name, mode) -> new TagPackImporter().read(in, name, mode),
            List.of(A, C, D));
    }

    /** Every address a result imported, as a seed or a label. */
    static Set<Address> imported(ImportResult r) {
        Set<Address> s = new LinkedHashSet<>();
        r.seeds().forEach(x -> s.add(x.address()));
        r.entities().forEach(x -> s.add(x.address()));
        return s;
    }

    /**
     * The oracle: the addresses written in the input as 40 ASCII hex digits (a run of exactly 40, whatever their
     * case), in any of the encodings a parser may legitimately decode it with. An importer may only import these.
     */
    static Set<Address> writtenIn(byte[] bytes) {
        Set<Address> s = new LinkedHashSet<>();
        for (java.nio.charset.Charset cs : List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            String text = new String(bytes, cs);
            int run = 0;
            for (int i = 0; i <= text.length(); i++) {
                if (i < text.length() && io.taintwatch.model.Hex.nibble(text.charAt(i)) >= 0) {
                    run++;
                    continue;
                }
                if (run == 40) {
                    s.add(Address.parse(text.substring(i - 40, i).toLowerCase(java.util.Locale.ROOT)));
                }
                run = 0;
            }
        }
        return s;
    }

    /**
     * The oracle's own parser: {@code 0x} + 40 ASCII hex digits; mixed case must be the EIP-55 form. Null when invalid.
     */
    static Address strictParse(String s) {
        if (!s.matches("0x[0-9a-fA-F]{40}")) {
            return null;
        }
        String hex = s.substring(2);
        Address a = Address.parse(hex.toLowerCase(java.util.Locale.ROOT));
        boolean mixed = !hex.equals(hex.toLowerCase(java.util.Locale.ROOT)) && !hex.equals(hex.toUpperCase(java.util.Locale.ROOT));
        return mixed && !a.toChecksumHex().equals("0x" + hex) ? null : a;
    }

    /** 1-based line of a character offset. */
    static long lineOf(String text, int offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static long lineCount(byte[] bytes) {
        long n = 1;
        for (byte b : bytes) {
            if (b == '\n' || b == '\r') {
                n++;
            }
        }
        return n;
    }
}
