// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// A fixed-denomination mixer pool in the shape of Tornado Cash, without the zero-knowledge part:
/// deposit exactly `denomination` with commitment = keccak256(note); anyone holding the note withdraws
/// the denomination (less an optional relayer fee) to any recipient, once. The note links the two on
/// chain here, which a real mixer hides; the demo only needs the flows.
contract MixerPool {
    uint256 public immutable denomination;
    mapping(bytes32 => bool) public commitments;
    mapping(bytes32 => bool) public nullifierHashes;
    uint32 public nextIndex;

    event Deposit(bytes32 indexed commitment, uint32 leafIndex, uint256 timestamp);
    event Withdrawal(address to, bytes32 nullifierHash, address indexed relayer, uint256 fee);

    constructor(uint256 denomination_) {
        require(denomination_ > 0, "denomination");
        denomination = denomination_;
    }

    function deposit(bytes32 commitment) external payable {
        require(msg.value == denomination, "wrong amount");
        require(!commitments[commitment], "commitment used");
        commitments[commitment] = true;
        emit Deposit(commitment, nextIndex++, block.timestamp);
    }

    function withdraw(bytes32 note, address payable recipient, address payable relayer, uint256 fee) external {
        bytes32 commitment = keccak256(abi.encodePacked(note));
        require(commitments[commitment], "unknown note");
        bytes32 nullifierHash = keccak256(abi.encodePacked(commitment, "nullifier"));
        require(!nullifierHashes[nullifierHash], "note spent");
        require(fee < denomination, "fee");
        nullifierHashes[nullifierHash] = true;
        (bool ok, ) = recipient.call{value: denomination - fee}("");
        require(ok, "send failed");
        if (fee > 0) {
            (ok, ) = relayer.call{value: fee}("");
            require(ok, "fee failed");
        }
        emit Withdrawal(recipient, nullifierHash, relayer, fee);
    }
}
