package io.taintwatch.embedded.devnet;

import io.taintwatch.model.Address;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;

/** Short names for the web3j ABI values the devnet passes (our {@link Address} to web3j's, amounts as uint256). */
public final class Abi {
    private Abi() {
    }

    public static org.web3j.abi.datatypes.Address address(Address a) {
        return new org.web3j.abi.datatypes.Address(a.toString());
    }

    public static Uint256 uint(BigInteger v) {
        return new Uint256(v);
    }

    public static Uint256 uint(long v) {
        return new Uint256(BigInteger.valueOf(v));
    }

    public static Bytes32 bytes32(byte[] v) {
        return new Bytes32(v);
    }

    public static Utf8String string(String s) {
        return new Utf8String(s);
    }

    public static DynamicBytes bytes(byte[] b) {
        return new DynamicBytes(b);
    }

    public static DynamicArray<org.web3j.abi.datatypes.Address> addresses(List<Address> as) {
        return new DynamicArray<>(org.web3j.abi.datatypes.Address.class, as.stream().map(Abi::address).toList());
    }

    public static DynamicArray<Uint256> uints(List<BigInteger> vs) {
        return new DynamicArray<>(Uint256.class, vs.stream().map(Uint256::new).toList());
    }

    public static DynamicArray<Bytes32> bytes32s(List<byte[]> vs) {
        return new DynamicArray<>(Bytes32.class, vs.stream().map(Bytes32::new).toList());
    }
}
