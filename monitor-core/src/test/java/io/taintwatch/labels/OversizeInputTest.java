package io.taintwatch.labels;

import static io.taintwatch.input.GeneratedInput.HUGE;
import static io.taintwatch.input.GeneratedInput.stream;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.input.GeneratedInput;
import io.taintwatch.input.InputLimits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every importer refuses a record, field or decompressed size past {@link InputLimits#LABELS} with an
 * {@link ImportException} naming file, line and limit, in either mode. The inputs are generated while they are read
 * (3 GiB of one line: more text than the test's heap holds), so an importer without the limits runs out of memory.
 */
class OversizeInputTest {
    private static final String A = "0x5555555555555555555555555555555555555555";
    private static final String FIELD = "longer than " + InputLimits.LABELS.maxFieldChars() + " characters";
    private static final String RECORD = "record longer than " + InputLimits.LABELS.maxRecordChars() + " characters";

    @TempDir
    Path tmp;

    @Test
    void csvFieldPastTheLimitIsRefusedOnItsLine() {
        for (ImportMode mode : ImportMode.values()) {
            assertThatThrownBy(() -> new PlainCsvImporter().read(stream("address,category,name\n" + A + ",exchange,ok\n" + A + ",exchange,", "x", HUGE,
                "\n"), "t.csv", PlainCsvImporter.Kind.ANY, mode))
                .isInstanceOf(ImportException.class).hasMessageStartingWith("t.csv:3: a value " + FIELD);
        }
    }

    @Test
    void csvRecordOfManyShortFieldsPastTheLimitIsRefused() {
        assertThatThrownBy(() -> new PlainCsvImporter().read(stream("address,category,name\n", "a,", HUGE, "\n"), "t.csv",
            PlainCsvImporter.Kind.ANY, ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("t.csv:2: " + RECORD);
    }

    @Test
    void ofacCsvRemarksPastTheLimitAreRefused() {
        assertThatThrownBy(() -> new OfacSdnCsvImporter().extract(stream("36,\"AEROCARIBBEAN\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"",
            "Digital Currency Address - ETH " + A + "; ", HUGE, "\"\n"), "sdn.csv", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("sdn.csv:1: a value " + FIELD);
    }

    @Test
    void etherscanEntryPastTheRecordLimitIsRefused() {
        assertThatThrownBy(() -> new EtherscanLabelsImporter().read(stream("{\"" + A + "\": {\"name\": \"x\", \"labels\": [", "\"exchange\",", HUGE,
            "\"exchange\"]}}"), "e.json", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("e.json:1: " + RECORD);
    }

    @Test
    void etherscanStringPastTheFieldLimitIsRefused() {
        assertThatThrownBy(() -> new EtherscanLabelsImporter().read(stream("{\"" + A + "\": {\"name\": \"", "x", HUGE, "\"}}"), "e.json",
            ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("e.json:1: a value " + FIELD);
    }

    @Test
    void tagPackTagPastTheRecordLimitIsRefused() {
        assertThatThrownBy(() -> new TagPackImporter().read(stream("title: t\ncreator: c\ntags:\n- address: " + A + "\n  currency: ETH\n  label: x\n"
            + "  concepts: [", "exchange, ", HUGE, "exchange]\n"), "t.yaml", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("t.yaml:4: " + RECORD);
    }

    @Test
    void sdnXmlTextPastTheFieldLimitIsRefused() {
        assertThatThrownBy(() -> new OfacSdnXmlImporter().extract(stream("<Sanctions>\n<DateOfIssue><Year>", "1", HUGE, "</Year></DateOfIssue></Sanctions>"),
            "sdn.xml", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("sdn.xml:2: text of <Year> " + FIELD);
    }

    @Test
    void gzipBombIsRefusedBeforeItIsReadWhole() throws Exception {
        Path bomb = GeneratedInput.gzipBomb(tmp.resolve("labels.csv.gz"), "address,category,name\n", A + ",exchange,x\n", 64L << 20, "");
        for (ImportMode mode : ImportMode.values()) {
            assertThatThrownBy(() -> LabelFormat.CSV.read(bomb, mode))
                .isInstanceOf(ImportException.class).hasMessageContaining("decompresses to more than 100 times its compressed size");
        }
    }

    @Test
    void bzip2BombIsRefusedBeforeItIsReadWhole() throws Exception {
        Path bomb = GeneratedInput.bzip2Bomb(tmp.resolve("sdn.xml.bz2"), "<Sanctions>\n", "<Unknown>x</Unknown>\n", 64L << 20, "</Sanctions>");
        assertThatThrownBy(() -> LabelFormat.OFAC_XML.read(bomb, ImportMode.LENIENT))
            .isInstanceOf(ImportException.class).hasMessageContaining("decompresses to more than 100 times its compressed size");
    }
}
