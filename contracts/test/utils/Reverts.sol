// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @dev Lets handlers catch only the reverts they predict: anything else is raised again, unchanged, so that the
/// invariant run (with `fail_on_revert`) fails on it.
library Reverts {
    /// @dev A call the handler expected to revert with `expected` succeeded.
    error RevertsExpectedRevert(bytes4 expected);

    /// @dev The selector of revert data (zero for empty or short data, e.g. a bare `revert()` or out of gas).
    function selector(bytes memory data) internal pure returns (bytes4 result) {
        if (data.length < 4) return bytes4(0);
        assembly ("memory-safe") {
            result := mload(add(data, 0x20))
        }
    }

    /// @dev Reverts with `data` as is.
    function bubble(bytes memory data) internal pure {
        assembly ("memory-safe") {
            revert(add(data, 0x20), mload(data))
        }
    }

    /// @dev Raises `data` again unless its selector is `expected`.
    function check(bytes memory data, bytes4 expected) internal pure {
        if (selector(data) != expected) bubble(data);
    }

    /// @dev Raises `data` again unless it is exactly `expected` (selector and arguments).
    function checkExact(bytes memory data, bytes memory expected) internal pure {
        if (keccak256(data) != keccak256(expected)) bubble(data);
    }
}
