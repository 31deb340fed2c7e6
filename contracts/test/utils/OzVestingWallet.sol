// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";

/// @dev OpenZeppelin's {VestingWallet} as is, compiled for the gas bench (bench/gas.ts) to compare claims against.
contract OzVestingWallet is VestingWallet {
    constructor(address beneficiary, uint64 startTimestamp, uint64 durationSeconds)
        VestingWallet(beneficiary, startTimestamp, durationSeconds)
    {}
}
