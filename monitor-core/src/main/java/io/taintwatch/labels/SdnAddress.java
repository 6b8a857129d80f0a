package io.taintwatch.labels;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Seed;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One address on OFAC's SDN list of a chain taintwatch follows (EVM {@code 0x...} or Tron {@code T...}) and the party it
 * belongs to.
 *
 * @param assets     the asset codes it is listed under ({@code ETH}, {@code USDT}, ...), sorted
 * @param partyId    the DistinctParty {@code FixedRef}, which is also the legacy {@code sdn.csv} {@code ent_num}
 * @param entryId    the SanctionsEntry ID (equal to the party id in every file we have seen; kept apart because
 *                   the schema does not promise it)
 * @param programs   sanctions programs, e.g. {@code DPRK3}, {@code CYBER2}
 * @param designated the entry's earliest EntryEvent date, null when the file does not say (sdn.csv)
 * @param listDate   the list's DateOfIssue, null when the file does not say (sdn.csv)
 * @param line       where the address is in the file
 * @param kind       the chains the address is on: EVM for {@code 0x...}, Tron for {@code T...} (under USDT or TRX)
 */
public record SdnAddress(Address address, List<String> assets, String partyId, String partyName, String entryId,
                         List<String> programs, LocalDate designated, LocalDate listDate, long line, ChainKind kind) {
    public SdnAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(partyId, "partyId");
        assets = List.copyOf(assets);
        programs = List.copyOf(programs);
        partyName = partyName == null ? "" : partyName;
        entryId = entryId == null ? partyId : entryId;
    }

    /** An address on EVM chains. */
    public SdnAddress(Address address, List<String> assets, String partyId, String partyName, String entryId,
                      List<String> programs, LocalDate designated, LocalDate listDate, long line) {
        this(address, assets, partyId, partyName, entryId, programs, designated, listDate, line, ChainKind.EVM);
    }

    /** The address as OFAC and its chains write it; also its {@code watchlist} key. */
    public String key() {
        return kind.format(address);
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
        return new Seed(address, sourceId(), Category.SANCTIONS, 0, reference(), kind);
    }
}
