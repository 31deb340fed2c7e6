// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {Test} from "./Test.sol";
import {TagToken} from "../../src/TagToken.sol";
import {TokenTagsForwarder} from "../../src/TokenTagsForwarder.sol";
import {VestingVault} from "../../src/VestingVault.sol";

/// @dev Deploys the foundation (forwarder, token, vault) and signs forward requests.
abstract contract Fixture is Test {
    bytes32 internal constant FORWARD_REQUEST_TYPEHASH = keccak256(
        "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
    );
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    uint256 internal constant SUPPLY = 1e60;

    TokenTagsForwarder internal forwarder;
    TagToken internal token;
    VestingVault internal vault;
    address internal admin;

    function setUp() public virtual {
        admin = makeAddr("admin");
        forwarder = new TokenTagsForwarder();
        token = new TagToken("TokenTags Test", "TTT", admin, SUPPLY, address(forwarder));
        vault = new VestingVault(token, admin, address(forwarder));
        vm.prank(admin);
        token.approve(address(vault), type(uint256).max);
        vm.warp(1_000_000);
    }

    function _createSchedule(address beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration)
        internal
        returns (uint256 id)
    {
        vm.prank(admin);
        id = vault.createSchedule(beneficiary, total, start, cliff, duration, false);
    }

    /// @dev EIP-712 digest of a forward request, computed here rather than read from the forwarder.
    function _digest(ERC2771Forwarder.ForwardRequestData memory request, uint256 nonce)
        internal
        view
        returns (bytes32)
    {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH,
                keccak256("TokenTags Forwarder"),
                keccak256("1"),
                block.chainid,
                address(forwarder)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                FORWARD_REQUEST_TYPEHASH,
                request.from,
                request.to,
                request.value,
                request.gas,
                nonce,
                request.deadline,
                keccak256(request.data)
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev A request from `signerKey`'s account calling `to` with `data`, signed for its current nonce.
    function _signedRequest(uint256 signerKey, address to, bytes memory data)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory request)
    {
        address from = vm.addr(signerKey);
        return _signedRequest(signerKey, to, data, forwarder.nonces(from));
    }

    function _signedRequest(uint256 signerKey, address to, bytes memory data, uint256 nonce)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory request)
    {
        request = ERC2771Forwarder.ForwardRequestData({
            from: vm.addr(signerKey),
            to: to,
            value: 0,
            gas: 300_000,
            deadline: uint48(block.timestamp + 1 hours),
            data: data,
            signature: ""
        });
        _sign(signerKey, request, nonce);
    }

    function _sign(uint256 signerKey, ERC2771Forwarder.ForwardRequestData memory request, uint256 nonce)
        internal
        view
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, _digest(request, nonce));
        request.signature = abi.encodePacked(r, s, v);
    }
}
