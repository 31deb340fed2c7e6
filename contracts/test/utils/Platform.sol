// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Fixture} from "./Fixture.sol";
import {TagToken} from "../../src/TagToken.sol";
import {TipRouter} from "../../src/TipRouter.sol";
import {TokenFactory} from "../../src/TokenFactory.sol";
import {TokenGovernor} from "../../src/TokenGovernor.sol";
import {TokenSale} from "../../src/TokenSale.sol";
import {TokenTimelock} from "../../src/TokenTimelock.sol";
import {VestingVault} from "../../src/VestingVault.sol";

/// @dev The foundation plus implementations, a factory owned by a timelock, a governor, a tip router; signing helpers.
abstract contract Platform is Fixture {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 internal constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    uint256 internal constant CREATION_FEE = 0.01 ether;
    uint256 internal constant TIMELOCK_DELAY = 2 days;

    TagToken internal tokenImpl;
    VestingVault internal vaultImpl;
    TokenSale internal saleImpl;
    TokenFactory internal factory;
    TokenTimelock internal timelock;
    TokenGovernor internal governor;
    TipRouter internal router;
    address internal feeRecipient;

    function setUp() public virtual override {
        super.setUp();
        feeRecipient = makeAddr("feeRecipient");
        tokenImpl = new TagToken("TagToken implementation", "IMPL", address(0), 0, address(forwarder));
        vaultImpl = new VestingVault(IERC20(address(0)), address(0), address(forwarder));
        saleImpl = new TokenSale(address(forwarder), _emptySaleConfig());
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        timelock = new TokenTimelock(TIMELOCK_DELAY, none, anyone, address(this));
        governor = new TokenGovernor(IVotes(address(token)), TimelockController(payable(timelock)), 1 days, 1 weeks, 0, 4);
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));
        factory = new TokenFactory(
            address(timelock),
            feeRecipient,
            CREATION_FEE,
            TokenFactory.Implementations(address(tokenImpl), address(vaultImpl), address(saleImpl)),
            address(forwarder)
        );
        router = new TipRouter(admin, feeRecipient, 0, address(forwarder));
    }

    function _emptySaleConfig() internal pure returns (TokenSale.Config memory config) {}

    function _noVesting() internal pure returns (TokenFactory.VestingParams memory) {}

    function _noSale() internal pure returns (TokenFactory.SaleParams memory) {}

    function _tokenParams(uint256 creatorAmount) internal pure returns (TokenFactory.TokenParams memory) {
        return TokenFactory.TokenParams({name: "Creator Token", symbol: "CRT", cap: 0, creatorAmount: creatorAmount});
    }

    /// @dev A permit signature by `ownerKey` for `spender` over `value` of `permitToken`.
    function _permit(uint256 ownerKey, address permitToken, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        address owner = vm.addr(ownerKey);
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, owner, spender, value, TagToken(permitToken).nonces(owner), deadline)
        );
        bytes32 digest =
            keccak256(abi.encodePacked("\x19\x01", TagToken(permitToken).DOMAIN_SEPARATOR(), structHash));
        return vm.sign(ownerKey, digest);
    }

    /// @dev An EIP-3009 `ReceiveWithAuthorization` signature by `fromKey` paying `value` of `authToken` to `to`.
    function _receiveAuthorization(
        uint256 fromKey,
        address authToken,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(
            abi.encode(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, vm.addr(fromKey), to, value, validAfter, validBefore, nonce)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", TagToken(authToken).DOMAIN_SEPARATOR(), structHash));
        return vm.sign(fromKey, digest);
    }

    /// @dev The EIP-3009 nonce of a {TipRouter.tipWithAuthorization}, computed as core computes it.
    function _tipNonce(address recipient, string memory memo, bytes32 salt) internal pure returns (bytes32) {
        return keccak256(abi.encode(recipient, keccak256(bytes(memo)), salt));
    }

    /// @dev A request from `signerKey` to `to` with `data` and native `value`, signed for the current nonce.
    function _signedRequestWithValue(uint256 signerKey, address to, bytes memory data, uint256 value)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory request)
    {
        address from = vm.addr(signerKey);
        request = ERC2771Forwarder.ForwardRequestData({
            from: from,
            to: to,
            value: value,
            gas: 1_000_000,
            deadline: uint48(block.timestamp + 1 hours),
            data: data,
            signature: ""
        });
        _sign(signerKey, request, forwarder.nonces(from));
    }

    /// @dev Relays `request` from a fresh relayer account, which pays `request.value`.
    function _relay(ERC2771Forwarder.ForwardRequestData memory request) internal returns (address relayer) {
        relayer = makeAddr("relayer");
        vm.deal(relayer, request.value + 1 ether);
        vm.prank(relayer);
        forwarder.execute{value: request.value}(request);
    }
}
