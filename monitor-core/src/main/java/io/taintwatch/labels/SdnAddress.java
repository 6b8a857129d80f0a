package io.taintwatch.labels;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Seed;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One EVM address on OFAC's SDN list and the party it belongs to.
 *
 * @param assets     the asset codes it is listed under ({@code ETH}, {@code USDT}, ...), sorted
 * @param partyId    the DistinctParty {@code FixedRef}, which is also the legacy {@code sdn.csv} {@code ent_num}
 * @param entryId    the SanctionsEntry ID (equal to the party id in every file we have seen; kept apart because
 *                   the schema does not promise it)
 * @param programs   sanctions programs, e.g. {@code DPRK3}, {@code CYBER2}
 * @param designated the entry's earliest EntryEvent date, null when the file does not say (sdn.csv)
 * @param listDate   the list's DateOfIssue, null when the file does not say (sdn.csv)
 * @param line       where the address is in the file
 */
public record SdnAddress(Address address, List<String> assets, String partyId, String partyName, String entryId,
                         List<String> programs, LocalDate designated, LocalDate listDate, long line) {
    public SdnAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(partyId, "partyId");
        assets = List.copyOf(assets);
        programs = List.copyOf(programs);
        partyName = partyName == null ? "" : partyName;
        entryId = entryId == null ? partyId : entryId;
    }

    /** {@code ofac:<FixedRef>}: one taint source per sanctioned party, the same id from the XML and the legacy CSV. */
    public String sourceId() {
        return "ofac:" + partyId;
    }

    /** {@code OFAC SDN 39796 TORNADO CASH | CYBER2 DPRK3 | designated 2022-08-08 | list 2025-03-04}. */
    public String reference() {
        StringBuilder sb = new StringBuilder("OFAC SDN ").append(entryId);
        if (!partyName.isEmpty()) {
            sb.append(' ').append(partyName);
        }
        if (!programs.isEmpty()) {
            sb.append(" | ").append(String.join(" ", programs));
        }
        if (designated != null) {
            sb.append(" | designated ").append(designated);
        }
        if (listDate != null) {
            sb.append(" | list ").append(listDate);
        }
        return sb.toString();
    }

    /** A sanctions seed effective from block 0; the live engine starts it at the next block it processes. */
    public Seed toSeed() {
        return new Seed(address, sourceId(), Category.SANCTIONS, 0, reference());
    }
}
