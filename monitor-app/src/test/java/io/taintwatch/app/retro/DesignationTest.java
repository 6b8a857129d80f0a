package io.taintwatch.app.retro;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.labels.SdnAddress;
import io.taintwatch.model.Address;
import io.taintwatch.model.AlertRetro;
import io.taintwatch.model.Category;
import io.taintwatch.model.Seed;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DesignationTest {
    private static final Address A = Address.parse("0x" + "a1".repeat(20));
    private static final long DAY_MS = 1_700_000_000_000L; // 2023-11-14T22:13:20Z

    private static Designation of(String reference) {
        return Designation.of(new Seed(A, "s", Category.SANCTIONS, 0, reference), DAY_MS);
    }

    @Test
    void theOfacImportersReferenceCarriesTheDesignationDate() {
        assertThat(of("OFAC SDN 27307 Lazarus Group | DPRK3 | designated 2019-09-13 | list 2025-11-19"))
            .isEqualTo(new Designation(LocalDate.of(2019, 9, 13), AlertRetro.BASIS_DESIGNATION));
    }

    @Test
    void theReferenceAsSdnAddressWritesItIsUnderstood() {
        // the reference format is the importer's, not a copy of it: build it the way the importer does
        SdnAddress a = new SdnAddress(A, java.util.List.of("ETH"), "1", "Someone", "1", java.util.List.of("CYBER2"), LocalDate.of(2022, 8, 8),
            LocalDate.of(2025, 3, 4), 1);
        assertThat(of(a.reference()).date()).isEqualTo(LocalDate.of(2022, 8, 8));
    }

    @Test
    void withoutADateTheFirstSeenDayStandsInAndSaysSo() {
        assertThat(of("incident 42")).isEqualTo(new Designation(LocalDate.of(2023, 11, 14), AlertRetro.BASIS_FIRST_SEEN));
        assertThat(of("")).extracting(Designation::basis).isEqualTo(AlertRetro.BASIS_FIRST_SEEN);
        assertThat(of("undesignated 2019-09-13")).as("a word merely ending in 'designated'").extracting(Designation::basis)
            .isEqualTo(AlertRetro.BASIS_FIRST_SEEN);
        assertThat(of("designated 2019-02-30")).as("not a date").extracting(Designation::basis).isEqualTo(AlertRetro.BASIS_FIRST_SEEN);
    }
}
