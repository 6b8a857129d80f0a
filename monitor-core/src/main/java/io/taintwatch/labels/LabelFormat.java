package io.taintwatch.labels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The input formats of {@code taintwatch labels import --format NAME}. */
public enum LabelFormat {
    OFAC_XML("ofac-xml", OfacSdnXmlImporter::new),
    OFAC_CSV("ofac-csv", OfacSdnCsvImporter::new),
    CSV("csv", PlainCsvImporter::new),
    ETHERSCAN("etherscan", EtherscanLabelsImporter::new),
    TAGPACK("tagpack", TagPackImporter::new);

    private final String cliName;
    private final Supplier<LabelImporter> importer;

    LabelFormat(String cliName, Supplier<LabelImporter> importer) {
        this.cliName = cliName;
        this.importer = importer;
    }

    /** The name on the command line: {@code ofac-xml}, {@code ofac-csv}, {@code csv}, {@code etherscan}, {@code tagpack}. */
    public String cliName() {
        return cliName;
    }

    public LabelImporter importer() {
        return importer.get();
    }

    /** Reads {@code file} in this format. */
    public ImportResult read(Path file, ImportMode mode) throws IOException {
        return importer().read(file, mode);
    }

    public static LabelFormat fromCliName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (LabelFormat f : values()) {
            if (f.cliName.equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown label format '" + name + "' (known: "
            + Arrays.stream(values()).map(LabelFormat::cliName).collect(Collectors.joining(", ")) + ")");
    }
}
