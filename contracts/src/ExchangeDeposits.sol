// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Owned.sol";

/// One customer's deposit address at an exchange: accepts ETH and tokens, swept by the exchange to its hot wallet.
contract DepositAddress {
    address public immutable exchange;

    constructor() {
        exchange = msg.sender;
    }

    receive() external payable {}

    function sweep(address payable hotWallet) external returns (uint256 amount) {
        require(msg.sender == exchange, "not exchange");
        amount = address(this).balance;
        (bool ok, ) = hotWallet.call{value: amount}("");
        require(ok, "send failed");
    }

    function sweepToken(IERC20 token, address hotWallet) external returns (uint256 amount) {
        require(msg.sender == exchange, "not exchange");
        amount = token.balanceOf(address(this));
        require(token.transfer(hotWallet, amount), "transfer");
    }
}

/// An exchange's deposit system: creates per-customer deposit addresses (CREATE2 by customer id) and
/// sweeps them into the hot wallet: internal transfers for ETH, Transfer events for tokens.
contract ExchangeDeposits is Owned {
    address payable public hotWallet;
    address[] public depositAddresses;
    mapping(address => bool) public isDepositAddress;

    event DepositAddressCreated(address indexed depositAddress, bytes32 indexed customer);
    event Swept(address indexed depositAddress, address indexed token, uint256 amount);

    constructor(address payable hotWallet_) {
        hotWallet = hotWallet_;
    }

    function createDepositAddress(bytes32 customer) public onlyOwner returns (address a) {
        a = address(new DepositAddress{salt: customer}());
        depositAddresses.push(a);
        isDepositAddress[a] = true;
        emit DepositAddressCreated(a, customer);
    }

    function createDepositAddresses(bytes32[] calldata customers) external onlyOwner {
        for (uint256 i = 0; i < customers.length; i++) {
            createDepositAddress(customers[i]);
        }
    }

    function depositAddressCount() external view returns (uint256) {
        return depositAddresses.length;
    }

    /// Sweeps the ETH of the given deposit addresses (those holding none are skipped).
    function sweep(address[] calldata deposits) external onlyOwner {
        for (uint256 i = 0; i < deposits.length; i++) {
            require(isDepositAddress[deposits[i]], "not a deposit address");
            if (deposits[i].balance > 0) {
                uint256 amount = DepositAddress(payable(deposits[i])).sweep(hotWallet);
                emit Swept(deposits[i], address(0), amount);
            }
        }
    }

    function sweepToken(IERC20 token, address[] calldata deposits) external onlyOwner {
        for (uint256 i = 0; i < deposits.length; i++) {
            require(isDepositAddress[deposits[i]], "not a deposit address");
            if (token.balanceOf(deposits[i]) > 0) {
                uint256 amount = DepositAddress(payable(deposits[i])).sweepToken(token, hotWallet);
                emit Swept(deposits[i], address(token), amount);
            }
        }
    }
}
