package io.taintwatch.alerts.rules;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operator's own addresses: explicit deposit and hot-wallet address sets, and entity names (matched
 * case-insensitively against labels) whose {@code exchange-deposit} addresses are our deposits and whose
 * {@code exchange-hot-wallet} / {@code exchange} addresses are our hot wallets.
 */
public record OwnAddresses(Set<String> entityNames, Set<Address> depositAddresses, Set<Address> hotWallets) {
    public OwnAddresses {
        entityNames = entityNames == null ? Set.of()
            : entityNames.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
        depositAddresses = depositAddresses == null ? Set.of() : Set.copyOf(depositAddresses);
        hotWallets = hotWallets == null ? Set.of() : Set.copyOf(hotWallets);
    }

    public static OwnAddresses none() {
        return new OwnAddresses(Set.of(), Set.of(), Set.of());
    }

    private boolean ownEntity(Entity e) {
        return e != null && entityNames.contains(e.name().strip().toLowerCase(Locale.ROOT));
    }

    public boolean isOwnDeposit(Address a, Entity label) {
        return depositAddresses.contains(a) || (ownEntity(label) && label.category() == Category.EXCHANGE_DEPOSIT);
    }

    public boolean isOwnHotWallet(Address a, Entity label) {
        return hotWallets.contains(a)
            || (ownEntity(label) && (label.category() == Category.EXCHANGE_HOT_WALLET || label.category() == Category.EXCHANGE));
    }

    public boolean isOwn(Address a, Entity label) {
        return isOwnDeposit(a, label) || isOwnHotWallet(a, label) || ownEntity(label);
    }
}
