package io.taintwatch.ingest.source.etl;

import java.nio.file.Path;
import java.util.Locale;

/** The ethereum-etl / BigQuery {@code crypto_ethereum} tables the file source reads. */
public enum ExportTable {
    BLOCKS("blocks"), TRANSACTIONS("transactions"), RECEIPTS("receipts"), LOGS("logs"), TOKEN_TRANSFERS("token_transfers"), TRACES("traces"),
    /** Token metadata ({@code address,symbol,name,decimals,total_supply,block_number}), not blocks: {@link EtlExportSource#tokens()}. */
    TOKENS("tokens");

    private final String fileName;

    ExportTable(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /**
     * The table a file holds, judged by its name: {@code <table>.csv}, {@code <table>.json}, {@code .jsonl}, each
     * optionally {@code .gz}, and BigQuery shards {@code <table>-000000000000.csv}; null for anything else.
     */
    public static ExportTable of(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        int dot = n.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String ext = n.substring(dot + 1);
        if (!ext.equals("csv") && !ext.equals("json") && !ext.equals("jsonl") && !ext.equals("ndjson")) {
            return null;
        }
        String base = n.substring(0, dot);
        for (ExportTable t : values()) {
            if (base.equals(t.fileName) || base.startsWith(t.fileName + "-") || base.matches(t.fileName + "_\\d+.*")) {
                return t;
            }
        }
        return null;
    }
}
