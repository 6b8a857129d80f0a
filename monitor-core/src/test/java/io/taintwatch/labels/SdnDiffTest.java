package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.taintwatch.testing.SharedData;

class SdnDiffTest {
    private static final String A = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
    private static final String B = "0x53b6936513e738f44FB50d2b9476730C0Ab3Bfc1";
    private static final String C = "0x35fB6f6DB4fb05e6A4cE86f2C93691425626d4b1";

    @Test
    void addedRemovedAndChangedAddressesWithTheirParties() throws IOException {
        SdnExtract older = csv(row(1, "ONE", "CYBER2", A) + row(2, "TWO", "DPRK3", B));
        SdnExtract newer = csv(row(1, "ONE", "CYBER2] [DPRK3", A) + row(3, "THREE", "CYBER2", C));

        SdnDiff d = SdnDiff.of(older, newer);

        assertThat(d.added()).extracting(SdnAddress::partyName).containsExactly("THREE");
        assertThat(d.removed()).extracting(SdnAddress::partyName).containsExactly("TWO");
        assertThat(d.changed()).singleElement().satisfies(a -> assertThat(a.programs()).containsExactly("CYBER2", "DPRK3"));
        assertThat(d.keysToRemove()).containsExactly(Address.parse(B).toString());
        assertThat(d.seedsToUpsert()).extracting(s -> s.sourceId()).containsExactly("ofac:3", "ofac:1");
        assertThat(d.report()).isEqualTo("old.csv -> new.csv: 1 added, 1 removed, 1 changed\n"
            + "+ " + Address.parse(C) + " ETH ofac:3 THREE [CYBER2]\n"
            + "- " + Address.parse(B) + " ETH ofac:2 TWO [DPRK3]\n"
            + "~ " + Address.parse(A) + " ETH ofac:1 ONE [CYBER2 DPRK3]\n");
    }

    @Test
    void readSniffsXmlOrCsv(@TempDir Path dir) throws IOException {
        Path xml = SharedData.path("ofac/sdn_advanced/sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml");
        Path csv = dir.resolve("sdn.csv");
        Files.writeString(csv, row(27307, "LAZARUS GROUP", "DPRK3", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"));

        SdnDiff d = SdnDiff.between(csv, xml);

        assertThat(d.newer().result().format()).isEqualTo("ofac-xml");
        assertThat(d.older().result().format()).isEqualTo("ofac-csv");
        assertThat(d.removed()).isEmpty();
        // the excerpt's 81 EVM addresses less Lazarus Group's, and its 94 Tron addresses
        assertThat(d.added()).hasSize(80 + 94);
        // the name is spelled differently by the two formats: that counts as a change of the listing
        assertThat(d.changed()).singleElement().satisfies(a -> assertThat(a.partyName()).isEqualTo("Lazarus Group"));
    }

    private static String row(int ent, String name, String programs, String address) {
        return ent + ",\"" + name + "\",-0- ,\"" + programs + "\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Digital Currency Address - ETH "
            + address + ".\"\r\n";
    }

    private static SdnExtract csv(String content) throws IOException {
        String name = content.contains("THREE") ? "new.csv" : "old.csv";
        return new OfacSdnCsvImporter().extract(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), name, ImportMode.STRICT);
    }
}
