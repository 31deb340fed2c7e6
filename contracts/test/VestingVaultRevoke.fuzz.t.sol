// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Fixture} from "./utils/Fixture.sol";
import {Merkle} from "./utils/Merkle.sol";

/// @dev Arithmetic of revocation and Merkle schedules at random amounts and times.
contract VestingVaultRevokeFuzzTest is Fixture {
    function testFuzz_Revoke_SplitsTotalIntoVestedAndRefund(
        uint256 total,
        uint64 cliff,
        uint64 duration,
        uint64 claimAt,
        uint64 revokeAt,
        uint64 laterAt
    ) public {
        address bob = makeAddr("bob");
        total = bound(total, 1, type(uint128).max); // the largest schedule total
        duration = uint64(bound(duration, 0, 1000 days));
        cliff = uint64(bound(cliff, 0, duration));
        uint64 start = uint64(block.timestamp);
        vm.prank(admin);
        uint256 id = vault.createSchedule(bob, total, start, cliff, duration, true);

        claimAt = uint64(bound(claimAt, start, start + 2000 days));
        vm.warp(claimAt);
        uint256 first = vault.claimable(id);
        if (first > 0) {
            vm.prank(bob);
            vault.claim(id);
        }
        revokeAt = uint64(bound(revokeAt, claimAt, start + 2000 days));
        vm.warp(revokeAt);
        uint256 vested = vault.vestedAmount(id, revokeAt);
        uint256 adminBefore = token.balanceOf(admin);
        vm.prank(admin);
        uint256 refund = vault.revoke(id);
        assertEq(refund + vested, total);
        assertEq(token.balanceOf(admin) - adminBefore, refund);
        assertEq(vault.claimable(id), vested - first);

        laterAt = uint64(bound(laterAt, revokeAt, type(uint64).max));
        vm.warp(laterAt);
        assertEq(vault.claimable(id), vested - first); // nothing more vests after a revocation
        if (vested > first) {
            vm.prank(bob);
            vault.claim(id);
        }
        assertEq(token.balanceOf(bob), vested);
        assertEq(token.balanceOf(address(vault)), 0);
    }

    function testFuzz_ClaimMerkle_PaysExactlyTheVestedAmount(uint256 total, uint64 duration, uint64 elapsed) public {
        address bob = makeAddr("bob");
        total = bound(total, 1, type(uint128).max); // the largest schedule total
        duration = uint64(bound(duration, 1, 1000 days));
        elapsed = uint64(bound(elapsed, 0, 2000 days));
        vm.warp(1_700_000_000);
        uint64 start = uint64(block.timestamp) - elapsed;
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = vault.merkleLeaf(bob, total, start, 0, duration);
        leaves[1] = vault.merkleLeaf(admin, 1, start, 0, duration);
        vm.prank(admin);
        uint256 dropId = vault.addMerkleRoot(Merkle.root(leaves), total + 1, false);
        uint256 id = vault.claimMerkle(dropId, bob, total, start, 0, duration, Merkle.proof(leaves, 0));
        uint256 expected = elapsed >= duration ? total : (total * elapsed) / duration;
        assertEq(token.balanceOf(bob), expected);
        assertEq(vault.getSchedule(id).released, expected);
        assertEq(vault.getMerkleDrop(dropId).allocated, total);
    }
}
