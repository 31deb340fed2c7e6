// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Fixture} from "./utils/Fixture.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev Properties of the release arithmetic over arbitrary schedules and claim times.
contract VestingVaultFuzzTest is Fixture {
    address internal beneficiary;

    struct Params {
        uint256 total;
        uint64 start;
        uint64 cliff;
        uint64 duration;
    }

    function setUp() public override {
        super.setUp();
        beneficiary = makeAddr("beneficiary");
    }

    function _schedule(uint256 total, uint64 start, uint64 cliff, uint64 duration)
        internal
        returns (uint256 id, Params memory p)
    {
        p.total = bound(total, 1, type(uint128).max);
        p.start = uint64(bound(start, 0, 1 << 40));
        p.duration = uint64(bound(duration, 0, 1 << 34));
        p.cliff = uint64(bound(cliff, 0, p.duration));
        id = _createSchedule(beneficiary, p.total, p.start, p.cliff, p.duration);
    }

    function testFuzz_VestedAmount_FollowsTheFormula(
        uint256 total,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        uint64 t
    ) public {
        (uint256 id, Params memory p) = _schedule(total, start, cliff, duration);
        uint256 vested = vault.vestedAmount(id, t);

        assertLe(vested, p.total, "vested above total");
        if (uint256(t) < uint256(p.start) + p.cliff) {
            assertEq(vested, 0, "vested before cliff");
        } else if (uint256(t) >= uint256(p.start) + p.duration) {
            assertEq(vested, p.total, "not all vested at end");
        } else {
            assertEq(vested, (p.total * (t - p.start)) / p.duration, "off the line");
        }
    }

    function testFuzz_VestedAmount_MonotoneInTime(
        uint256 total,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        uint64 t1,
        uint64 t2
    ) public {
        (uint256 id,) = _schedule(total, start, cliff, duration);
        if (t1 > t2) (t1, t2) = (t2, t1);
        assertLe(vault.vestedAmount(id, t1), vault.vestedAmount(id, t2), "vested decreased");
    }

    function testFuzz_Claims_NeverExceedVestedAndSumToTotal(
        uint256 total,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        uint32[8] memory gaps
    ) public {
        (uint256 id, Params memory p) = _schedule(total, start, cliff, duration);
        uint256 t = p.start;
        uint256 previousVested;

        for (uint256 i = 0; i < gaps.length; ++i) {
            // Claim times spread over (and a bit past) the vesting period.
            t += bound(gaps[i], 0, p.duration / 4 + 1 days);
            vm.warp(t);
            uint256 vested = vault.vestedAmount(id, uint64(t));
            uint256 released = vault.getSchedule(id).released;
            uint256 claimable = vault.claimable(id);

            assertGe(vested, previousVested);
            assertLe(vested, p.total, "vested above total");
            assertEq(claimable, vested - released, "claimable is not vested - released");
            previousVested = vested;

            uint256 balanceBefore = token.balanceOf(beneficiary);
            if (claimable == 0) {
                vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, id));
            }
            vm.prank(beneficiary);
            vault.claim(id);
            assertEq(token.balanceOf(beneficiary) - balanceBefore, claimable, "paid other than claimable");
            assertLe(vault.getSchedule(id).released, vested, "released above vested");
        }

        vm.warp(uint256(p.start) + p.duration);
        if (vault.claimable(id) > 0) {
            vm.prank(beneficiary);
            vault.claim(id);
        }
        assertEq(token.balanceOf(beneficiary), p.total, "claims do not sum to total");
        assertEq(vault.getSchedule(id).released, p.total);
        assertEq(token.balanceOf(address(vault)), 0);
        assertEq(vault.claimable(id), 0);
    }
}
