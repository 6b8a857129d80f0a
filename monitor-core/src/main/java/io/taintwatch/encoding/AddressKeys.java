package io.taintwatch.encoding;

import io.taintwatch.model.Address;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Hex;

/**
 * Keys of the address-keyed topics ({@code watchlist}, {@code labels}, {@code taint-flows.<chain>}, {@code alerts.tracked}):
 * an address in any case (checksummed keys must check) or Tron's {@code T...}, equal to the address in the value when there
 * is one. The key's form says the kind of chain the record is for ({@link ChainKind#ofText}).
 */
public final class AddressKeys {
    private AddressKeys() {}

    /** The key's address; a missing key or one that is not an address is a {@link BadRecordException}. */
    public static Address of(String key) {
        if (key == null) {
            throw new BadRecordException("record without a key (an address is expected)");
        }
        try {
            return Address.parse(key.strip());
        } catch (IllegalArgumentException e) {
            throw new BadRecordException("key '" + Hex.abbreviate(key) + "' is not an address: " + e.getMessage(), e);
        }
    }

    /**
     * The key's address, which must be {@code valueAddress} when the record has a value (a tombstone has none): a record
     * keyed by one address that describes another would be stored under the wrong key.
     */
    public static Address matching(String key, Address valueAddress) {
        Address k = of(key);
        if (valueAddress != null && !valueAddress.equals(k)) {
            throw new BadRecordException("key " + k + " does not match the value's address " + valueAddress);
        }
        return k;
    }

    /**
     * As {@link #matching(String, Address)}, and the key's form must be the value's kind of chain: a Tron seed keyed by hex
     * would be stored under another kind's key (and be a source on EVM chains).
     */
    public static Address matching(String key, Address valueAddress, ChainKind valueKind) {
        Address k = matching(key, valueAddress);
        ChainKind keyKind = ChainKind.ofText(key.strip());
        if (valueKind != null && valueKind != keyKind) {
            throw new BadRecordException("key " + keyKind.format(k) + " is written as a " + keyKind.label() + " address, the value's address as a "
                + valueKind.label() + " one");
        }
        return k;
    }

    /** The key under which stores keep the record: the address in its chains' form (lower-case {@code 0x...} or {@code T...}). */
    public static String storeKey(String key) {
        return ChainKind.ofText(key.strip()).format(of(key));
    }
}
