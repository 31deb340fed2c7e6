// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Fixture} from "./utils/Fixture.sol";
import {Merkle} from "./utils/Merkle.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev Merkle drops, revocation, pause, claims on behalf, and clone set-up of {VestingVault}.
contract VestingVaultExtrasTest is Fixture {
    address internal alice;
    address internal bob;
    address internal carol;

    struct Leaf {
        address beneficiary;
        uint256 total;
        uint64 start;
        uint64 cliff;
        uint64 duration;
    }

    Leaf[] internal leaves;
    bytes32[] internal hashes;
    bytes32 internal root;
    uint256 internal dropTotal;

    function setUp() public override {
        super.setUp();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
        uint64 now_ = uint64(block.timestamp);
        leaves.push(Leaf(alice, 1_000e18, now_ - 10 days, 0, 5 days)); // fully vested
        leaves.push(Leaf(bob, 2_000e18, now_ - 1 days, 0, 4 days)); // a quarter vested
        leaves.push(Leaf(carol, 3_000e18, now_, 7 days, 30 days)); // before its cliff
        leaves.push(Leaf(alice, 500e18, now_, 0, 10 days)); // alice's second leaf
        for (uint256 i = 0; i < leaves.length; ++i) {
            Leaf memory l = leaves[i];
            hashes.push(vault.merkleLeaf(l.beneficiary, l.total, l.start, l.cliff, l.duration));
            dropTotal += l.total;
        }
        root = Merkle.root(hashes);
    }

    function _addDrop(bool revocable) internal returns (uint256 dropId) {
        vm.prank(admin);
        dropId = vault.addMerkleRoot(root, dropTotal, revocable);
    }

    function _claimLeaf(uint256 dropId, uint256 i) internal returns (uint256) {
        Leaf memory l = leaves[i];
        return vault.claimMerkle(dropId, l.beneficiary, l.total, l.start, l.cliff, l.duration, Merkle.proof(hashes, i));
    }

    // --- merkle leaf hash ---

    function test_MerkleLeaf_IsStandardMerkleTreeDoubleHash() public view {
        bytes32 expected = keccak256(
            bytes.concat(keccak256(abi.encode(alice, uint256(7), uint64(1), uint64(2), uint64(3))))
        );
        assertEq(vault.merkleLeaf(alice, 7, 1, 2, 3), expected);
    }

    // --- addMerkleRoot ---

    function test_AddMerkleRoot_PullsFundsAndEmits() public {
        uint256 before = token.balanceOf(address(vault));
        vm.expectEmit(address(vault));
        emit VestingVault.MerkleRootAdded(0, root, dropTotal, true);
        uint256 dropId = _addDrop(true);
        assertEq(dropId, 0);
        assertEq(vault.merkleDropCount(), 1);
        assertEq(token.balanceOf(address(vault)), before + dropTotal);
        VestingVault.MerkleDrop memory drop = vault.getMerkleDrop(0);
        assertEq(drop.root, root);
        assertEq(drop.deposited, dropTotal);
        assertEq(drop.allocated, 0);
        assertTrue(drop.revocable);
        assertFalse(drop.closed);
    }

    function test_AddMerkleRoot_RevertsForNonAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, vault.ADMIN_ROLE()
            )
        );
        vm.prank(alice);
        vault.addMerkleRoot(root, dropTotal, false);
    }

    function test_AddMerkleRoot_RevertsOnZeroRootOrTotal() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultInvalidDrop.selector, bytes32(0), 1));
        vault.addMerkleRoot(bytes32(0), 1, false);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultInvalidDrop.selector, root, 0));
        vault.addMerkleRoot(root, 0, false);
        vm.stopPrank();
    }

    // --- claimMerkle ---

    function test_ClaimMerkle_MakesARegularScheduleAndPaysTheBeneficiary() public {
        uint256 dropId = _addDrop(false);
        address relayer = makeAddr("relayer");
        vm.prank(relayer); // anyone may submit the proof: the tokens go to the beneficiary
        uint256 id = _claimLeaf(dropId, 1);
        assertEq(token.balanceOf(bob), 500e18);
        assertEq(token.balanceOf(relayer), 0);
        uint256[] memory ids = vault.scheduleIdsOf(bob);
        assertEq(ids.length, 1);
        assertEq(ids[0], id);
        VestingVault.Schedule memory s = vault.getSchedule(id);
        assertEq(s.beneficiary, bob);
        assertEq(s.total, 2_000e18);
        assertEq(s.released, 500e18);
        assertEq(vault.getMerkleDrop(dropId).allocated, 2_000e18);
        assertTrue(vault.isLeafClaimed(dropId, bob, 2_000e18, leaves[1].start, 0, 4 days));

        // Later claims go through the regular path.
        vm.warp(block.timestamp + 1 days);
        assertEq(vault.claimable(id), 500e18);
        vm.prank(bob);
        vault.claim(id);
        assertEq(token.balanceOf(bob), 1_000e18);
    }

    function test_ClaimMerkle_BeforeCliffRegistersWithoutPaying() public {
        uint256 dropId = _addDrop(false);
        uint256 id = _claimLeaf(dropId, 2);
        assertEq(token.balanceOf(carol), 0);
        assertEq(vault.claimable(id), 0);
        vm.warp(block.timestamp + 15 days);
        assertEq(vault.claimable(id), 1_500e18);
    }

    function test_ClaimMerkle_EveryLeafOnceAndTheDropIsFullyAllocated() public {
        uint256 dropId = _addDrop(false);
        for (uint256 i = 0; i < leaves.length; ++i) {
            _claimLeaf(dropId, i);
        }
        assertEq(vault.getMerkleDrop(dropId).allocated, dropTotal);
        assertEq(vault.scheduleIdsOf(alice).length, 2);
    }

    function test_ClaimMerkle_RevertsOnSecondClaim() public {
        uint256 dropId = _addDrop(false);
        _claimLeaf(dropId, 0);
        vm.expectRevert(
            abi.encodeWithSelector(VestingVault.VestingVaultLeafAlreadyClaimed.selector, dropId, hashes[0])
        );
        _claimLeaf(dropId, 0);
    }

    function test_ClaimMerkle_RevertsOnAlteredLeaf() public {
        uint256 dropId = _addDrop(false);
        Leaf memory l = leaves[0];
        bytes32[] memory proof = Merkle.proof(hashes, 0);
        bytes32 altered = vault.merkleLeaf(l.beneficiary, l.total + 1, l.start, l.cliff, l.duration);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultInvalidProof.selector, dropId, altered));
        vault.claimMerkle(dropId, l.beneficiary, l.total + 1, l.start, l.cliff, l.duration, proof);
        bytes32 stolen = vault.merkleLeaf(bob, l.total, l.start, l.cliff, l.duration);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultInvalidProof.selector, dropId, stolen));
        vault.claimMerkle(dropId, bob, l.total, l.start, l.cliff, l.duration, proof);
    }

    function test_ClaimMerkle_RevertsOnUnknownOrClosedDrop() public {
        Leaf memory l = leaves[0];
        bytes32[] memory proof = Merkle.proof(hashes, 0);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultUnknownDrop.selector, 0));
        vault.claimMerkle(0, l.beneficiary, l.total, l.start, l.cliff, l.duration, proof);
        uint256 dropId = _addDrop(false);
        vm.prank(admin);
        vault.closeMerkleDrop(dropId);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultDropClosed.selector, dropId));
        vault.claimMerkle(dropId, l.beneficiary, l.total, l.start, l.cliff, l.duration, proof);
    }

    function test_ClaimMerkle_RevertsWhenTheDropIsUnderfunded() public {
        vm.prank(admin);
        uint256 dropId = vault.addMerkleRoot(root, 1_500e18, false); // less than the leaves add up to
        _claimLeaf(dropId, 0); // 1,000
        Leaf memory l = leaves[1];
        vm.expectRevert(
            abi.encodeWithSelector(VestingVault.VestingVaultDropExhausted.selector, dropId, l.total, 500e18)
        );
        _claimLeaf(dropId, 1);
    }

    function test_ClaimMerkle_RevertsOnInvalidScheduleLeaf() public {
        bytes32[] memory bad = new bytes32[](2);
        bad[0] = vault.merkleLeaf(alice, 1, 0, 10, 5); // cliff > duration
        bad[1] = vault.merkleLeaf(bob, 1, 0, 0, 5);
        vm.prank(admin);
        uint256 dropId = vault.addMerkleRoot(Merkle.root(bad), 2, false);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultInvalidSchedule.selector, alice, 1, 10, 5));
        vault.claimMerkle(dropId, alice, 1, 0, 10, 5, Merkle.proof(bad, 0));
    }

    function test_ClaimMerkle_RevertsWhenPaused() public {
        uint256 dropId = _addDrop(false);
        vm.prank(admin);
        vault.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _claimLeaf(dropId, 0);
    }

    // --- closeMerkleDrop ---

    function test_CloseMerkleDrop_RefundsUnallocated() public {
        uint256 dropId = _addDrop(false);
        _claimLeaf(dropId, 0);
        uint256 before = token.balanceOf(admin);
        vm.expectEmit(address(vault));
        emit VestingVault.MerkleDropClosed(dropId, admin, dropTotal - 1_000e18);
        vm.prank(admin);
        uint256 refund = vault.closeMerkleDrop(dropId);
        assertEq(refund, dropTotal - 1_000e18);
        assertEq(token.balanceOf(admin), before + refund);
        assertTrue(vault.getMerkleDrop(dropId).closed);
    }

    function test_CloseMerkleDrop_RevertsTwiceOrForNonAdmin() public {
        uint256 dropId = _addDrop(false);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, vault.ADMIN_ROLE())
        );
        vm.prank(bob);
        vault.closeMerkleDrop(dropId);
        vm.startPrank(admin);
        vault.closeMerkleDrop(dropId);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultDropClosed.selector, dropId));
        vault.closeMerkleDrop(dropId);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultUnknownDrop.selector, 9));
        vault.getMerkleDrop(9);
        vm.stopPrank();
    }

    // --- revoke ---

    function test_Revoke_ReturnsUnvestedKeepsVestedClaimable() public {
        vm.prank(admin);
        uint256 id = vault.createSchedule(bob, 1_000e18, uint64(block.timestamp - 1 days), 0, 4 days, true);
        uint256 before = token.balanceOf(admin);
        vm.expectEmit(address(vault));
        emit VestingVault.ScheduleRevoked(id, admin, 750e18);
        vm.prank(admin);
        uint256 refund = vault.revoke(id);
        assertEq(refund, 750e18);
        assertEq(vault.revokedAmount(id), 750e18);
        assertEq(token.balanceOf(admin), before + 750e18);
        VestingVault.Schedule memory s = vault.getSchedule(id);
        assertTrue(s.revoked);
        assertEq(s.total, 250e18);
        vm.warp(block.timestamp + 30 days); // nothing more vests
        assertEq(vault.claimable(id), 250e18);
        vm.prank(bob);
        vault.claim(id);
        assertEq(token.balanceOf(bob), 250e18);
    }

    function test_Revoke_WorksWhilePausedAndOnMerkleSchedules() public {
        uint256 dropId = _addDrop(true);
        uint256 id = _claimLeaf(dropId, 2); // carol, before cliff: everything returns
        vm.startPrank(admin);
        vault.pause();
        assertEq(vault.revoke(id), 3_000e18);
        vm.stopPrank();
        assertEq(vault.claimable(id), 0);
    }

    function test_Revoke_RevertsIfNotRevocableOrTwiceOrNonAdmin() public {
        uint256 fixed_ = _createSchedule(bob, 1e18, uint64(block.timestamp), 0, 1 days);
        vm.prank(admin);
        uint256 revocable = vault.createSchedule(bob, 1e18, uint64(block.timestamp), 0, 1 days, true);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, vault.ADMIN_ROLE())
        );
        vm.prank(bob);
        vault.revoke(revocable);
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNotRevocable.selector, fixed_));
        vault.revoke(fixed_);
        vault.revoke(revocable);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNotRevocable.selector, revocable));
        vault.revoke(revocable);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultUnknownSchedule.selector, 99));
        vault.revoke(99);
        vm.stopPrank();
    }

    // --- pause ---

    function test_Pause_BlocksEveryClaimUntilUnpaused() public {
        uint256 id = _createSchedule(bob, 1e18, uint64(block.timestamp - 2 days), 0, 1 days);
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        vm.expectEmit(address(vault));
        emit Pausable.Paused(admin);
        vm.prank(admin);
        vault.pause();
        assertTrue(vault.paused());
        vm.startPrank(bob);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.claim(id);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.claimMany(ids);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.claimFor(id);
        vm.stopPrank();
        vm.prank(admin);
        vault.unpause();
        vm.prank(bob);
        vault.claim(id);
        assertEq(token.balanceOf(bob), 1e18);
    }

    function test_Pause_OnlyPauserAndState() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, vault.PAUSER_ROLE())
        );
        vm.prank(bob);
        vault.pause();
        vm.expectRevert(Pausable.ExpectedPause.selector);
        vm.prank(admin);
        vault.unpause();
        vm.startPrank(admin);
        vault.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.pause();
        vm.stopPrank();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, vault.PAUSER_ROLE())
        );
        vm.prank(bob);
        vault.unpause();
    }

    // --- claimFor ---

    function test_ClaimFor_PaysTheBeneficiaryNotTheCaller() public {
        uint256 id = _createSchedule(bob, 1e18, uint64(block.timestamp - 2 days), 0, 1 days);
        vm.expectEmit(address(vault));
        emit VestingVault.Claimed(id, bob, 1e18);
        vm.prank(carol);
        vault.claimFor(id);
        assertEq(token.balanceOf(bob), 1e18);
        assertEq(token.balanceOf(carol), 0);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultNothingToClaim.selector, id));
        vault.claimFor(id);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultUnknownSchedule.selector, 7));
        vault.claimFor(7);
    }

    // --- clones and initialize ---

    function test_Implementation_CannotBeInitialized() public {
        VestingVault impl = new VestingVault(IERC20(address(0)), address(0), address(forwarder));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(token, admin, bytes32(0), 0);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vault.initialize(token, admin, bytes32(0), 0); // a directly deployed vault neither
    }

    function test_Initialize_SetsUpACloneOnceWithItsDrop() public {
        VestingVault impl = new VestingVault(IERC20(address(0)), address(0), address(forwarder));
        VestingVault clone = VestingVault(Clones.clone(address(impl)));
        vm.prank(admin);
        token.transfer(address(clone), dropTotal);
        clone.initialize(token, alice, root, dropTotal);
        assertEq(address(clone.token()), address(token));
        assertTrue(clone.hasRole(clone.ADMIN_ROLE(), alice));
        assertEq(clone.trustedForwarder(), address(forwarder));
        assertEq(clone.getMerkleDrop(0).deposited, dropTotal);
        Leaf memory l = leaves[0];
        clone.claimMerkle(0, l.beneficiary, l.total, l.start, l.cliff, l.duration, Merkle.proof(hashes, 0));
        assertEq(token.balanceOf(alice), 1_000e18);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        clone.initialize(token, bob, bytes32(0), 0);
    }

    function test_Initialize_RevertsOnZeroSetupOrHalfADrop() public {
        VestingVault impl = new VestingVault(IERC20(address(0)), address(0), address(forwarder));
        VestingVault clone = VestingVault(Clones.clone(address(impl)));
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultInvalidSetup.selector, address(token), address(0)));
        clone.initialize(token, address(0), bytes32(0), 0);
        vm.expectRevert(abi.encodeWithSelector(VestingVault.VestingVaultInvalidDrop.selector, bytes32(0), 5));
        clone.initialize(token, alice, bytes32(0), 5);
    }
}
