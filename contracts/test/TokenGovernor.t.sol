// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Platform} from "./utils/Platform.sol";
import {TokenFactory} from "../src/TokenFactory.sol";

/// @dev A full proposal lifecycle through {TokenGovernor} and the timelock, on the timestamp clock.
contract TokenGovernorTest is Platform {
    address internal voter;

    function setUp() public override {
        super.setUp();
        voter = makeAddr("voter");
        vm.prank(admin);
        token.transfer(voter, SUPPLY / 10); // 10% of the votes: above the 4% quorum
        vm.prank(voter);
        token.delegate(voter);
        vm.warp(block.timestamp + 1);
    }

    function _proposal(uint256 fee)
        internal
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        targets = new address[](1);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        targets[0] = address(factory);
        calldatas[0] = abi.encodeCall(TokenFactory.setFee, (fee, feeRecipient));
    }

    function test_Settings() public view {
        assertEq(governor.name(), "TokenTags Governor");
        assertEq(governor.votingDelay(), 1 days);
        assertEq(governor.votingPeriod(), 1 weeks);
        assertEq(governor.clock(), block.timestamp);
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(governor.timelock(), address(timelock));
        assertEq(governor.quorum(block.timestamp - 1), (SUPPLY * 4) / 100);
    }

    function test_Lifecycle_ProposeVoteQueueExecuteChangesTheFactoryFee() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(0.5 ether);
        string memory description = "Raise the creation fee to 0.5";
        bytes32 descriptionHash = keccak256(bytes(description));

        vm.prank(voter);
        uint256 id = governor.propose(targets, values, calldatas, description);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Pending));

        vm.warp(block.timestamp + 1 days + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Active));
        vm.prank(voter);
        governor.castVote(id, 1); // for

        vm.warp(block.timestamp + 1 weeks);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded));
        governor.queue(targets, values, calldatas, descriptionHash);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Queued));

        // not before the timelock delay: the timelock's operation is not ready yet
        bytes32 operation = timelock.hashOperationBatch(
            targets, values, calldatas, 0, bytes20(address(governor)) ^ descriptionHash
        );
        bytes32 readyState = bytes32(1 << uint8(TimelockController.OperationState.Ready));
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnexpectedOperationState.selector, operation, readyState)
        );
        governor.execute(targets, values, calldatas, descriptionHash);

        vm.warp(block.timestamp + TIMELOCK_DELAY + 1);
        governor.execute(targets, values, calldatas, descriptionHash);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Executed));
        assertEq(factory.creationFee(), 0.5 ether);
    }

    function test_Lifecycle_DefeatedWithoutQuorum() public {
        address small = makeAddr("small");
        vm.prank(voter);
        token.transfer(small, SUPPLY / 100); // 1%
        vm.prank(small);
        token.delegate(small);
        vm.warp(block.timestamp + 1);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(1);
        vm.prank(small);
        uint256 id = governor.propose(targets, values, calldatas, "tiny");
        vm.warp(block.timestamp + 1 days + 1);
        vm.prank(small);
        governor.castVote(id, 1);
        vm.warp(block.timestamp + 1 weeks);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Defeated));
    }

    function test_Timelock_OnlyGovernorProposes() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, voter, timelock.PROPOSER_ROLE()
            )
        );
        vm.prank(voter);
        timelock.schedule(address(factory), 0, "", bytes32(0), bytes32(0), TIMELOCK_DELAY);
    }
}
