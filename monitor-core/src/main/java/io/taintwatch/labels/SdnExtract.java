package io.taintwatch.labels;

import java.time.LocalDate;
import java.util.List;

/**
 * The EVM addresses read from one SDN file, with their parties, and the import result whose seeds they became.
 *
 * @param dateOfIssue the list's DateOfIssue (XML), null for the legacy CSV
 */
public record SdnExtract(ImportResult result, LocalDate dateOfIssue, List<SdnAddress> addresses) {
    public SdnExtract {
        addresses = List.copyOf(addresses);
    }
}
