package io.taintwatch.taint;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import java.util.List;

/**
 * What one block changed of one tracked address's persisted records (see {@link StateCodec}): the header (hops and
 * provenance) when {@code header}, the holdings of {@code written} (sorted), and the holding records to delete,
 * {@code deleted} (sorted). A {@code removed} address is untracked: its header record and the holding records of
 * {@code deleted} go. The records to write are encoded from {@link TaintEngine#account} after the block.
 */
public record AccountChange(Address address, boolean removed, boolean header, List<Asset> written, List<Asset> deleted) {
    public AccountChange {
        written = List.copyOf(written);
        deleted = List.copyOf(deleted);
        if (removed && (header || !written.isEmpty())) {
            throw new IllegalArgumentException("a removed account writes nothing: " + address);
        }
    }

    static AccountChange removal(Address address, List<Asset> storedHoldings) {
        return new AccountChange(address, true, false, List.of(), storedHoldings);
    }
}
