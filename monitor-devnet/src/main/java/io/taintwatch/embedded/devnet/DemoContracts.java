package io.taintwatch.embedded.devnet;

import static io.taintwatch.embedded.devnet.Abi.address;
import static io.taintwatch.embedded.devnet.Abi.string;
import static io.taintwatch.embedded.devnet.Abi.uint;

import io.taintwatch.model.Address;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;

/**
 * The demo's contracts, deployed by one owner: a freezable stablecoin, WETH, two ETH splitters (for nested internal
 * transfers), an ERC-1155, an ERC-721, a DEX pool of ETH and the stablecoin, a fixed-denomination mixer, a bridge,
 * an exchange's deposit-address factory with its hot wallet, and the victim vault.
 */
public record DemoContracts(DeployedContract stable, DeployedContract weth, DeployedContract splitter, DeployedContract splitter2,
        DeployedContract multiToken, DeployedContract collectible, DeployedContract dexPool, DeployedContract mixer,
        DeployedContract bridge, DeployedContract exchange, Address hotWallet, DeployedContract vault, BigInteger mixerDenomination) {

    /** Deploys them all from {@code owner}; the exchange sweeps into {@code hotWallet}. */
    public static DemoContracts deploy(Devnet devnet, Credentials owner, Address hotWallet, BigInteger mixerDenomination) {
        DeployedContract stable = devnet.deploy(owner, "StableCoin", string("Demo USD"), string("USDX"));
        return new DemoContracts(stable,
                devnet.deploy(owner, "WrappedEther"),
                devnet.deploy(owner, "EthSplitter"),
                devnet.deploy(owner, "EthSplitter"),
                devnet.deploy(owner, "MultiToken"),
                devnet.deploy(owner, "Collectible"),
                devnet.deploy(owner, "DexPool", address(stable.address())),
                devnet.deploy(owner, "MixerPool", uint(mixerDenomination)),
                devnet.deploy(owner, "BridgeDeposit"),
                devnet.deploy(owner, "ExchangeDeposits", address(hotWallet)),
                hotWallet,
                devnet.deploy(owner, "LendingVault", address(stable.address())),
                mixerDenomination);
    }
}
