// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./Owned.sol";

/// A minimal ERC-721: owner mints; Transfer carries the token id as a third indexed topic.
/// Simplified: no safeTransferFrom receiver check, no metadata.
contract Collectible is Owned {
    string public constant name = "Demo Collectible";
    string public constant symbol = "DEMO";
    mapping(uint256 => address) public ownerOf;
    mapping(address => uint256) public balanceOf;
    mapping(uint256 => address) public getApproved;

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);

    function mint(address to, uint256 tokenId) external onlyOwner {
        require(to != address(0) && ownerOf[tokenId] == address(0), "cannot mint");
        ownerOf[tokenId] = to;
        balanceOf[to] += 1;
        emit Transfer(address(0), to, tokenId);
    }

    function approve(address to, uint256 tokenId) external {
        require(ownerOf[tokenId] == msg.sender, "not owner");
        getApproved[tokenId] = to;
        emit Approval(msg.sender, to, tokenId);
    }

    function transferFrom(address from, address to, uint256 tokenId) public {
        require(ownerOf[tokenId] == from && from != address(0), "wrong from");
        require(msg.sender == from || getApproved[tokenId] == msg.sender, "not approved");
        require(to != address(0), "zero to");
        delete getApproved[tokenId];
        ownerOf[tokenId] = to;
        balanceOf[from] -= 1;
        balanceOf[to] += 1;
        emit Transfer(from, to, tokenId);
    }
}
