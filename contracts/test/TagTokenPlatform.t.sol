// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ERC20CappedUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Fixture} from "./utils/Fixture.sol";
import {TagToken} from "../src/TagToken.sol";

/// @dev Roles, cap, pause, votes (timestamp clock) and clone initialization of {TagToken}.
contract TagTokenPlatformTest is Fixture {
    address internal alice;
    address internal bob;

    function setUp() public override {
        super.setUp();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
    }

    function _clone() internal returns (TagToken) {
        TagToken impl = new TagToken("impl", "IMPL", address(0), 0, address(forwarder));
        return TagToken(Clones.clone(address(impl)));
    }

    function _one(address who, uint256 amount) internal pure returns (address[] memory r, uint256[] memory a) {
        r = new address[](1);
        a = new uint256[](1);
        r[0] = who;
        a[0] = amount;
    }

    function test_Constructor_GrantsEveryRoleAndMaxCap() public view {
        assertTrue(token.hasRole(token.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(token.hasRole(token.MINTER_ROLE(), admin));
        assertTrue(token.hasRole(token.PAUSER_ROLE(), admin));
        assertEq(token.cap(), type(uint208).max);
        assertEq(token.MAX_CAP(), type(uint208).max);
    }

    function test_Clock_IsTimestamp() public view {
        assertEq(token.clock(), block.timestamp);
        assertEq(token.CLOCK_MODE(), "mode=timestamp");
    }

    function test_Votes_FollowDelegationOverTime() public {
        vm.prank(admin);
        token.transfer(alice, 100e18);
        vm.prank(alice);
        token.delegate(alice);
        assertEq(token.getVotes(alice), 100e18);
        uint256 t = block.timestamp;
        vm.warp(t + 10);
        vm.prank(alice);
        token.transfer(bob, 40e18);
        vm.warp(t + 20);
        assertEq(token.getPastVotes(alice, t), 100e18);
        assertEq(token.getVotes(alice), 60e18);
    }

    function test_Mint_OnlyMinterWithinCap() public {
        TagToken clone = _clone();
        (address[] memory r, uint256[] memory a) = _one(alice, 60);
        clone.initialize("Capped", "CAP", admin, 100, r, a);
        vm.prank(admin);
        clone.mint(bob, 40);
        assertEq(clone.totalSupply(), 100);
        vm.expectRevert(abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20ExceededCap.selector, 101, 100));
        vm.prank(admin);
        clone.mint(bob, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, clone.MINTER_ROLE())
        );
        vm.prank(alice);
        clone.mint(alice, 1);
    }

    function test_Burn_ReducesSupply() public {
        vm.prank(admin);
        token.burn(1e18);
        assertEq(token.totalSupply(), SUPPLY - 1e18);
    }

    function test_Pause_BlocksTransfersOnlyPauser() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, token.PAUSER_ROLE())
        );
        vm.prank(alice);
        token.pause();
        vm.prank(admin);
        token.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(admin);
        token.transfer(alice, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, token.PAUSER_ROLE())
        );
        vm.prank(alice);
        token.unpause();
        vm.prank(admin);
        token.unpause();
        vm.prank(admin);
        token.transfer(alice, 1);
        assertEq(token.balanceOf(alice), 1);
    }

    function test_Initialize_SetsUpACloneOnce() public {
        TagToken clone = _clone();
        address[] memory r = new address[](2);
        uint256[] memory a = new uint256[](2);
        (r[0], r[1], a[0], a[1]) = (alice, bob, 1e18, 2e18);
        clone.initialize("Clone", "CLN", alice, 10e18, r, a);
        assertEq(clone.name(), "Clone");
        assertEq(clone.symbol(), "CLN");
        assertEq(clone.cap(), 10e18);
        assertEq(clone.balanceOf(bob), 2e18);
        assertEq(clone.totalSupply(), 3e18);
        assertTrue(clone.hasRole(clone.MINTER_ROLE(), alice));
        assertEq(clone.trustedForwarder(), address(forwarder));
        assertEq(clone.clock(), block.timestamp);
        // the clone's own EIP-712 domain
        (, string memory name,,, address verifying,,) = clone.eip712Domain();
        assertEq(name, "Clone");
        assertEq(verifying, address(clone));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        clone.initialize("Again", "AGN", bob, 1, r, a);
    }

    function test_Initialize_RevertsOnTheImplementationAndDirectTokens() public {
        TagToken impl = new TagToken("impl", "IMPL", address(0), 0, address(forwarder));
        (address[] memory r, uint256[] memory a) = _one(alice, 1);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize("X", "X", alice, 10, r, a);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        token.initialize("X", "X", alice, 10, r, a);
    }

    function test_Initialize_RevertsOnBadParameters() public {
        TagToken clone = _clone();
        (address[] memory r, uint256[] memory a) = _one(alice, 1);
        uint256[] memory two = new uint256[](2);
        vm.expectRevert(abi.encodeWithSelector(TagToken.TagTokenLengthMismatch.selector, 1, 2));
        clone.initialize("X", "X", alice, 10, r, two);
        uint256 tooBig = uint256(type(uint208).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(TagToken.TagTokenCapTooLarge.selector, tooBig));
        clone.initialize("X", "X", alice, tooBig, r, a);
        vm.expectRevert(abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20InvalidCap.selector, 0));
        clone.initialize("X", "X", alice, 0, r, a);
        a[0] = 11;
        vm.expectRevert(abi.encodeWithSelector(ERC20CappedUpgradeable.ERC20ExceededCap.selector, 11, 10));
        clone.initialize("X", "X", alice, 10, r, a);
    }
}
