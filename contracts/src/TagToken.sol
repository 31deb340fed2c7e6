// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";

/**
 * @dev The TokenTags ERC-20: {ERC20Permit} for signed approvals and {ERC2771Context} so that calls relayed by the
 * trusted forwarder (set at construction, immutable) act for the account that signed them.
 */
contract TagToken is ERC20, ERC20Permit, ERC2771Context {
    /**
     * @dev Mints `initialSupply` to `initialHolder` and trusts `trustedForwarder` for meta-transactions.
     *
     * Requirements:
     *
     * - `initialHolder` is not the zero address, unless `initialSupply` is zero.
     */
    constructor(
        string memory name_,
        string memory symbol_,
        address initialHolder,
        uint256 initialSupply,
        address trustedForwarder_
    ) ERC20(name_, symbol_) ERC20Permit(name_) ERC2771Context(trustedForwarder_) {
        if (initialSupply > 0) {
            _mint(initialHolder, initialSupply);
        }
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
