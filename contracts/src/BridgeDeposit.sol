// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Owned.sol";

/// The deposit side of a lock-and-mint bridge: locks ETH or tokens here and names the recipient on the
/// destination chain in an event, which the bridge's relayers would act on.
contract BridgeDeposit {
    address public constant ETH = address(0);
    uint256 public depositCount;

    event DepositInitiated(uint256 indexed depositId, address indexed sender, address indexed token, uint256 amount,
        uint256 destinationChainId, address recipient);

    function depositETH(uint256 destinationChainId, address recipient) external payable {
        require(msg.value > 0, "empty");
        emit DepositInitiated(depositCount++, msg.sender, ETH, msg.value, destinationChainId, recipient);
    }

    /// Locks tokens (approve first).
    function depositToken(IERC20 token, uint256 amount, uint256 destinationChainId, address recipient) external {
        require(amount > 0, "empty");
        require(token.transferFrom(msg.sender, address(this), amount), "transferFrom");
        emit DepositInitiated(depositCount++, msg.sender, address(token), amount, destinationChainId, recipient);
    }
}
