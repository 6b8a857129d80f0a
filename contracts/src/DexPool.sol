// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Owned.sol";

/// A constant-product (x * y = k) pool of ETH and one ERC-20, 0.3% fee, like a Uniswap v1 exchange.
/// The pool pays swaps out in the same transaction: ETH as an internal transfer, tokens as a Transfer.
contract DexPool {
    IERC20 public immutable token;
    uint256 public reserveEth;
    uint256 public reserveToken;
    uint256 public totalShares;
    mapping(address => uint256) public shares;

    event LiquidityAdded(address indexed provider, uint256 eth, uint256 tokens, uint256 shares);
    event Swap(address indexed sender, address indexed to, uint256 ethIn, uint256 tokenIn, uint256 ethOut, uint256 tokenOut);

    constructor(IERC20 token_) {
        token = token_;
    }

    /// Adds ETH and tokens (approve first); the first provider sets the price.
    function addLiquidity(uint256 tokenAmount) external payable returns (uint256 minted) {
        require(msg.value > 0 && tokenAmount > 0, "empty");
        require(token.transferFrom(msg.sender, address(this), tokenAmount), "transferFrom");
        if (totalShares == 0) {
            minted = msg.value;
        } else {
            uint256 byEth = msg.value * totalShares / reserveEth;
            uint256 byToken = tokenAmount * totalShares / reserveToken;
            minted = byEth < byToken ? byEth : byToken;
        }
        totalShares += minted;
        shares[msg.sender] += minted;
        reserveEth += msg.value;
        reserveToken += tokenAmount;
        emit LiquidityAdded(msg.sender, msg.value, tokenAmount, minted);
    }

    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) public pure returns (uint256) {
        require(amountIn > 0 && reserveIn > 0 && reserveOut > 0, "no liquidity");
        uint256 inWithFee = amountIn * 997;
        return inWithFee * reserveOut / (reserveIn * 1000 + inWithFee);
    }

    function swapEthForTokens(uint256 minOut, address to) external payable returns (uint256 out) {
        out = getAmountOut(msg.value, reserveEth, reserveToken);
        require(out >= minOut, "slippage");
        reserveEth += msg.value;
        reserveToken -= out;
        require(token.transfer(to, out), "transfer");
        emit Swap(msg.sender, to, msg.value, 0, 0, out);
    }

    /// Sells tokens (approve first) for ETH sent to `to`.
    function swapTokensForEth(uint256 amountIn, uint256 minOut, address payable to) external returns (uint256 out) {
        out = getAmountOut(amountIn, reserveToken, reserveEth);
        require(out >= minOut, "slippage");
        require(token.transferFrom(msg.sender, address(this), amountIn), "transferFrom");
        reserveToken += amountIn;
        reserveEth -= out;
        (bool ok, ) = to.call{value: out}("");
        require(ok, "send failed");
        emit Swap(msg.sender, to, 0, amountIn, out, 0);
    }
}
