package io.taintwatch.ingest.source.etl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.input.GeneratedInput;
import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.model.ChainId;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export files past {@link InputLimits#EXPORTS} fail with an {@link InputException} naming file and line, not an OutOfMemoryError. */
class ExportLimitsTest {
    private static final EtlExportSource.Options OPTIONS = new EtlExportSource.Options(ChainId.ETHEREUM, Set.of());
    private static final String HEADER = "token_address,from_address,to_address,value,transaction_hash,log_index,block_number\n";
    private static final String ROW = "0xdac17f958d2ee523a2206206994597c13d831ec7,0x0000000000000000000000000000000000000001,"
        + "0x0000000000000000000000000000000000000002,12,0x" + "ab".repeat(32) + ",0,5\n";

    @TempDir
    Path dir;

    private static void write(Path file, InputStream content) throws Exception {
        try (InputStream in = content) {
            Files.copy(in, file);
        }
    }

    @Test
    void csvFieldPastTheLimitIsRefusedOnItsLine() throws Exception {
        write(dir.resolve("token_transfers.csv"), GeneratedInput.stream(HEADER + ROW + "0xdac17f958d2ee523a2206206994597c13d831ec7,", "0",
            InputLimits.EXPORTS.maxFieldChars() + 1024L, ",x,12,0x00,0,6\n"));
        assertThatThrownBy(() -> EtlExportSource.open(dir, OPTIONS).readAll()).isInstanceOf(InputException.class)
            .hasMessageContaining("token_transfers.csv:3: a value longer than " + InputLimits.EXPORTS.maxFieldChars() + " characters");
    }

    @Test
    void jsonLinePastTheRecordLimitIsRefusedOnItsLine() throws Exception {
        write(dir.resolve("logs.json"), GeneratedInput.stream("\n{\"block_number\": 6, \"topics\": [", "\"0x01\",",
            InputLimits.EXPORTS.maxRecordChars() + 1024L, "\"0x01\"]}\n"));
        assertThatThrownBy(() -> EtlExportSource.open(dir, OPTIONS).readAll()).isInstanceOf(InputException.class)
            .hasMessageContaining("logs.json:2: record longer than " + InputLimits.EXPORTS.maxRecordChars() + " characters");
    }

    @Test
    void gzipBombOfValidRowsIsRefused() throws Exception {
        GeneratedInput.gzipBomb(dir.resolve("token_transfers.csv.gz"), HEADER, ROW, 64L << 20, "");
        assertThatThrownBy(() -> EtlExportSource.open(dir, OPTIONS).readAll()).isInstanceOf(InputException.class)
            .hasMessageContaining("token_transfers.csv.gz:").hasMessageContaining("decompresses to more than 100 times its compressed size");
    }
}
