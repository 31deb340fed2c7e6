// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Platform} from "./utils/Platform.sol";
import {TipRouter} from "../src/TipRouter.sol";

contract Rejecter {
    receive() external payable {
        revert("no");
    }
}

/// @dev {TipRouter}: native and ERC-20 tips, permit, distribution, fees.
contract TipRouterTest is Platform {
    address internal creator;
    address internal fan;
    uint256 internal fanKey;

    function setUp() public override {
        super.setUp();
        creator = makeAddr("creator");
        (fan, fanKey) = makeAddrAndKey("fan");
        vm.deal(fan, 100 ether);
        vm.prank(admin);
        token.transfer(fan, 1_000e18);
    }

    function _setFee(uint16 bps) internal {
        vm.prank(admin);
        router.setFee(bps, feeRecipient);
    }

    // --- constructor and fee settings ---

    function test_Constructor_SetsRolesAndFee() public view {
        assertTrue(router.hasRole(router.FEE_MANAGER_ROLE(), admin));
        assertEq(router.feeBps(), 0);
        assertEq(router.feeRecipient(), feeRecipient);
        assertEq(router.MAX_FEE_BPS(), 500);
        assertEq(router.trustedForwarder(), address(forwarder));
    }

    function test_Constructor_RevertsOnBadSetup() public {
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidSetup.selector, address(0)));
        new TipRouter(address(0), feeRecipient, 0, address(forwarder));
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidFee.selector, 501, feeRecipient));
        new TipRouter(admin, feeRecipient, 501, address(forwarder));
    }

    function test_SetFee_UpdatesAndEmits() public {
        vm.expectEmit(address(router));
        emit TipRouter.FeeUpdated(250, feeRecipient);
        _setFee(250);
        assertEq(router.feeBps(), 250);
    }

    function test_SetFee_RevertsAboveMaxOrWithoutRecipientOrRole() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidFee.selector, 501, feeRecipient));
        router.setFee(501, feeRecipient);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidFee.selector, 1, address(0)));
        router.setFee(1, address(0));
        router.setFee(0, address(0)); // no fee needs no recipient
        vm.stopPrank();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, fan, router.FEE_MANAGER_ROLE()
            )
        );
        vm.prank(fan);
        router.setFee(1, fan);
    }

    // --- tip ---

    function test_Tip_NativeNoFee() public {
        vm.expectEmit(address(router));
        emit TipRouter.Tipped(creator, fan, address(0), 1 ether, 0, "gm");
        vm.prank(fan);
        router.tip{value: 1 ether}(address(0), creator, 1 ether, "gm");
        assertEq(creator.balance, 1 ether);
        assertEq(address(router).balance, 0);
    }

    function test_Tip_NativeWithFee() public {
        _setFee(500);
        vm.prank(fan);
        router.tip{value: 1 ether}(address(0), creator, 1 ether, "");
        assertEq(creator.balance, 0.95 ether);
        assertEq(feeRecipient.balance, 0.05 ether);
    }

    function test_Tip_ERC20WithFee() public {
        _setFee(100);
        vm.startPrank(fan);
        token.approve(address(router), 100e18);
        vm.expectEmit(address(router));
        emit TipRouter.Tipped(creator, fan, address(token), 100e18, 1e18, "thanks");
        router.tip(address(token), creator, 100e18, "thanks");
        vm.stopPrank();
        assertEq(token.balanceOf(creator), 99e18);
        assertEq(token.balanceOf(feeRecipient), 1e18);
        assertEq(token.balanceOf(fan), 900e18);
    }

    function test_Tip_RevertsOnWrongValue() public {
        vm.startPrank(fan);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterWrongValue.selector, 1, 2));
        router.tip{value: 1}(address(0), creator, 2, "");
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterWrongValue.selector, 1, 0));
        router.tip{value: 1}(address(token), creator, 1, "");
        vm.stopPrank();
    }

    function test_Tip_RevertsOnZeroAmountOrRecipient() public {
        vm.startPrank(fan);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidTip.selector, creator, 0));
        router.tip(address(0), creator, 0, "");
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidTip.selector, address(0), 1));
        router.tip{value: 1}(address(0), address(0), 1, "");
        vm.stopPrank();
    }

    function test_Tip_RevertsWithoutAllowance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 1)
        );
        vm.prank(fan);
        router.tip(address(token), creator, 1, "");
    }

    function test_Tip_RevertsWhenRecipientRejectsNative() public {
        Rejecter rejecter = new Rejecter();
        vm.expectRevert(abi.encodeWithSignature("Error(string)", "no"));
        vm.prank(fan);
        router.tip{value: 1}(address(0), address(rejecter), 1, "");
    }

    // --- tipWithPermit ---

    function test_TipWithPermit_ApprovesAndTipsInOneCall() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(fanKey, address(token), address(router), 5e18, deadline);
        vm.prank(makeAddr("anyone")); // the permit, not the caller, authorizes... but the sender must be the owner
        vm.expectRevert();
        router.tipWithPermit(address(token), creator, 5e18, "", deadline, v, r, s);
        vm.prank(fan);
        router.tipWithPermit(address(token), creator, 5e18, "permit", deadline, v, r, s);
        assertEq(token.balanceOf(creator), 5e18);
        assertEq(token.allowance(fan, address(router)), 0);
    }

    function test_TipWithPermit_FallsBackToAllowanceWhenPermitUsed() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(fanKey, address(token), address(router), 10e18, deadline);
        token.permit(fan, address(router), 10e18, deadline, v, r, s); // front-run
        vm.prank(fan);
        router.tipWithPermit(address(token), creator, 4e18, "", deadline, v, r, s);
        assertEq(token.balanceOf(creator), 4e18);
    }

    function test_TipWithPermit_RevertsForNative() public {
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidTip.selector, creator, 0));
        vm.prank(fan);
        router.tipWithPermit(address(0), creator, 1, "", 0, 0, 0, 0);
    }

    // --- distribute ---

    function _batch(uint256 n, uint256 each) internal returns (address[] memory rs, uint256[] memory as_) {
        rs = new address[](n);
        as_ = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            rs[i] = makeAddr(string(abi.encodePacked("r", vm.toString(i))));
            as_[i] = each * (i + 1);
        }
    }

    function test_Distribute_NativeToMany() public {
        _setFee(200);
        (address[] memory rs, uint256[] memory as_) = _batch(5, 1 ether);
        vm.prank(fan);
        router.distribute{value: 15 ether}(address(0), rs, as_, "split");
        for (uint256 i = 0; i < 5; ++i) {
            assertEq(rs[i].balance, ((i + 1) * 1 ether * 98) / 100);
        }
        assertEq(feeRecipient.balance, 0.3 ether);
        assertEq(address(router).balance, 0);
    }

    function test_Distribute_ERC20ToMany() public {
        (address[] memory rs, uint256[] memory as_) = _batch(3, 10e18);
        vm.startPrank(fan);
        token.approve(address(router), 60e18);
        router.distribute(address(token), rs, as_, "");
        vm.stopPrank();
        assertEq(token.balanceOf(rs[2]), 30e18);
        assertEq(token.balanceOf(fan), 940e18);
    }

    function test_Distribute_RevertsOnBadBatch() public {
        address[] memory rs = new address[](2);
        uint256[] memory as_ = new uint256[](1);
        vm.startPrank(fan);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidBatch.selector, 2, 1));
        router.distribute(address(0), rs, as_, "");
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidBatch.selector, 0, 0));
        router.distribute(address(0), new address[](0), new uint256[](0), "");
        (address[] memory rs3, uint256[] memory as3) = _batch(3, 1);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterWrongValue.selector, 5, 6));
        router.distribute{value: 5}(address(0), rs3, as3, "");
        vm.stopPrank();
    }

    // --- fuzz ---

    function testFuzz_Quote_FeeWithinBoundAndSumsUp(uint256 amount, uint16 bps) public {
        amount = bound(amount, 0, type(uint256).max / 10_000);
        bps = uint16(bound(bps, 0, 500));
        _setFee(bps);
        (uint256 fee, uint256 net) = router.quote(amount);
        assertEq(fee + net, amount);
        assertLe(fee * 10_000, amount * 500);
        assertEq(fee, (amount * bps) / 10_000);
    }

    function testFuzz_SetFee_NeverAboveBound(uint16 bps) public {
        vm.prank(admin);
        if (bps > 500) {
            vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidFee.selector, bps, feeRecipient));
        }
        router.setFee(bps, feeRecipient);
        assertLe(router.feeBps(), 500);
    }

    function testFuzz_Distribute_ConservesValue(uint96[8] memory raw, uint8 n, uint16 bps) public {
        n = uint8(bound(n, 1, 8));
        bps = uint16(bound(bps, 0, 500));
        _setFee(bps);
        address[] memory rs = new address[](n);
        uint256[] memory as_ = new uint256[](n);
        uint256 sum;
        uint256 fees;
        for (uint256 i = 0; i < n; ++i) {
            rs[i] = address(uint160(0x1000 + i));
            as_[i] = bound(raw[i], 1, 1e24);
            sum += as_[i];
            fees += (as_[i] * bps) / 10_000;
        }
        vm.deal(fan, sum);
        vm.prank(fan);
        router.distribute{value: sum}(address(0), rs, as_, "");
        uint256 received;
        for (uint256 i = 0; i < n; ++i) {
            received += rs[i].balance;
        }
        assertEq(received + feeRecipient.balance, sum);
        assertEq(feeRecipient.balance, fees);
        assertEq(address(router).balance, 0);
    }
}
