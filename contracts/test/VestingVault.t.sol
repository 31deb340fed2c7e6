// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Fixture} from "./utils/Fixture.sol";
import {VestingVault} from "../src/VestingVault.sol";

contract VestingVaultTest is Fixture {
    address internal alice;
    address internal bob;

    uint64 internal start;
    uint64 internal constant CLIFF = 100 days;
    uint64 internal constant DURATION = 400 days;
    uint256 internal constant TOTAL = 4_000e18;

    function setUp() public override {
        super.setUp();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        start = uint64(block.timestamp);
    }

    // --- constructor ---

    function test_Constructor_SetsTokenRolesAndForwarder() public view {
        assertEq(address(vault.token()), address(token));
        assertTrue(vault.hasRole(vault.ADMIN_ROLE(), admin));
        assertTrue(vault.hasRole(vault.DEFAULT_ADMIN_ROLE(), admin));
        assertEq(vault.trustedForwarder(), address(forwarder));
        assertEq(vault.scheduleCount(), 0);
    }

    function test_Constructor_RevertsOnZeroToken() public {
        vm.expectRevert(
            abi.encodeWithSelector(VestingVault.VestingVaultInvalidSetup.selector, address(0), admin)
        );
        new VestingVault(IERC20(address(0)), admin, address(forwarder));
    }

    function test_Constructor_RevertsOnZeroAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(VestingVault.VestingVaultInvalidSetup.selector, address(token), address(0))
        );
        new VestingVault(token, address(0), address(forwarder));
    }

    // --- createSchedule ---

    function test_CreateSchedule_StoresPullsAndEmits() public {
        uint256 adminBefore = token.balanceOf(admin);

        vm.expectEmit(address(vault));
        emit VestingVault.ScheduleCreated(0, alice, TOTAL, start, CLIFF, DURATION);
        vm.prank(admin);
        uint256 id = vault.createSchedule(alice, TOTAL, start, CLIFF, DURATION, true);

        assertEq(id, 0);
        assertEq(vault.scheduleCount(), 1);
        assertEq(token.balanceOf(address(vault)), TOTAL);
        assertEq(token.balanceOf(admin), adminBefore - TOTAL);

        VestingVault.Schedule memory s = vault.getSchedule(id);
        assertEq(s.beneficiary, alice);
        assertEq(s.start, start);
        assertEq(s.cliff, CLIFF);
        assertEq(s.duration, DURATION);
        assertTrue(s.revocable);
        assertFalse(s.revoked);
        assertEq(s.total, TOTAL);
        assertEq(s.released, 0);
    }

    function test_CreateSchedule_ManyPerBeneficiary() public {
        uint256 a0 = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        uint256 b0 = _createSchedule(bob, TOTAL, start, CLIFF, DURATION);
        uint256 a1 = _createSchedule(alice, 1, start, 0, 0);

        assertEq(a0, 0);
        assertEq(b0, 1);
        assertEq(a1, 2);
        uint256[] memory aliceIds = new uint256[](2);
        aliceIds[0] = 0;
        aliceIds[1] = 2;
        assertEq(vault.scheduleIdsOf(alice), aliceIds);
        uint256[] memory bobIds = new uint256[](1);
        bobIds[0] = 1;
        assertEq(vault.scheduleIdsOf(bob), bobIds);
        assertEq(vault.scheduleIdsOf(admin).length, 0);
    }

    function test_CreateSchedule_RevertsForNonAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, vault.ADMIN_ROLE()
            )
        );
        vm.prank(alice);
        vault.createSchedule(alice, TOTAL, start, CLIFF, DURATION, false);
    }

    function test_CreateSchedule_ByGrantedAdmin() public {
        bytes32 role = vault.ADMIN_ROLE();
        vm.prank(admin);
        vault.grantRole(role, bob);
        vm.prank(admin);
        token.transfer(bob, TOTAL);
        vm.startPrank(bob);
        token.approve(address(vault), TOTAL);
        uint256 id = vault.createSchedule(alice, TOTAL, start, CLIFF, DURATION, false);
        vm.stopPrank();
        assertEq(vault.getSchedule(id).beneficiary, alice);
        assertEq(token.balanceOf(bob), 0);
    }

    function test_CreateSchedule_RevertsOnZeroBeneficiary() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                VestingVault.VestingVaultInvalidSchedule.selector, address(0), TOTAL, CLIFF, DURATION
            )
        );
        _createSchedule(address(0), TOTAL, start, CLIFF, DURATION);
    }

    function test_CreateSchedule_RevertsOnZeroTotal() public {
        vm.expectRevert(
            abi.encodeWithSelector(VestingVault.VestingVaultInvalidSchedule.selector, alice, 0, CLIFF, DURATION)
        );
        _createSchedule(alice, 0, start, CLIFF, DURATION);
    }

    function test_CreateSchedule_RevertsOnCliffAfterDuration() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                VestingVault.VestingVaultInvalidSchedule.selector, alice, TOTAL, DURATION + 1, DURATION
            )
        );
        _createSchedule(alice, TOTAL, start, DURATION + 1, DURATION);
    }

    function test_CreateSchedule_RevertsWithoutAllowance() public {
        vm.prank(admin);
        token.approve(address(vault), TOTAL - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(vault), TOTAL - 1, TOTAL
            )
        );
        _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
    }

    // --- getters ---

    function test_Getters_RevertOnUnknownSchedule() public {
        _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        bytes memory unknown = abi.encodeWithSelector(VestingVault.VestingVaultUnknownSchedule.selector, 1);
        vm.expectRevert(unknown);
        vault.getSchedule(1);
        vm.expectRevert(unknown);
        vault.vestedAmount(1, start);
        vm.expectRevert(unknown);
        vault.claimable(1);
    }

    function test_VestedAmount_FollowsCliffAndLine() public {
        uint256 id = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        assertEq(vault.vestedAmount(id, 0), 0);
        assertEq(vault.vestedAmount(id, start), 0);
        assertEq(vault.vestedAmount(id, start + CLIFF - 1), 0);
        assertEq(vault.vestedAmount(id, start + CLIFF), TOTAL / 4);
        assertEq(vault.vestedAmount(id, start + DURATION / 2), TOTAL / 2);
        assertEq(vault.vestedAmount(id, start + DURATION - 1), (TOTAL * (DURATION - 1)) / DURATION);
        assertEq(vault.vestedAmount(id, start + DURATION), TOTAL);
        assertEq(vault.vestedAmount(id, type(uint64).max), TOTAL);
    }

    function test_VestedAmount_ZeroDurationVestsAtStart() public {
        uint256 id = _createSchedule(alice, TOTAL, start + 10, 0, 0);
        assertEq(vault.vestedAmount(id, start + 9), 0);
        assertEq(vault.vestedAmount(id, start + 10), TOTAL);
    }

    function test_VestedAmount_NoCliffStartsLinearly() public {
        uint256 id = _createSchedule(alice, TOTAL, start, 0, DURATION);
        assertEq(vault.vestedAmount(id, start), 0);
        assertEq(vault.vestedAmount(id, start + 1), TOTAL / DURATION);
    }

    function test_Claimable_SubtractsReleased() public {
        uint256 id = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        vm.warp(start + CLIFF);
        assertEq(vault.claimable(id), TOTAL / 4);
        vm.prank(alice);
        vault.claim(id);
        assertEq(vault.claimable(id), 0);
        vm.warp(start + DURATION / 2);
        assertEq(vault.claimable(id), TOTAL / 4);
    }

    // --- claim ---

    function test_Claim_ReleasesVestedAndEmits() public {
        uint256 id = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        vm.warp(start + DURATION / 2);

        vm.expectEmit(address(vault));
        emit VestingVault.Claimed(id, alice, TOTAL / 2);
        vm.prank(alice);
        vault.claim(id);

        assertEq(token.balanceOf(alice), TOTAL / 2);
        assertEq(vault.getSchedule(id).released, TOTAL / 2);

        vm.warp(start + DURATION + 1 days);
        vm.prank(alice);
        vault.claim(id);
        assertEq(token.balanceOf(alice), TOTAL);
        assertEq(token.balanceOf(address(vault)), 0);
        assertEq(vault.getSchedule(id).released, TOTAL);
    }

    function test_Claim_RevertsOnUnknownSchedule() public {
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultUnknownSchedule.selector, 7));
        vm.prank(alice);
        vault.claim(7);
    }

    function test_Claim_RevertsForOthers() public {
        uint256 id = _createSchedule(alice, TOTAL, start, 0, DURATION);
        vm.warp(start + DURATION);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNotBeneficiary.selector, id, bob));
        vm.prank(bob);
        vault.claim(id);
        // Not even the admin can claim for the beneficiary.
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNotBeneficiary.selector, id, admin));
        vm.prank(admin);
        vault.claim(id);
    }

    function test_Claim_RevertsBeforeCliff() public {
        uint256 id = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        vm.warp(start + CLIFF - 1);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, id));
        vm.prank(alice);
        vault.claim(id);
    }

    function test_Claim_RevertsWhenAllReleased() public {
        uint256 id = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        vm.warp(start + DURATION);
        vm.prank(alice);
        vault.claim(id);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, id));
        vm.prank(alice);
        vault.claim(id);
    }

    // --- claimMany ---

    function test_ClaimMany_ReleasesAllInOneTransfer() public {
        uint256 a = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        uint256 b = _createSchedule(alice, 1_000e18, start, 0, 10 days);
        vm.warp(start + DURATION / 2);

        uint256[] memory ids = new uint256[](2);
        ids[0] = a;
        ids[1] = b;
        vm.expectEmit(address(vault));
        emit VestingVault.Claimed(a, alice, TOTAL / 2);
        vm.expectEmit(address(vault));
        emit VestingVault.Claimed(b, alice, 1_000e18);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(address(vault), alice, TOTAL / 2 + 1_000e18);
        vm.prank(alice);
        vault.claimMany(ids);

        assertEq(token.balanceOf(alice), TOTAL / 2 + 1_000e18);
        assertEq(vault.claimable(a), 0);
        assertEq(vault.claimable(b), 0);
    }

    function test_ClaimMany_SkipsSchedulesWithNothingClaimable() public {
        uint256 vested = _createSchedule(alice, TOTAL, start, 0, DURATION);
        uint256 locked = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        vm.warp(start + CLIFF / 2);

        uint256[] memory ids = new uint256[](2);
        ids[0] = locked;
        ids[1] = vested;
        vm.recordLogs();
        vm.prank(alice);
        vault.claimMany(ids);

        assertEq(token.balanceOf(alice), TOTAL / 8);
        assertEq(vault.getSchedule(locked).released, 0);
        // One Claimed (for `vested`) and one Transfer: no event for the skipped schedule.
        assertEq(vm.getRecordedLogs().length, 2);
    }

    function test_ClaimMany_RepeatedIdReleasesOnce() public {
        uint256 id = _createSchedule(alice, TOTAL, start, 0, DURATION);
        vm.warp(start + DURATION);
        uint256[] memory ids = new uint256[](3);
        ids[0] = id;
        ids[1] = id;
        ids[2] = id;
        vm.prank(alice);
        vault.claimMany(ids);
        assertEq(token.balanceOf(alice), TOTAL);
    }

    function test_ClaimMany_RevertsOnEmptyBatch() public {
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultEmptyBatch.selector));
        vm.prank(alice);
        vault.claimMany(new uint256[](0));
    }

    function test_ClaimMany_RevertsOnUnknownSchedule() public {
        uint256 id = _createSchedule(alice, TOTAL, start, 0, DURATION);
        vm.warp(start + DURATION);
        uint256[] memory ids = new uint256[](2);
        ids[0] = id;
        ids[1] = 42;
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultUnknownSchedule.selector, 42));
        vm.prank(alice);
        vault.claimMany(ids);
    }

    function test_ClaimMany_RevertsIfAnyScheduleIsSomeoneElses() public {
        uint256 mine = _createSchedule(alice, TOTAL, start, 0, DURATION);
        uint256 theirs = _createSchedule(bob, TOTAL, start, 0, DURATION);
        vm.warp(start + DURATION);
        uint256[] memory ids = new uint256[](2);
        ids[0] = mine;
        ids[1] = theirs;
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNotBeneficiary.selector, theirs, alice));
        vm.prank(alice);
        vault.claimMany(ids);
    }

    function test_ClaimMany_RevertsWhenNothingToClaim() public {
        uint256 a = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        uint256 b = _createSchedule(alice, TOTAL, start, CLIFF, DURATION);
        vm.warp(start + CLIFF - 1);
        uint256[] memory ids = new uint256[](2);
        ids[0] = b;
        ids[1] = a;
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, b));
        vm.prank(alice);
        vault.claimMany(ids);
    }
}
