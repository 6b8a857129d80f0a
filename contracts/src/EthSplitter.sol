// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Forwards the ETH it is sent to several recipients: internal value transfers, visible only in traces.
/// A failing recipient reverts the whole call.
contract EthSplitter {
    event Split(address indexed sender, uint256 total, uint256 recipients);

    function split(address payable[] calldata to, uint256[] calldata amounts) external payable {
        require(to.length == amounts.length, "length");
        uint256 total;
        for (uint256 i = 0; i < to.length; i++) {
            total += amounts[i];
            (bool ok, ) = to[i].call{value: amounts[i]}("");
            require(ok, "send failed");
        }
        require(total == msg.value, "value != sum");
        emit Split(msg.sender, total, to.length);
    }

    /// A nested forward through a second frame: this -> next splitter -> recipient.
    function forwardVia(EthSplitter next, address payable to) external payable {
        address payable[] memory rs = new address payable[](1);
        rs[0] = to;
        uint256[] memory vs = new uint256[](1);
        vs[0] = msg.value;
        next.split{value: msg.value}(rs, vs);
    }
}
