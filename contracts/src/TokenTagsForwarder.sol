// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/**
 * @dev The only trusted forwarder of TokenTags: OpenZeppelin's {ERC2771Forwarder} as is, with the
 * EIP-712 domain `{name: "TokenTags Forwarder", version: "1"}`.
 */
contract TokenTagsForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("TokenTags Forwarder") {}
}
