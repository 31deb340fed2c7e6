// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @dev A small Merkle tree builder for tests, with OpenZeppelin's sorted-pair hashing (as StandardMerkleTree).
library Merkle {
    /// @dev Root of `leaves` (an odd node at the end of a level moves up unchanged).
    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            level = _up(level);
        }
        return level[0];
    }

    /// @dev Proof of `leaves[index]`.
    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory result) {
        bytes32[] memory buffer = new bytes32[](256);
        uint256 length;
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) {
                buffer[length++] = level[sibling];
            }
            level = _up(level);
            index /= 2;
        }
        result = new bytes32[](length);
        for (uint256 i = 0; i < length; ++i) {
            result[i] = buffer[i];
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 i = 0; i < next.length; ++i) {
            next[i] = 2 * i + 1 < level.length ? Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1]) : level[2 * i];
        }
    }
}
