// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @dev Holds one ERC-20 and releases it to beneficiaries along linear vesting schedules with a cliff.
 *
 * A beneficiary may have many schedules. Schedules are created by accounts holding {ADMIN_ROLE}, which pay the
 * schedule's total in at creation. For a schedule `s` at time `t`, the vested amount is:
 *
 * - `0` before `s.start + s.cliff`,
 * - `s.total` at or after `s.start + s.duration`,
 * - `s.total * (t - s.start) / s.duration` in between (rounded down).
 *
 * Beneficiaries claim what has vested and not yet been released, directly or through the trusted
 * {ERC2771Forwarder} (set at construction): the beneficiary is always `_msgSender()`, and the tokens always go to
 * the beneficiary, never to the relayer.
 *
 * Schedule ids are sequential from 0. The `revocable` flag is recorded for a later revocation feature; nothing
 * revokes a schedule yet, so `revoked` is always false.
 *
 * NOTE: The token must transfer exact amounts (no fee on transfer, no rebasing), as {TagToken} does.
 */
contract VestingVault is AccessControl, ERC2771Context {
    using SafeERC20 for IERC20;

    /// @dev Role allowed to create schedules.
    bytes32 public constant ADMIN_ROLE = keccak256("ADMIN_ROLE");

    struct Schedule {
        address beneficiary;
        uint64 start;
        uint64 cliff; // seconds after start
        uint64 duration; // seconds after start
        bool revocable;
        bool revoked;
        uint256 total;
        uint256 released;
    }

    IERC20 private immutable _token;
    Schedule[] private _schedules;
    mapping(address beneficiary => uint256[]) private _scheduleIds;

    /// @dev Schedule `id` was created for `beneficiary`, funded with `total` tokens.
    event ScheduleCreated(
        uint256 indexed id, address indexed beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration
    );

    /// @dev `beneficiary` received `amount` tokens released from schedule `id`.
    event Claimed(uint256 indexed id, address indexed beneficiary, uint256 amount);

    /// @dev No schedule has id `id`.
    error VestingVaultUnknownSchedule(uint256 id);

    /// @dev `caller` is not the beneficiary of schedule `id`.
    error VestingVaultNotBeneficiary(uint256 id, address caller);

    /// @dev Schedule `id` has nothing vested and unreleased (for a batch: none of its schedules has, `id` the first).
    error VestingVaultNothingToClaim(uint256 id);

    /// @dev The schedule parameters are invalid: zero beneficiary, zero total, or a cliff longer than the duration.
    error VestingVaultInvalidSchedule(address beneficiary, uint256 total, uint64 cliff, uint64 duration);

    /// @dev {claimMany} was called with no schedule ids.
    error VestingVaultEmptyBatch();

    /// @dev The vault cannot be set up with the zero address as `token` or `admin`.
    error VestingVaultInvalidSetup(address token, address admin);

    /**
     * @dev Sets the vested `token`, grants `admin` both {DEFAULT_ADMIN_ROLE} and {ADMIN_ROLE}, and trusts
     * `trustedForwarder_` for meta-transactions (immutable).
     *
     * Requirements:
     *
     * - `token_` and `admin` are not the zero address.
     */
    constructor(IERC20 token_, address admin, address trustedForwarder_) ERC2771Context(trustedForwarder_) {
        if (address(token_) == address(0) || admin == address(0)) {
            revert VestingVaultInvalidSetup(address(token_), admin);
        }
        _token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ADMIN_ROLE, admin);
    }

    /// @dev The ERC-20 this vault vests.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @dev Number of schedules created so far; ids run from 0 to `scheduleCount() - 1`.
    function scheduleCount() external view returns (uint256) {
        return _schedules.length;
    }

    /// @dev Ids of the schedules of `beneficiary`, in creation order.
    function scheduleIdsOf(address beneficiary) external view returns (uint256[] memory) {
        return _scheduleIds[beneficiary];
    }

    /**
     * @dev Returns schedule `id`.
     *
     * Requirements:
     *
     * - schedule `id` exists.
     */
    function getSchedule(uint256 id) external view returns (Schedule memory) {
        return _getSchedule(id);
    }

    /**
     * @dev Amount of schedule `id` vested at `timestamp`, released or not.
     *
     * Requirements:
     *
     * - schedule `id` exists.
     */
    function vestedAmount(uint256 id, uint64 timestamp) external view returns (uint256) {
        return _vestedAmount(_getSchedule(id), timestamp);
    }

    /**
     * @dev Amount of schedule `id` its beneficiary can claim now: vested and not yet released.
     *
     * Requirements:
     *
     * - schedule `id` exists.
     */
    function claimable(uint256 id) external view returns (uint256) {
        return _claimable(_getSchedule(id));
    }

    /**
     * @dev Creates a schedule vesting `total` tokens to `beneficiary` from `start` (unix seconds): nothing before
     * `start + cliff`, linearly from `start` up to everything at `start + duration`. A zero `duration` vests
     * everything at `start`. Pulls `total` tokens from the caller, who must have approved the vault. Returns the
     * new schedule's id.
     *
     * Requirements:
     *
     * - the caller has {ADMIN_ROLE}.
     * - `beneficiary` is not the zero address, `total` is not zero, and `cliff <= duration`.
     * - the caller holds and has approved at least `total` tokens to the vault.
     *
     * Emits a {ScheduleCreated} event.
     */
    function createSchedule(
        address beneficiary,
        uint256 total,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        bool revocable
    ) external onlyRole(ADMIN_ROLE) returns (uint256 id) {
        if (beneficiary == address(0) || total == 0 || cliff > duration) {
            revert VestingVaultInvalidSchedule(beneficiary, total, cliff, duration);
        }
        id = _schedules.length;
        _schedules.push(
            Schedule({
                beneficiary: beneficiary,
                start: start,
                cliff: cliff,
                duration: duration,
                revocable: revocable,
                revoked: false,
                total: total,
                released: 0
            })
        );
        _scheduleIds[beneficiary].push(id);
        emit ScheduleCreated(id, beneficiary, total, start, cliff, duration);

        _token.safeTransferFrom(_msgSender(), address(this), total);
    }

    /**
     * @dev Sends the caller everything claimable now on schedule `id`. Works through the trusted forwarder: the
     * caller is then the account that signed the request, and the tokens go to it.
     *
     * Requirements:
     *
     * - schedule `id` exists.
     * - the caller is the beneficiary of schedule `id`.
     * - something is claimable on schedule `id`.
     *
     * Emits a {Claimed} event.
     */
    function claim(uint256 id) external {
        address beneficiary = _msgSender();
        uint256 amount = _release(id, beneficiary);
        if (amount == 0) {
            revert VestingVaultNothingToClaim(id);
        }
        _token.safeTransfer(beneficiary, amount);
    }

    /**
     * @dev Sends the caller everything claimable now on each of the schedules `ids`, in one transfer. Schedules
     * with nothing claimable yet (e.g. before their cliff) are skipped without an event, so a beneficiary can claim
     * "all my schedules" in one call; but every id must exist and belong to the caller, and the batch as a whole
     * must release something. A repeated id releases once.
     *
     * Requirements:
     *
     * - `ids` is not empty.
     * - every schedule in `ids` exists and has the caller as beneficiary.
     * - the total claimable over `ids` is not zero.
     *
     * Emits a {Claimed} event for each schedule that released tokens.
     */
    function claimMany(uint256[] calldata ids) external {
        if (ids.length == 0) {
            revert VestingVaultEmptyBatch();
        }
        address beneficiary = _msgSender();
        uint256 amount;
        for (uint256 i = 0; i < ids.length; ++i) {
            amount += _release(ids[i], beneficiary);
        }
        if (amount == 0) {
            revert VestingVaultNothingToClaim(ids[0]);
        }
        _token.safeTransfer(beneficiary, amount);
    }

    /**
     * @dev Marks what is claimable on schedule `id` as released to `beneficiary` and returns it; emits {Claimed}
     * when it is not zero. The caller transfers the tokens.
     */
    function _release(uint256 id, address beneficiary) private returns (uint256 amount) {
        Schedule storage schedule = _getSchedule(id);
        if (schedule.beneficiary != beneficiary) {
            revert VestingVaultNotBeneficiary(id, beneficiary);
        }
        amount = _claimable(schedule);
        if (amount > 0) {
            schedule.released += amount;
            emit Claimed(id, beneficiary, amount);
        }
    }

    function _getSchedule(uint256 id) private view returns (Schedule storage) {
        if (id >= _schedules.length) {
            revert VestingVaultUnknownSchedule(id);
        }
        return _schedules[id];
    }

    function _claimable(Schedule storage schedule) private view returns (uint256) {
        return _vestedAmount(schedule, uint64(block.timestamp)) - schedule.released;
    }

    function _vestedAmount(Schedule storage schedule, uint64 timestamp) private view returns (uint256) {
        // In uint256 so that start + duration cannot overflow.
        uint256 start = schedule.start;
        if (timestamp < start + schedule.cliff) {
            return 0;
        } else if (timestamp >= start + schedule.duration) {
            return schedule.total;
        } else {
            return Math.mulDiv(schedule.total, timestamp - start, schedule.duration);
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
