// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/**
 * @dev OpenZeppelin's {TimelockController} as is, under a TokenTags name: {TokenGovernor} proposes (and cancels),
 * anyone executes after `minDelay` seconds (when `executors` is `[address(0)]`). It holds the admin roles of
 * {TokenFactory}. Pass `admin = address(0)` so that only the timelock administers itself, or renounce the admin role
 * once set up.
 */
contract TokenTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
