package io.taintwatch.embedded.devnet;

import io.taintwatch.model.Address;
import java.util.Objects;
import org.web3j.abi.datatypes.Type;

/** A compiled contract at its deployed address. */
public record DeployedContract(CompiledContract compiled, Address address) {
    public DeployedContract {
        Objects.requireNonNull(compiled, "compiled");
        Objects.requireNonNull(address, "address");
    }

    /** Calldata for {@code function(args)} on this contract. */
    public String data(String function, Type<?>... args) {
        return compiled.encode(function, args);
    }

    public String name() {
        return compiled.name();
    }

    @Override
    public String toString() {
        return compiled.name() + "@" + address;
    }
}
