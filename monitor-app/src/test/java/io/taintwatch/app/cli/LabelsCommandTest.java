package io.taintwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.replay.Cli;
import io.taintwatch.labels.ImportMode;
import io.taintwatch.labels.PlainCsvImporter;
import io.taintwatch.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsCommandTest {
    private static final String EXCERPT = "ofac/sdn_advanced/sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml";
    private static final String CSV_ROWS = "ofac/sdn_csv/sdn_2024-05-03_digital-currency-rows.csv";

    @TempDir
    Path tmp;

    @Test
    void importsTheOfacExcerptAndExportsSeedsThatReplayReads() throws Exception {
        Path export = tmp.resolve("sdn-seeds.csv");
        Cli r = Cli.run("labels", "import", SharedData.path(EXCERPT).toString(), "--format", "ofac-xml", "--strict", "--export", export.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // the excerpt's 43 parties list 81 EVM addresses and 94 Tron ones
        assertThat(r.out()).contains("43 records read, 175 seeds, 0 labels imported", "exported 175 seeds to " + export);
        List<String> lines = Files.readAllLines(export);
        assertThat(lines.get(0)).startsWith("address,source_id,category,reference");
        assertThat(lines.subList(1, lines.size())).filteredOn(l -> l.startsWith("0x")).hasSize(81);
        assertThat(lines.subList(1, lines.size())).filteredOn(l -> l.startsWith("T")).hasSize(94);
        // the export is what replay --seeds reads
        assertThat(new PlainCsvImporter().read(export, PlainCsvImporter.Kind.SEEDS, ImportMode.STRICT).seeds()).hasSize(175);
    }

    @Test
    void theNovember2025ListImportsItsEvmAndTronAddresses() throws Exception {
        Path export = tmp.resolve("sdn.csv");
        Cli r = Cli.run("labels", "import", SharedData.path("ofac/sdn_advanced/sdn_advanced_2025-11-19.xml.bz2").toString(), "--format", "ofac-xml",
            "--strict", "--export", export.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("18367 records read, 189 seeds, 0 labels imported");
        List<String> rows = Files.readAllLines(export).subList(1, 190);
        assertThat(rows).filteredOn(l -> l.startsWith("0x")).hasSize(81);
        assertThat(rows).filteredOn(l -> l.startsWith("T")).hasSize(108);
    }

    @Test
    void diffOfTwoSdnFilesPrintsAddedRemovedChanged() throws Exception {
        Cli r = Cli.run("labels", "diff", SharedData.path(CSV_ROWS).toString(), SharedData.path(EXCERPT).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String first = r.out().lines().filter(l -> l.contains(" -> ")).findFirst().orElseThrow();
        assertThat(first).contains("sdn_2024-05-03_digital-currency-rows.csv", "sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml",
            "(2025-11-19): 121 added, 14 removed, 50 changed");
        // one line per address, as counted in the header: EVM addresses as 0x..., Tron ones as T...
        assertThat(r.out().lines().filter(l -> l.startsWith("+ 0x"))).hasSize(40);
        assertThat(r.out().lines().filter(l -> l.startsWith("- 0x"))).hasSize(12);
        assertThat(r.out().lines().filter(l -> l.startsWith("~ 0x"))).hasSize(39);
        assertThat(r.out().lines().filter(l -> l.startsWith("+ T"))).hasSize(121 - 40);
        assertThat(r.out().lines().filter(l -> l.startsWith("- T"))).hasSize(14 - 12);
        assertThat(r.out().lines().filter(l -> l.startsWith("~ T"))).hasSize(50 - 39);
    }

    @Test
    void lenientImportListsBadRowsAndStrictImportsNothing() throws Exception {
        Path f = Files.writeString(tmp.resolve("labels.csv"), "address,category,name\n"
            + "0x5555555555555555555555555555555555555555,exchange,Good\n"
            + "0x1234,exchange,Bad address\n");
        Path export = tmp.resolve("good.csv");
        Cli lenient = Cli.run("labels", "import", f.toString(), "--format", "csv", "--export", export.toString());
        // the valid row goes through, the exit code says the input needs fixing, with the count and the first reasons
        assertThat(lenient.exit()).isEqualTo(3);
        assertThat(lenient.err()).contains("error: labels.csv:3:")
            .contains("labels.csv: 1 row rejected, the valid rows were imported (exit 3); first: labels.csv:3: invalid address '0x1234'");
        assertThat(lenient.out()).contains("1 label imported; 1 row rejected");
        assertThat(Files.readAllLines(export)).hasSize(2);
        Cli strict = Cli.run("labels", "import", f.toString(), "--format", "csv", "--strict", "--export", tmp.resolve("x.csv").toString());
        assertThat(strict.exit()).isEqualTo(2);
        assertThat(strict.err()).contains("labels.csv:3");
        assertThat(tmp.resolve("x.csv")).doesNotExist();
    }
}
