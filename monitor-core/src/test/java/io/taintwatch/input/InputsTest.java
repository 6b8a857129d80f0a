package io.taintwatch.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {
    private static final InputLimits SMALL = new InputLimits(1000, 100, 100, 100);

    @TempDir
    Path tmp;

    @Test
    void plainFileLargerThanTheLimitIsRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("big.csv"), "x".repeat(1001));
        try (InputStream in = Inputs.open(f, SMALL)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(InputException.class)
                .hasMessage("big.csv:0: larger than 1000 bytes, the limit for this kind of input");
        }
        Files.writeString(f, "x".repeat(1000));
        try (InputStream in = Inputs.open(f, SMALL)) {
            assertThat(in.readAllBytes()).hasSize(1000);
        }
    }

    @Test
    void compressedFileThatExpandsPastTheLimitIsRefused() throws Exception {
        Path f = GeneratedInput.gzipBomb(tmp.resolve("x.gz"), "", "a", 20_000, "");
        try (InputStream in = Inputs.open(f, new InputLimits(10_000, Integer.MAX_VALUE, 100, 100))) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(InputException.class)
                .hasMessage("x.gz:0: decompresses to more than 10000 bytes, the limit for this kind of input");
        }
    }

    @Test
    void ordinaryCompressionRatiosPass() throws Exception {
        // random hex, as in address lists: about 2:1, far below the bomb ratio, past the grace size
        java.util.Random r = new java.util.Random(1);
        Path f = tmp.resolve("addresses.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
            byte[] line = new byte[43];
            for (int i = 0; i < 500_000; i++) {
                for (int j = 0; j < 42; j++) {
                    line[j] = (byte) "0123456789abcdef".charAt(r.nextInt(16));
                }
                line[42] = '\n';
                out.write(line);
            }
        }
        try (InputStream in = Inputs.open(f, InputLimits.LABELS)) {
            assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(43L * 500_000);
        }
    }

    @Test
    void malformedUtf8IsReportedAfterTheTextBeforeIt() throws Exception {
        byte[] bytes = "ab\ncd\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        try (Reader r = Inputs.utf8(new java.io.ByteArrayInputStream(bytes))) {
            char[] buf = new char[100];
            assertThat(new String(buf, 0, r.read(buf))).isEqualTo("ab\ncd");
            assertThatThrownBy(() -> r.read(buf)).isInstanceOf(java.nio.charset.MalformedInputException.class);
        }
    }

    @Test
    void csvRecordsCarryTheLineTheyStartOn() throws Exception {
        try (CsvInput csv = new CsvInput(Inputs.utf8(new java.io.ByteArrayInputStream("a,b\r\n\"x\ny\",2\n# c \"\n3,4\n".getBytes(StandardCharsets.UTF_8))),
            "t.csv", InputLimits.LABELS, true)) {
            assertThat(csv.next()).isEqualTo(new CsvInput.Row(1, java.util.List.of("a", "b")));
            assertThat(csv.next()).isEqualTo(new CsvInput.Row(2, java.util.List.of("x\ny", "2")));
            assertThat(csv.next()).isEqualTo(new CsvInput.Row(5, java.util.List.of("3", "4")));
            assertThat(csv.next()).isNull();
        }
    }
}
