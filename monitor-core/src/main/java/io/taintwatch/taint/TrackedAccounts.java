package io.taintwatch.taint;

import io.taintwatch.model.Address;
import java.util.Collections;
import java.util.HashMap;

/**
 * Where a {@link TaintEngine} keeps the accounts of its tracked addresses: in memory ({@link #inMemory()}, for tests,
 * replays and the engine in process) or in the topology's {@code taint-accounts} store behind a bounded cache
 * ({@link StoredAccounts}). The engine asks only for addresses its index holds as tracked, mutates the accounts it gets
 * in place during a block, and reports what it changed ({@link AccountChange}); an implementation must return the same
 * object for an address until the block's changes are persisted.
 */
public interface TrackedAccounts {
    /** The account of a tracked address, or null when it has none. */
    Account get(Address address);

    /** A newly tracked address's account. */
    void add(Account account);

    /** The address is no longer tracked. */
    void remove(Address address);

    /** How many addresses are tracked. */
    int size();

    /** Every tracked account (tests and diagnostics: a store-backed implementation reads them all). */
    Iterable<Account> all();

    /** Accounts in a hash map: the whole state on the heap. */
    static TrackedAccounts inMemory() {
        return new TrackedAccounts() {
            private final HashMap<Address, Account> accounts = new HashMap<>();

            @Override
            public Account get(Address address) {
                return accounts.get(address);
            }

            @Override
            public void add(Account account) {
                accounts.put(account.address(), account);
            }

            @Override
            public void remove(Address address) {
                accounts.remove(address);
            }

            @Override
            public int size() {
                return accounts.size();
            }

            @Override
            public Iterable<Account> all() {
                return Collections.unmodifiableCollection(accounts.values());
            }
        };
    }
}
