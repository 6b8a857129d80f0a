package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainCsvImporterTest {
    private static final String A = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
    private static final String B = "0x53b6936513e738f44fb50d2b9476730c0ab3bfc1";

    @Test
    void labelsAreFoundByHeaderNameInAnyOrder() throws IOException {
        ImportResult r = read("""
            # comment lines and blank lines are ignored

            name,address,category,confidence,source
            "Hop Protocol: ETH Bridge, L1",%s,bridge,90,etherscan
            Some Mixer,%s,MIXER,,
            """.formatted(A, B), PlainCsvImporter.Kind.ANY, ImportMode.STRICT);

        assertThat(r.entities()).containsExactly(
            new Entity(Address.parse(A), "Hop Protocol: ETH Bridge, L1", Category.BRIDGE, "etherscan", 90),
            new Entity(Address.parse(B), "Some Mixer", Category.MIXER, "csv:t.csv", 100));
        assertThat(r.seeds()).isEmpty();
        assertThat(r.records()).isEqualTo(2);
    }

    @Test
    void seedsAreRecognisedBySourceIdColumn() throws IOException {
        ImportResult r = read("\ufeffaddress,source_id,category,reference,valid_from\r\n"
            + A + ",bybit-2025,theft,FBI PSA I-022625,21895238\r\n"
            + B + ",ofac:27307,sanctions,,\r\n", PlainCsvImporter.Kind.SEEDS, ImportMode.STRICT);

        assertThat(r.seeds()).containsExactly(
            new Seed(Address.parse(A), "bybit-2025", Category.THEFT, 21895238, "FBI PSA I-022625"),
            new Seed(Address.parse(B), "ofac:27307", Category.SANCTIONS, 0, ""));
    }

    @Test
    void everyBadRowIsReportedAsFileLineReason() throws IOException {
        String csv = """
            address,category,name,colour
            %s,exchange,ok,red
            0x098B716B8Aaf21512996dC57EB0615e2383E2F96,exchange,bad checksum
            0x1234,exchange,short
            %s,casino,unknown category
            %s,theft,seed category in a labels file
            %s,dex,second row for an address
            ,exchange,empty address
            %s,exchange,too,many,fields
            """.formatted(A, B, B, A, B);

        ImportResult r = read(csv, PlainCsvImporter.Kind.LABELS, ImportMode.LENIENT);

        assertThat(r.entities()).extracting(Entity::name).containsExactly("ok");
        assertThat(r.warnings()).extracting(ImportProblem::toString).containsExactly("t.csv:1: unknown column 'colour' ignored");
        List<String> errors = r.errors().stream().map(ImportProblem::toString).toList();
        assertThat(errors).hasSize(7);
        assertThat(errors.get(0)).isEqualTo("t.csv:3: invalid address '0x098B716B8Aaf21512996dC57EB0615e2383E2F96': EIP-55 checksum"
            + " mismatch (expected 0x098B716B8Aaf21512996dC57EB0615e2383E2f96)");
        assertThat(errors.get(1)).isEqualTo("t.csv:4: invalid address '0x1234': expected 40 hex digits, got 4");
        assertThat(errors.get(2)).startsWith("t.csv:5: unknown category 'casino' (known: exchange, exchange-deposit,");
        assertThat(errors.get(3)).startsWith("t.csv:6: category 'theft' is a watchlist (seed) category; put it in a seeds file");
        assertThat(errors.get(4)).isEqualTo("t.csv:7: address " + Address.parse(A) + " already has a label (exchange 'ok') from line 2;"
            + " this row (dex 'second row for an address') conflicts with it");
        assertThat(errors.get(5)).isEqualTo("t.csv:8: empty address");
        assertThat(errors.get(6)).isEqualTo("t.csv:9: 5 fields but the header has 4");

        assertThatThrownBy(() -> read(csv, PlainCsvImporter.Kind.LABELS, ImportMode.STRICT))
            .isInstanceOf(ImportException.class)
            .hasMessageStartingWith("t.csv: 7 errors, nothing imported")
            .satisfies(e -> assertThat(((ImportException) e).problems()).hasSize(7));
    }

    @Test
    void summaryListsTheFirstFiftyErrorsAndCountsTheRest() throws IOException {
        StringBuilder csv = new StringBuilder("address,category,name\n");
        for (int i = 0; i < 60; i++) {
            csv.append("0x12,exchange,x\n");
        }

        ImportResult r = read(csv.toString(), PlainCsvImporter.Kind.LABELS, ImportMode.LENIENT);

        assertThat(r.errors()).hasSize(60);
        assertThat(r.summary()).startsWith("t.csv (csv): 60 records read, 0 seeds, 0 labels imported; 60 rows rejected, 0 warnings")
            .contains("\n  error: t.csv:51: invalid address '0x12'")
            .doesNotContain("t.csv:52:")
            .endsWith("\n  ... and 10 more errors");
    }

    @Test
    void seedRowsAreCheckedToo() throws IOException {
        ImportResult r = read("""
            address,source_id,category,reference,valid_from
            %s,,theft,x,
            %s,s1,mixer,x,
            %s,s1,theft,x,-5
            """.formatted(A, A, B), PlainCsvImporter.Kind.ANY, ImportMode.LENIENT);

        assertThat(r.seeds()).isEmpty();
        assertThat(r.errors()).extracting(ImportProblem::toString).containsExactly(
            "t.csv:2: empty source_id",
            "t.csv:3: category 'mixer' describes an entity, not why an address is watched; put it in a labels file"
                + " (seed categories: theft, sanctions, scam, phishing, ransomware, darknet, terrorism-financing, fraud)",
            "t.csv:4: valid_from '-5' is not a block number");
    }

    @Test
    void headerProblemsRejectTheFileWhateverTheMode() {
        assertThatThrownBy(() -> read("address,name\n" + A + ",x\n", PlainCsvImporter.Kind.ANY, ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("t.csv:1: missing column 'category'");
        assertThatThrownBy(() -> read("address,category,name\n", PlainCsvImporter.Kind.SEEDS, ImportMode.LENIENT))
            .hasMessageStartingWith("t.csv:1: a seeds file needs the columns address,source_id,category");
        assertThatThrownBy(() -> read("# only a comment\n", PlainCsvImporter.Kind.ANY, ImportMode.LENIENT))
            .hasMessageStartingWith("t.csv:1: empty file: a header row is required");
        assertThatThrownBy(() -> read("address,category,name\n" + A + ",exchange,\"unterminated\n", PlainCsvImporter.Kind.ANY,
            ImportMode.LENIENT)).hasMessageStartingWith("t.csv:2: Missing closing quote for value");
        // an undoubled quote inside a quoted field: joining the text around it could make an address that is not written
        assertThatThrownBy(() -> read("address,category,name\n\"0x098B716B8Aa\"f21512996dC57EB0615e2383E2f96\",exchange,x\n",
            PlainCsvImporter.Kind.ANY, ImportMode.LENIENT)).hasMessageStartingWith("t.csv:2: Unexpected character ('f' (code 102)): Expected column separator");
    }

    @Test
    void exportedFilesReadBackToTheSameSeedsAndLabels() throws IOException {
        List<Seed> seeds = List.of(
            new Seed(Address.parse(B), "ofac:39796", Category.SANCTIONS, 0, "OFAC SDN 39796 TORNADO CASH | CYBER2 DPRK3 | list 2025-03-04"),
            new Seed(Address.parse(A), "case \"7\", part 2", Category.THEFT, 0, "line one\nline two"));
        List<Entity> labels = List.of(
            new Entity(Address.parse(B), "Tornado.Cash: 100 ETH", Category.MIXER, "OFAC SDN 2025-03-04, entry 39796", 100),
            new Entity(Address.parse(A), "Binance, \"14\"", Category.EXCHANGE, "etherscan", 80));
        StringWriter sw = new StringWriter();
        NormalisedCsv.writeSeeds(sw, seeds);
        StringWriter lw = new StringWriter();
        NormalisedCsv.writeLabels(lw, labels);

        assertThat(sw.toString()).startsWith("address,source_id,category,reference\n" + A.toLowerCase() + ",\"case \"\"7\"\", part 2\",theft,");
        assertThat(read(sw.toString(), PlainCsvImporter.Kind.SEEDS, ImportMode.STRICT).seeds())
            .containsExactlyInAnyOrderElementsOf(seeds);
        assertThat(read(lw.toString(), PlainCsvImporter.Kind.LABELS, ImportMode.STRICT).entities())
            .containsExactlyInAnyOrderElementsOf(labels);
    }

    @Test
    void tronAddressesAreTronRowsTheSameBytesInHexAreAnotherAndABadChecksumNamesItsLine() throws IOException {
        String tron = io.taintwatch.model.TronAddress.encode(Address.parse(A));
        ImportResult r = read("""
            address,source_id,category,reference
            %s,case-7,theft,on Tron
            %s,case-7,theft,the same key on Ethereum
            %s,case-7,theft,one character off
            """.formatted(tron, A, tron.substring(0, 33) + (tron.endsWith("x") ? "y" : "x")), PlainCsvImporter.Kind.SEEDS, ImportMode.LENIENT);

        assertThat(r.seeds()).extracting(Seed::key, Seed::kind).containsExactly(
            org.assertj.core.groups.Tuple.tuple(tron, io.taintwatch.model.ChainKind.TRON),
            org.assertj.core.groups.Tuple.tuple(A.toLowerCase(), io.taintwatch.model.ChainKind.EVM));
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.toString()).startsWith("t.csv:4: invalid Tron address '").endsWith("Base58Check checksum mismatch");
        });
        StringWriter w = new StringWriter();
        NormalisedCsv.writeSeeds(w, r.seeds());
        // exported in the form of their chains, EVM rows first; read back to the same seeds
        assertThat(w.toString()).startsWith("address,source_id,category,reference\n" + A.toLowerCase() + ",").contains("\n" + tron + ",case-7,");
        assertThat(read(w.toString(), PlainCsvImporter.Kind.SEEDS, ImportMode.STRICT).seeds()).containsExactlyInAnyOrderElementsOf(r.seeds());
    }

    @Test
    void validFromColumnIsWrittenOnlyWhenNeeded() throws IOException {
        Seed late = new Seed(Address.parse(A), "s", Category.THEFT, 21895238, "r");
        StringWriter w = new StringWriter();
        NormalisedCsv.writeSeeds(w, List.of(late));

        assertThat(w.toString()).isEqualTo("address,source_id,category,reference,valid_from\n" + A.toLowerCase() + ",s,theft,r,21895238\n");
        assertThat(read(w.toString(), PlainCsvImporter.Kind.SEEDS, ImportMode.STRICT).seeds()).containsExactly(late);
    }

    private static ImportResult read(String csv, PlainCsvImporter.Kind kind, ImportMode mode) throws IOException {
        return new PlainCsvImporter().read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv", kind, mode);
    }
}
