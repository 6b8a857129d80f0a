package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Category;
import io.taintwatch.testing.SharedData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class LabelFormatTest {
    @Test
    void cliNamesSelectTheirImporters() {
        assertThat(LabelFormat.fromCliName("ofac-xml").importer()).isInstanceOf(OfacSdnXmlImporter.class);
        assertThat(LabelFormat.fromCliName("OFAC-CSV").importer()).isInstanceOf(OfacSdnCsvImporter.class);
        assertThat(LabelFormat.fromCliName("csv").importer()).isInstanceOf(PlainCsvImporter.class);
        assertThat(LabelFormat.fromCliName("etherscan").importer()).isInstanceOf(EtherscanLabelsImporter.class);
        assertThat(LabelFormat.fromCliName(" tagpack ").importer()).isInstanceOf(TagPackImporter.class);
        assertThatThrownBy(() -> LabelFormat.fromCliName("xlsx"))
            .hasMessage("unknown label format 'xlsx' (known: ofac-xml, ofac-csv, csv, etherscan, tagpack)");
    }

    @Test
    void readDecompressesByContentNotByName() throws IOException {
        // .gz is gzip; the excerpt is plain XML; all.json.bz is bzip2 (covered in EtherscanLabelsImporterTest)
        assertThat(LabelFormat.OFAC_CSV.read(SharedData.path("ofac/sdn_csv/sdn_2024-05-03.csv.gz"), ImportMode.LENIENT).seeds()).hasSize(53 + 15);
        assertThat(LabelFormat.OFAC_XML.read(
            SharedData.path("ofac/sdn_advanced/sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml"), ImportMode.STRICT).summary())
            .startsWith("sdn_advanced_2025-11-19_EVM-digital-currency-excerpt.xml (ofac-xml): 43 records read, 175 seeds, 0 labels imported;"
                + " 0 rows rejected, 0 warnings; skipped:");
    }

    @Test
    void seedAndEntityCategoriesPartitionTheEnum() {
        for (Category c : Category.values()) {
            assertThat(CategoryKinds.isSeed(c)).isNotEqualTo(CategoryKinds.isEntity(c));
        }
        assertThat(CategoryKinds.isSeed(Category.SANCTIONS)).isTrue();
        assertThat(CategoryKinds.isSeed(Category.MIXER)).isFalse();
    }
}
