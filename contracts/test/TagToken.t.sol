// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Fixture} from "./utils/Fixture.sol";
import {TagToken} from "../src/TagToken.sol";

contract TagTokenTest is Fixture {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function test_Constructor_MintsAndTrustsForwarder() public view {
        assertEq(token.name(), "TokenTags Test");
        assertEq(token.symbol(), "TTT");
        assertEq(token.decimals(), 18);
        assertEq(token.totalSupply(), SUPPLY);
        assertEq(token.balanceOf(admin), SUPPLY);
        assertEq(token.trustedForwarder(), address(forwarder));
        assertTrue(token.isTrustedForwarder(address(forwarder)));
    }

    function test_Constructor_AllowsZeroSupply() public {
        TagToken empty = new TagToken("Empty", "E", address(0), 0, address(forwarder));
        assertEq(empty.totalSupply(), 0);
    }

    function test_Constructor_RevertsOnZeroHolderWithSupply() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        new TagToken("Bad", "B", address(0), 1, address(forwarder));
    }

    function test_Permit_SetsAllowanceFromSignature() public {
        (address owner, uint256 ownerKey) = makeAddrAndKey("owner");
        address spender = makeAddr("spender");
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 domainSeparator = keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH, keccak256("TokenTags Test"), keccak256("1"), block.chainid, address(token)
            )
        );
        assertEq(token.DOMAIN_SEPARATOR(), domainSeparator);
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01", domainSeparator, keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, 5e18, 0, deadline))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, digest);

        token.permit(owner, spender, 5e18, deadline, v, r, s);

        assertEq(token.allowance(owner, spender), 5e18);
        assertEq(token.nonces(owner), 1);
    }
}
