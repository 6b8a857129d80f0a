package io.taintwatch.embedded.devnet;

import static io.taintwatch.embedded.devnet.Abi.address;
import static io.taintwatch.embedded.devnet.Abi.uint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledContractTest {
    private static final List<String> ALL = List.of("StableCoin", "WrappedEther", "EthSplitter", "MultiToken", "Collectible", "DexPool", "MixerPool",
            "BridgeDeposit", "ExchangeDeposits", "DepositAddress", "LendingVault", "ForgedToken");

    @Test
    void everyDemoContractIsCompiledWithItsFunctions() {
        for (String name : ALL) {
            CompiledContract c = CompiledContract.load(name);
            assertThat(c.name()).isEqualTo(name);
            assertThat(c.bytecode()).startsWith("0x60").hasSizeGreaterThan(200); // PUSH1: the free memory pointer set-up
            assertThat(c.functions()).isNotEmpty();
        }
        assertThat(CompiledContract.load("StableCoin").functions()).contains("transfer(address,uint256)", "freeze(address)", "mint(address,uint256)");
        assertThat(CompiledContract.load("MixerPool").functions()).contains("deposit(bytes32)", "withdraw(bytes32,address,address,uint256)");
    }

    @Test
    void encodesCallsWithTheStandardSelector() {
        String data = CompiledContract.load("StableCoin").encode("transfer", address(Address.parse("0x00000000000000000000000000000000000000aa")), uint(5));
        // a9059cbb = keccak("transfer(address,uint256)")[0..4]
        assertThat(data).isEqualTo("0xa9059cbb" + "0".repeat(62) + "aa" + "0".repeat(63) + "5");
    }

    @Test
    void refusesAFunctionTheContractDoesNotHave() {
        assertThatThrownBy(() -> CompiledContract.load("StableCoin").encode("transfer", uint(5)))
                .hasMessageContaining("StableCoin has no function transfer(uint256)");
        assertThatThrownBy(() -> CompiledContract.load("NoSuchContract")).hasMessageContaining("no compiled contract 'NoSuchContract'")
                .hasMessageContaining("compile.mjs");
    }

    @Test
    void deployDataAppendsTheConstructorArguments() {
        CompiledContract mixer = CompiledContract.load("MixerPool");
        assertThat(mixer.deployData(uint(7))).isEqualTo(mixer.bytecode() + "0".repeat(63) + "7");
    }
}
