// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {Test} from "./utils/Test.sol";
import {AuthorizationToken} from "../src/test/AuthorizationToken.sol";

/// @dev {AuthorizationToken}: the EIP-3009 test token (transfer / receive / cancel by signed authorization).
contract AuthorizationTokenTest is Test {
    AuthorizationToken internal token;
    address internal payer;
    uint256 internal payerKey;
    address internal payee;
    address internal stranger;

    function setUp() public {
        token = new AuthorizationToken("USD Coin (test)", "USDC");
        (payer, payerKey) = makeAddrAndKey("payer");
        payee = makeAddr("payee");
        stranger = makeAddr("stranger");
        token.mint(payer, 1_000e6);
        vm.warp(1_000_000);
    }

    function _sign(bytes32 typehash, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash = keccak256(abi.encode(typehash, payer, to, value, validAfter, validBefore, nonce));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        return vm.sign(payerKey, digest);
    }

    function test_Decimals_AreSix() public view {
        assertEq(uint256(token.decimals()), 6);
    }

    function test_TransferWithAuthorization_MovesFundsOnce() public {
        bytes32 nonce = keccak256("n1");
        (uint8 v, bytes32 r, bytes32 s) =
            _sign(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), payee, 10e6, 0, block.timestamp + 60, nonce);
        vm.prank(stranger);
        token.transferWithAuthorization(payer, payee, 10e6, 0, block.timestamp + 60, nonce, v, r, s);
        assertEq(token.balanceOf(payee), 10e6);
        assertEq(token.balanceOf(payer), 990e6);
        assertTrue(token.authorizationState(payer, nonce));

        vm.expectRevert(abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenUsedNonce.selector, payer, nonce));
        token.transferWithAuthorization(payer, payee, 10e6, 0, block.timestamp + 60, nonce, v, r, s);
    }

    function test_TransferWithAuthorization_RevertsOnOtherValue() public {
        bytes32 nonce = keccak256("n2");
        (uint8 v, bytes32 r, bytes32 s) =
            _sign(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), payee, 10e6, 0, block.timestamp + 60, nonce);
        vm.expectRevert(abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenInvalidSignature.selector, payer));
        token.transferWithAuthorization(payer, payee, 11e6, 0, block.timestamp + 60, nonce, v, r, s);
    }

    function test_TransferWithAuthorization_RevertsOutsideWindow() public {
        bytes32 nonce = keccak256("n3");
        uint256 validBefore = block.timestamp + 60;
        (uint8 v, bytes32 r, bytes32 s) =
            _sign(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), payee, 1e6, 0, validBefore, nonce);
        vm.warp(validBefore);
        vm.expectRevert(
            abi.encodeWithSelector(
                AuthorizationToken.AuthorizationTokenNotValidNow.selector, validBefore, 0, validBefore
            )
        );
        token.transferWithAuthorization(payer, payee, 1e6, 0, validBefore, nonce, v, r, s);
    }

    function test_ReceiveWithAuthorization_OnlyThePayee() public {
        bytes32 nonce = keccak256("n4");
        (uint8 v, bytes32 r, bytes32 s) =
            _sign(token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), payee, 5e6, 0, block.timestamp + 60, nonce);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenCallerNotPayee.selector, stranger, payee)
        );
        token.receiveWithAuthorization(payer, payee, 5e6, 0, block.timestamp + 60, nonce, v, r, s);

        vm.prank(payee);
        token.receiveWithAuthorization(payer, payee, 5e6, 0, block.timestamp + 60, nonce, v, r, s);
        assertEq(token.balanceOf(payee), 5e6);
    }

    function test_ReceiveSignature_IsNotATransferSignature() public {
        bytes32 nonce = keccak256("n5");
        (uint8 v, bytes32 r, bytes32 s) =
            _sign(token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), payee, 5e6, 0, block.timestamp + 60, nonce);
        vm.expectRevert(abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenInvalidSignature.selector, payer));
        token.transferWithAuthorization(payer, payee, 5e6, 0, block.timestamp + 60, nonce, v, r, s);
    }

    function test_CancelAuthorization_BlocksTheNonce() public {
        bytes32 nonce = keccak256("n6");
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                token.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(token.CANCEL_AUTHORIZATION_TYPEHASH(), payer, nonce))
            )
        );
        (uint8 cv, bytes32 cr, bytes32 cs) = vm.sign(payerKey, digest);
        token.cancelAuthorization(payer, nonce, cv, cr, cs);
        assertTrue(token.authorizationState(payer, nonce));

        (uint8 v, bytes32 r, bytes32 s) =
            _sign(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), payee, 1e6, 0, block.timestamp + 60, nonce);
        vm.expectRevert(abi.encodeWithSelector(AuthorizationToken.AuthorizationTokenUsedNonce.selector, payer, nonce));
        token.transferWithAuthorization(payer, payee, 1e6, 0, block.timestamp + 60, nonce, v, r, s);
    }

    function testFuzz_TransferWithAuthorization_AnyAmountUpToBalance(uint256 value) public {
        value = bound(value, 0, 1_000e6);
        bytes32 nonce = keccak256(abi.encode(value));
        (uint8 v, bytes32 r, bytes32 s) =
            _sign(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), payee, value, 0, block.timestamp + 60, nonce);
        token.transferWithAuthorization(payer, payee, value, 0, block.timestamp + 60, nonce, v, r, s);
        assertEq(token.balanceOf(payee) + token.balanceOf(payer), 1_000e6);
    }
}
