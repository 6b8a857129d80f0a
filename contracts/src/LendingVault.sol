// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Owned.sol";

/// The demo's victim protocol: users deposit ETH and a stablecoin. It carries a deliberate, classic bug:
/// `migrate` was meant to be owner-only, so anyone can move every asset to an address of their choice.
contract LendingVault is Owned {
    IERC20 public immutable stable;
    mapping(address => uint256) public ethDeposits;
    mapping(address => uint256) public tokenDeposits;

    event Deposited(address indexed user, address indexed token, uint256 amount);
    event Withdrawn(address indexed user, address indexed token, uint256 amount);
    event Migrated(address indexed to, uint256 eth, uint256 tokens);

    constructor(IERC20 stable_) {
        stable = stable_;
    }

    function depositEth() external payable {
        ethDeposits[msg.sender] += msg.value;
        emit Deposited(msg.sender, address(0), msg.value);
    }

    /// Deposits stablecoins (approve first).
    function depositToken(uint256 amount) external {
        require(stable.transferFrom(msg.sender, address(this), amount), "transferFrom");
        tokenDeposits[msg.sender] += amount;
        emit Deposited(msg.sender, address(stable), amount);
    }

    function withdrawEth(uint256 amount) external {
        require(ethDeposits[msg.sender] >= amount, "balance");
        ethDeposits[msg.sender] -= amount;
        (bool ok, ) = payable(msg.sender).call{value: amount}("");
        require(ok, "send failed");
        emit Withdrawn(msg.sender, address(0), amount);
    }

    // BUG (deliberate, the exploit of the demo): no onlyOwner.
    function migrate(address payable newVault) external {
        uint256 eth = address(this).balance;
        uint256 tokens = stable.balanceOf(address(this));
        require(stable.transfer(newVault, tokens), "transfer");
        (bool ok, ) = newVault.call{value: eth}("");
        require(ok, "send failed");
        emit Migrated(newVault, eth, tokens);
    }
}
