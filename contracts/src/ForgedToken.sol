// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// A token that exists only to forge transaction history, as address-poisoning campaigns deploy them: anyone can make
/// it emit Transfer(from, to, value) for any `from`, who signs nothing. Nothing is ever credited: every balance is zero,
/// and its name and symbol are whatever the deployer chose to imitate.
contract ForgedToken {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(string memory name_, string memory symbol_) {
        name = name_;
        symbol = symbol_;
    }

    function totalSupply() external pure returns (uint256) {
        return 0;
    }

    function balanceOf(address) external pure returns (uint256) {
        return 0;
    }

    /// One Transfer event per recipient, "from" whoever the caller names.
    function scatter(address from, address[] calldata to, uint256[] calldata values) external {
        require(to.length == values.length, "lengths");
        for (uint256 i = 0; i < to.length; i++) {
            emit Transfer(from, to[i], values[i]);
        }
    }
}
