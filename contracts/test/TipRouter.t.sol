// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Platform} from "./utils/Platform.sol";
import {AuthorizationToken} from "../src/test/AuthorizationToken.sol";
import {TipRouter} from "../src/TipRouter.sol";

contract Rejecter {
    receive() external payable {
        revert("no");
    }
}

/// @dev An ERC-20 without EIP-3009 whose fallback accepts any call (as WETH9's does): "authorizations" pay nothing.
contract FallbackToken is ERC20 {
    constructor() ERC20("Fallback", "FBK") {
        _mint(msg.sender, 1_000e18);
    }

    fallback() external {}
}

/// @dev {TipRouter}: native and ERC-20 tips, permit, EIP-3009 authorization, distribution, fees.
contract TipRouterTest is Platform {
    address internal creator;
    address internal fan;
    uint256 internal fanKey;
    AuthorizationToken internal usdc;

    /// @dev The arguments of one {TipRouter.tipWithAuthorization} (a struct keeps the tests off the stack limit).
    struct Authorized {
        address from;
        address recipient;
        uint256 amount;
        string memo;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 salt;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    function setUp() public override {
        super.setUp();
        creator = makeAddr("creator");
        (fan, fanKey) = makeAddrAndKey("fan");
        vm.deal(fan, 100 ether);
        vm.prank(admin);
        token.transfer(fan, 1_000e18);
        usdc = new AuthorizationToken("USD Coin (test)", "USDC");
        usdc.mint(fan, 1_000e6);
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
        // the permit, not the caller, authorizes... but the sender must be the owner: the permit fails, and the caller's
        // own allowance (none) is used
        vm.prank(makeAddr("anyone"));
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 5e18)
        );
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

    // --- tipWithAuthorization ---

    /// @dev `signerKey` authorizes paying the router `amount` of USDC for a tip to `recipient` with `memo`, valid
    /// for an hour; `from` is the signer.
    function _authorize(uint256 signerKey, address recipient, uint256 amount, string memory memo, bytes32 salt)
        internal
        view
        returns (Authorized memory a)
    {
        a.from = vm.addr(signerKey);
        a.recipient = recipient;
        a.amount = amount;
        a.memo = memo;
        a.validBefore = block.timestamp + 1 hours;
        a.salt = salt;
        (a.v, a.r, a.s) = _receiveAuthorization(
            signerKey, address(usdc), address(router), amount, 0, a.validBefore, _tipNonce(recipient, memo, salt)
        );
    }

    function _submit(Authorized memory a) internal {
        router.tipWithAuthorization(
            address(usdc), a.from, a.recipient, a.amount, a.memo, a.validAfter, a.validBefore, a.salt, a.v, a.r, a.s
        );
    }

    function test_TipWithAuthorization_SelectorIsCores() public pure {
        assertEq(bytes32(TipRouter.tipWithAuthorization.selector), bytes32(bytes4(0xeddb5c2d)));
    }

    function test_AuthorizationNonce_MatchesCore() public view {
        // Computed with viem as core does: keccak256(encodeAbiParameters([address, bytes32, bytes32],
        // [recipient, keccak256(toHex(memo)), salt])), with a multi-byte UTF-8 memo.
        bytes32 salt = bytes32(0xabababababababababababababababababababababababababababababababab);
        bytes32 expected = 0xb248a6a1b24b3aa3a30d0bff23aa8ca71c0658e71404d1c57f861c77e6ac7a00;
        address recipient = address(0xc0fe);
        assertEq(router.authorizationNonce(recipient, unicode"gm ☕", salt), expected);
        assertEq(_tipNonce(recipient, unicode"gm ☕", salt), expected);
    }

    function test_TipWithAuthorization_AnyoneSubmitsTheSignersTip() public {
        Authorized memory a = _authorize(fanKey, creator, 5e6, "gm", keccak256("salt"));
        vm.expectEmit(address(router));
        emit TipRouter.Tipped(creator, fan, address(usdc), 5e6, 0, "gm");
        vm.prank(makeAddr("submitter"));
        _submit(a);
        assertEq(usdc.balanceOf(creator), 5e6);
        assertEq(usdc.balanceOf(fan), 995e6);
        assertEq(usdc.balanceOf(address(router)), 0);
        assertEq(usdc.balanceOf(makeAddr("submitter")), 0);
        assertTrue(usdc.authorizationState(fan, _tipNonce(creator, "gm", keccak256("salt"))));
    }

    function test_TipWithAuthorization_WithFee() public {
        _setFee(250);
        Authorized memory a = _authorize(fanKey, creator, 10e6, "thanks", keccak256("fee"));
        vm.expectEmit(address(router));
        emit TipRouter.Tipped(creator, fan, address(usdc), 10e6, 0.25e6, "thanks");
        _submit(a);
        assertEq(usdc.balanceOf(creator), 9.75e6);
        assertEq(usdc.balanceOf(feeRecipient), 0.25e6);
        assertEq(usdc.balanceOf(fan), 990e6);
        assertEq(usdc.balanceOf(address(router)), 0);
    }

    function test_TipWithAuthorization_RevertsWhenRedirected() public {
        Authorized memory a = _authorize(fanKey, creator, 5e6, "gm", keccak256("redirect"));
        bytes memory invalid =
            abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenInvalidSignature.selector, fan);
        a.recipient = makeAddr("attacker");
        vm.expectRevert(invalid);
        _submit(a);
        a.recipient = creator;
        a.memo = "gm from the attacker";
        vm.expectRevert(invalid);
        _submit(a);
        a.memo = "gm";
        a.amount = 6e6;
        vm.expectRevert(invalid);
        _submit(a);
        a.amount = 5e6;
        _submit(a); // the untouched authorization still works
        assertEq(usdc.balanceOf(creator), 5e6);
        assertEq(usdc.balanceOf(makeAddr("attacker")), 0);
    }

    function test_TipWithAuthorization_RevertsOnReplay() public {
        Authorized memory a = _authorize(fanKey, creator, 5e6, "gm", keccak256("once"));
        bytes32 nonce = _tipNonce(creator, "gm", keccak256("once"));
        _submit(a);
        vm.expectRevert(abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenUsedNonce.selector, fan, nonce));
        _submit(a);
        assertEq(usdc.balanceOf(creator), 5e6);
    }

    function test_TipWithAuthorization_RevertsWhenExpired() public {
        Authorized memory a = _authorize(fanKey, creator, 5e6, "", keccak256("late"));
        vm.warp(a.validBefore);
        vm.expectRevert(
            abi.encodeWithSelector(
                AuthorizationToken.AuthorizationTokenNotValidNow.selector, a.validBefore, 0, a.validBefore
            )
        );
        _submit(a);
    }

    function test_TipWithAuthorization_RevertsOnWrongSigner() public {
        (, uint256 otherKey) = makeAddrAndKey("other");
        usdc.mint(vm.addr(otherKey), 100e6);
        Authorized memory a = _authorize(otherKey, creator, 5e6, "", keccak256("wrong"));
        a.from = fan; // signed by another account, claimed to be the fan's
        vm.expectRevert(abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenInvalidSignature.selector, fan));
        _submit(a);
        assertEq(usdc.balanceOf(fan), 1_000e6);
    }

    function test_TipWithAuthorization_RevertsOnNativeZeroAmountOrRecipient() public {
        Authorized memory a = _authorize(fanKey, creator, 5e6, "", keccak256("bad"));
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidTip.selector, creator, 0));
        router.tipWithAuthorization(address(0), fan, creator, 5e6, "", 0, a.validBefore, a.salt, a.v, a.r, a.s);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidTip.selector, creator, 0));
        router.tipWithAuthorization(address(usdc), fan, creator, 0, "", 0, a.validBefore, a.salt, a.v, a.r, a.s);
        vm.expectRevert(abi.encodeWithSelector(TipRouter.TipRouterInvalidTip.selector, address(0), 5e6));
        router.tipWithAuthorization(address(usdc), fan, address(0), 5e6, "", 0, a.validBefore, a.salt, a.v, a.r, a.s);
    }

    function test_TipWithAuthorization_NeverPaysOutWhatTheTokenDidNotMove() public {
        FallbackToken fake = new FallbackToken();
        fake.transfer(address(router), 50e18); // sent to the router by mistake
        vm.expectRevert(
            abi.encodeWithSelector(TipRouter.TipRouterAuthorizationNotReceived.selector, address(fake), 50e18, 0)
        );
        vm.prank(fan);
        router.tipWithAuthorization(address(fake), fan, fan, 50e18, "", 0, type(uint256).max, 0, 27, 0, 0);
        assertEq(fake.balanceOf(address(router)), 50e18);
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

    function testFuzz_TipWithAuthorization_SplitsTheFee(uint256 amount, uint16 bps, bytes32 salt) public {
        amount = bound(amount, 1, 1e30);
        bps = uint16(bound(bps, 0, 500));
        _setFee(bps);
        usdc.mint(fan, amount);
        uint256 before = usdc.balanceOf(fan);
        _submit(_authorize(fanKey, creator, amount, "fuzz", salt));
        uint256 fee = (amount * bps) / 10_000;
        assertEq(usdc.balanceOf(feeRecipient), fee);
        assertEq(usdc.balanceOf(creator), amount - fee);
        assertEq(usdc.balanceOf(fan), before - amount);
        assertEq(usdc.balanceOf(address(router)), 0);
        assertLe(fee * 10_000, amount * 500);
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
