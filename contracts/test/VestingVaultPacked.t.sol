// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Fixture} from "./utils/Fixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev The packed schedule (uint128 amounts, beneficiary in the key) and the one-call view {VestingVault.schedulesOf}.
contract VestingVaultPackedTest is Fixture {
    uint256 internal constant MAX_TOTAL = type(uint128).max;

    address internal alice;
    address internal bob;
    uint64 internal start;

    function setUp() public override {
        super.setUp();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        start = uint64(block.timestamp);
    }

    // --- totals above uint128 ---

    function test_CreateSchedule_RevertsOnTotalAboveUint128() public {
        vm.expectRevert(
            abi.encodeWithSelector(VestingVault.VestingVaultTotalTooLarge.selector, MAX_TOTAL + 1, MAX_TOTAL)
        );
        _createSchedule(alice, MAX_TOTAL + 1, start, 0, 10 days);
        assertEq(vault.scheduleCount(), 0);
        assertEq(token.balanceOf(address(vault)), 0);
    }

    function test_CreateSchedule_TheLargestTotalVestsAndIsReleasedInFull() public {
        uint256 id = _createSchedule(alice, MAX_TOTAL, start, 0, 10 days);
        assertEq(vault.getSchedule(id).total, MAX_TOTAL);

        vm.warp(start + 5 days);
        vm.prank(alice);
        vault.claim(id);
        assertEq(token.balanceOf(alice), MAX_TOTAL / 2, "half, rounded down");
        assertEq(vault.getSchedule(id).total, MAX_TOTAL, "the released half did not touch the total");

        vm.warp(start + 10 days);
        vm.prank(alice);
        vault.claim(id);
        assertEq(token.balanceOf(alice), MAX_TOTAL);
        assertEq(vault.getSchedule(id).released, MAX_TOTAL);
        assertEq(token.balanceOf(address(vault)), 0);
    }

    function test_ClaimMerkle_RevertsOnLeafTotalAboveUint128() public {
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = vault.merkleLeaf(alice, MAX_TOTAL + 1, start, 0, 10 days);
        leaves[1] = vault.merkleLeaf(bob, 1, start, 0, 10 days);
        vm.prank(admin);
        uint256 dropId = vault.addMerkleRoot(Merkle.root(leaves), MAX_TOTAL + 2, false);

        vm.expectRevert(
            abi.encodeWithSelector(VestingVault.VestingVaultTotalTooLarge.selector, MAX_TOTAL + 1, MAX_TOTAL)
        );
        vault.claimMerkle(dropId, alice, MAX_TOTAL + 1, start, 0, 10 days, Merkle.proof(leaves, 0));
        assertFalse(vault.isLeafClaimed(dropId, alice, MAX_TOTAL + 1, start, 0, 10 days));
        assertEq(vault.getMerkleDrop(dropId).allocated, 0);
    }

    // --- finding a schedule by its caller ---

    function test_Claim_TheIdRightAfterTheLastIsUnknownNotSomeoneElses() public {
        uint256 id = _createSchedule(alice, 1_000e18, start, 0, 10 days);
        vm.warp(start + 10 days);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultUnknownSchedule.selector, id + 1));
        vm.prank(bob);
        vault.claim(id + 1);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNotBeneficiary.selector, id, bob));
        vm.prank(bob);
        vault.claim(id);
    }

    function test_Claim_TwoBeneficiariesSchedulesStayApart() public {
        uint256 a = _createSchedule(alice, 1_000e18, start, 0, 10 days);
        uint256 b = _createSchedule(bob, 3_000e18, start, 0, 10 days);
        vm.warp(start + 10 days);
        vm.prank(bob);
        vault.claim(b);
        assertEq(token.balanceOf(bob), 3_000e18);
        assertEq(vault.claimable(a), 1_000e18, "alice's schedule untouched by bob's claim");
        vm.prank(alice);
        vault.claim(a);
        assertEq(token.balanceOf(alice), 1_000e18);
    }

    // --- schedulesOf ---

    function test_SchedulesOf_IsEmptyWithoutSchedules() public {
        _createSchedule(alice, 1_000e18, start, 0, 10 days);
        assertEq(vault.schedulesOf(bob).length, 0);
    }

    function test_SchedulesOf_ReturnsEverySchedulesStateInCreationOrder() public {
        // alice: 0 (linear, partly claimed), 2 (before its cliff), 3 (revocable, revoked); bob: 1
        uint256 linear = _createSchedule(alice, 1_000e18, start, 0, 10 days);
        _createSchedule(bob, 7e18, start, 0, 1 days);
        uint256 cliffed = _createSchedule(alice, 3_000e18, start, 5 days, 30 days);
        vm.prank(admin);
        uint256 revoked = vault.createSchedule(alice, 400e18, start, 0, 4 days, true);

        vm.warp(start + 1 days);
        vm.prank(admin);
        vault.revoke(revoked); // 100e18 vested stays claimable
        vm.warp(start + 4 days);
        vm.prank(alice);
        vault.claim(linear); // 400e18 released

        vm.warp(start + 6 days);
        VestingVault.ScheduleView[] memory views = vault.schedulesOf(alice);
        assertEq(views.length, 3);

        _assertView(views[0], linear, 1_000e18, 400e18, 600e18, 200e18);
        assertEq(views[0].cliff, 0);
        assertEq(views[0].duration, 10 days);
        assertFalse(views[0].revocable);

        _assertView(views[1], cliffed, 3_000e18, 0, 600e18, 600e18);
        assertEq(views[1].cliff, 5 days);
        assertEq(views[1].duration, 30 days);

        _assertView(views[2], revoked, 100e18, 0, 100e18, 100e18);
        assertTrue(views[2].revocable);
        assertTrue(views[2].revoked);

        VestingVault.ScheduleView[] memory bobs = vault.schedulesOf(bob);
        assertEq(bobs.length, 1);
        _assertView(bobs[0], 1, 7e18, 0, 7e18, 7e18);
    }

    function test_SchedulesOf_AgreesWithTheSingleScheduleGetters() public {
        _createSchedule(alice, 1_000e18, start, 1 days, 10 days);
        _createSchedule(alice, 5e18, start + 2 days, 0, 3 days);
        vm.warp(start + 3 days);
        vm.prank(alice);
        vault.claim(0);
        vm.warp(start + 4 days);

        VestingVault.ScheduleView[] memory views = vault.schedulesOf(alice);
        uint256[] memory ids = vault.scheduleIdsOf(alice);
        assertEq(views.length, ids.length);
        for (uint256 i = 0; i < views.length; ++i) {
            VestingVault.Schedule memory s = vault.getSchedule(ids[i]);
            assertEq(views[i].id, ids[i]);
            assertEq(views[i].beneficiary, s.beneficiary);
            assertEq(views[i].start, s.start);
            assertEq(views[i].cliff, s.cliff);
            assertEq(views[i].duration, s.duration);
            assertEq(views[i].revocable, s.revocable);
            assertEq(views[i].revoked, s.revoked);
            assertEq(views[i].total, s.total);
            assertEq(views[i].released, s.released);
            assertEq(views[i].vested, vault.vestedAmount(ids[i], uint64(block.timestamp)));
            assertEq(views[i].claimable, vault.claimable(ids[i]));
        }
    }

    function _assertView(
        VestingVault.ScheduleView memory v,
        uint256 id,
        uint256 total,
        uint256 released,
        uint256 vested,
        uint256 claimable
    ) internal view {
        assertEq(v.id, id, "id");
        assertEq(v.beneficiary, vault.getSchedule(id).beneficiary, "beneficiary");
        assertEq(v.start, start, "start");
        assertEq(v.total, total, "total");
        assertEq(v.released, released, "released");
        assertEq(v.vested, vested, "vested");
        assertEq(v.claimable, claimable, "claimable");
    }
}
