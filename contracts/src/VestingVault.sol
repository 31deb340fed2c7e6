// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @dev Holds one ERC-20 and releases it to beneficiaries along linear vesting schedules with a cliff.
 *
 * A beneficiary may have many schedules. Schedules are created by accounts holding {ADMIN_ROLE}, which pay the
 * schedule's total in at creation, or in bulk from a Merkle root ({addMerkleRoot}, OpenZeppelin StandardMerkleTree
 * with leaves `(address beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration)`): a leaf becomes a
 * regular schedule the first time it is claimed ({claimMerkle}). For a schedule `s` at time `t`, the vested amount is:
 *
 * - `0` before `s.start + s.cliff`,
 * - `s.total` at or after `s.start + s.duration`,
 * - `s.total * (t - s.start) / s.duration` in between (rounded down).
 *
 * Beneficiaries claim what has vested and not yet been released, directly or through the trusted
 * {ERC2771Forwarder} (set at construction): the beneficiary is always `_msgSender()`, and the tokens always go to
 * the beneficiary, never to the relayer. Anyone may also push a beneficiary's claimable tokens to it ({claimFor}).
 *
 * Emergencies: accounts with {PAUSER_ROLE} pause every claim; {ADMIN_ROLE} revokes revocable schedules (the unvested
 * part returns to the caller, the vested part stays claimable) and closes Merkle drops (the unallocated part
 * returns to the caller).
 *
 * Schedule ids are sequential from 0. Directly deployed vaults are set up by their constructor; clones made by
 * {TokenFactory} are set up by {initialize}.
 *
 * NOTE: The token must transfer exact amounts (no fee on transfer, no rebasing), as {TagToken} does.
 */
contract VestingVault is Initializable, AccessControl, Pausable, ERC2771Context {
    using SafeERC20 for IERC20;

    /// @dev Role allowed to create schedules, add Merkle roots, revoke schedules and close Merkle drops.
    bytes32 public constant ADMIN_ROLE = keccak256("ADMIN_ROLE");
    /// @dev Role allowed to pause and unpause claims.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @dev A schedule as {getSchedule} returns it (its stored form is {StoredSchedule}).
    struct Schedule {
        address beneficiary;
        uint64 start;
        uint64 cliff; // seconds after start
        uint64 duration; // seconds after start
        bool revocable;
        bool revoked;
        uint256 total; // after a revocation: what had vested at the revocation
        uint256 released;
    }

    /// @dev One of a beneficiary's schedules as {schedulesOf} returns it, with what is vested and claimable now.
    struct ScheduleView {
        uint256 id;
        address beneficiary;
        uint64 start;
        uint64 cliff;
        uint64 duration;
        bool revocable;
        bool revoked;
        uint256 total;
        uint256 released;
        uint256 vested;
        uint256 claimable;
    }

    // Two slots: a claim reads both and rewrites the first, which is never zero once created (`total` is not zero
    // then), so the rewrite costs 2,900 gas instead of the 20,000 of a `released` slot of its own. The beneficiary
    // is not stored here but in the key (`_schedules[beneficiary][id]`): a claim finds its caller's schedule without
    // reading who owns it.
    struct StoredSchedule {
        uint128 total;
        uint128 released;
        uint64 start;
        uint64 cliff;
        uint64 duration;
        bool revocable;
        bool revoked;
        bool exists; // `total` alone cannot say: a schedule revoked before its cliff keeps a zero total
    }

    struct MerkleDrop {
        bytes32 root;
        bool revocable; // the schedules its leaves become are revocable
        bool closed;
        uint256 deposited;
        uint256 allocated; // sum of the totals of its claimed leaves
    }

    // Declared right after Pausable's `_paused` so that both share one slot (read together by every claim).
    IERC20 private _token;
    mapping(address beneficiary => mapping(uint256 id => StoredSchedule)) private _schedules;
    // Read only where the caller is not the beneficiary (views, {claimFor}, {revoke}); ids at or above the count are
    // unknown.
    mapping(uint256 id => address) private _beneficiaries;
    uint256 private _scheduleCount;
    mapping(address beneficiary => uint256[]) private _scheduleIds;
    mapping(uint256 id => uint256) private _revokedAmounts;
    MerkleDrop[] private _drops;
    mapping(uint256 dropId => mapping(bytes32 leaf => bool)) private _leafClaimed;

    /// @dev Schedule `id` was created for `beneficiary`, funded with `total` tokens.
    event ScheduleCreated(
        uint256 indexed id, address indexed beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration
    );

    /// @dev `beneficiary` received `amount` tokens released from schedule `id`.
    event Claimed(uint256 indexed id, address indexed beneficiary, uint256 amount);

    /// @dev Schedule `id` was revoked; its unvested `refund` went to `to`.
    event ScheduleRevoked(uint256 indexed id, address indexed to, uint256 refund);

    /// @dev Merkle drop `dropId` with `root` was funded with `total` tokens.
    event MerkleRootAdded(uint256 indexed dropId, bytes32 indexed root, uint256 total, bool revocable);

    /// @dev Leaf `leaf` of Merkle drop `dropId` became schedule `id`.
    event MerkleLeafClaimed(uint256 indexed dropId, bytes32 indexed leaf, uint256 indexed id);

    /// @dev Merkle drop `dropId` was closed; its unallocated `refund` went to `to`.
    event MerkleDropClosed(uint256 indexed dropId, address indexed to, uint256 refund);

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

    /// @dev `total` is above the largest schedule total, `max` (2**128 - 1).
    error VestingVaultTotalTooLarge(uint256 total, uint256 max);

    /// @dev The vault cannot be set up with the zero address as `token` or `admin`.
    error VestingVaultInvalidSetup(address token, address admin);

    /// @dev Schedule `id` is not revocable, or already revoked.
    error VestingVaultNotRevocable(uint256 id);

    /// @dev No Merkle drop has id `dropId`.
    error VestingVaultUnknownDrop(uint256 dropId);

    /// @dev The Merkle drop `dropId` is closed.
    error VestingVaultDropClosed(uint256 dropId);

    /// @dev A Merkle root cannot be zero and must come with a non-zero total.
    error VestingVaultInvalidDrop(bytes32 root, uint256 total);

    /// @dev `leaf` of drop `dropId` was already claimed.
    error VestingVaultLeafAlreadyClaimed(uint256 dropId, bytes32 leaf);

    /// @dev The proof does not prove `leaf` against the root of drop `dropId`.
    error VestingVaultInvalidProof(uint256 dropId, bytes32 leaf);

    /// @dev Claiming the leaf would allocate more than drop `dropId` holds (`available` left).
    error VestingVaultDropExhausted(uint256 dropId, uint256 total, uint256 available);

    /**
     * @dev Sets the vested `token`, grants `admin` {DEFAULT_ADMIN_ROLE}, {ADMIN_ROLE} and {PAUSER_ROLE}, and trusts
     * `trustedForwarder_` for meta-transactions (immutable, shared by clones). With both `token_` and `admin` zero,
     * deploys an implementation for {TokenFactory} clones, which can never be set up itself.
     *
     * Requirements:
     *
     * - `token_` and `admin` are both non-zero (a vault), or both zero (an implementation).
     */
    constructor(IERC20 token_, address admin, address trustedForwarder_)
        ERC2771Context(trustedForwarder_)
        initializer
    {
        if (address(token_) == address(0) && admin == address(0)) {
            return; // an implementation: initialized (to nothing) for good
        }
        _setUp(token_, admin);
    }

    /**
     * @dev Sets up a clone: the vested `token_`, its `admin` (gets {DEFAULT_ADMIN_ROLE}, {ADMIN_ROLE} and
     * {PAUSER_ROLE}) and optionally a first Merkle drop (`merkleRoot`, non-revocable) of `merkleTotal` tokens, which
     * the caller must have transferred (or minted) to the vault in the same transaction. Callable once.
     *
     * Requirements:
     *
     * - not set up yet; `token_` and `admin` are not zero; `merkleRoot` and `merkleTotal` are both zero or both not.
     *
     * Emits a {MerkleRootAdded} event when a root is given.
     */
    function initialize(IERC20 token_, address admin, bytes32 merkleRoot, uint256 merkleTotal)
        external
        initializer
    {
        _setUp(token_, admin);
        if (merkleRoot != bytes32(0) || merkleTotal != 0) {
            _addDrop(merkleRoot, merkleTotal, false);
        }
    }

    /// @dev The ERC-20 this vault vests.
    function token() external view returns (IERC20) {
        return _token;
    }

    /// @dev Number of schedules created so far; ids run from 0 to `scheduleCount() - 1`.
    function scheduleCount() external view returns (uint256) {
        return _scheduleCount;
    }

    /// @dev Ids of the schedules of `beneficiary`, in creation order.
    function scheduleIdsOf(address beneficiary) external view returns (uint256[] memory) {
        return _scheduleIds[beneficiary];
    }

    /**
     * @dev Returns schedule `id`. After a revocation, `total` is what had vested at the revocation.
     *
     * Requirements:
     *
     * - schedule `id` exists.
     */
    function getSchedule(uint256 id) external view returns (Schedule memory) {
        (address beneficiary, StoredSchedule memory s) = _getSchedule(id);
        return Schedule({
            beneficiary: beneficiary,
            start: s.start,
            cliff: s.cliff,
            duration: s.duration,
            revocable: s.revocable,
            revoked: s.revoked,
            total: s.total,
            released: s.released
        });
    }

    /**
     * @dev Every schedule of `beneficiary`, in creation order, with what is vested and claimable at this block: what
     * {scheduleIdsOf}, {getSchedule}, {vestedAmount} and {claimable} tell, in one call.
     */
    function schedulesOf(address beneficiary) external view returns (ScheduleView[] memory views) {
        uint256[] storage ids = _scheduleIds[beneficiary];
        views = new ScheduleView[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 id = ids[i];
            StoredSchedule memory s = _schedules[beneficiary][id];
            uint256 vested = _vestedAmount(s, uint64(block.timestamp));
            views[i] = ScheduleView({
                id: id,
                beneficiary: beneficiary,
                start: s.start,
                cliff: s.cliff,
                duration: s.duration,
                revocable: s.revocable,
                revoked: s.revoked,
                total: s.total,
                released: s.released,
                vested: vested,
                claimable: vested - s.released
            });
        }
    }

    /**
     * @dev Amount of schedule `id` vested at `timestamp`, released or not. A revoked schedule is fully vested at
     * what it had vested when revoked.
     *
     * Requirements:
     *
     * - schedule `id` exists.
     */
    function vestedAmount(uint256 id, uint64 timestamp) external view returns (uint256) {
        (, StoredSchedule memory s) = _getSchedule(id);
        return _vestedAmount(s, timestamp);
    }

    /**
     * @dev Amount of schedule `id` its beneficiary can claim now: vested and not yet released.
     *
     * Requirements:
     *
     * - schedule `id` exists.
     */
    function claimable(uint256 id) external view returns (uint256) {
        (, StoredSchedule memory s) = _getSchedule(id);
        return _vestedAmount(s, uint64(block.timestamp)) - s.released;
    }

    /// @dev The unvested amount returned by the revocation of schedule `id` (0 if it was not revoked).
    function revokedAmount(uint256 id) external view returns (uint256) {
        return _revokedAmounts[id];
    }

    /// @dev Number of Merkle drops; ids run from 0 to `merkleDropCount() - 1`.
    function merkleDropCount() external view returns (uint256) {
        return _drops.length;
    }

    /**
     * @dev Returns Merkle drop `dropId`.
     *
     * Requirements:
     *
     * - drop `dropId` exists.
     */
    function getMerkleDrop(uint256 dropId) external view returns (MerkleDrop memory) {
        return _getDrop(dropId);
    }

    /// @dev Whether the leaf `(beneficiary, total, start, cliff, duration)` of drop `dropId` was already claimed.
    function isLeafClaimed(uint256 dropId, address beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration)
        external
        view
        returns (bool)
    {
        return _leafClaimed[dropId][merkleLeaf(beneficiary, total, start, cliff, duration)];
    }

    /**
     * @dev The StandardMerkleTree leaf hash of `(beneficiary, total, start, cliff, duration)` (types
     * `["address","uint256","uint64","uint64","uint64"]`): `keccak256(keccak256(abi.encode(...)))`.
     */
    function merkleLeaf(address beneficiary, uint256 total, uint64 start, uint64 cliff, uint64 duration)
        public
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(beneficiary, total, start, cliff, duration))));
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
     * - `total` is at most `2**128 - 1` ({VestingVaultTotalTooLarge}).
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
        id = _createSchedule(beneficiary, total, start, cliff, duration, revocable);
        _token.safeTransferFrom(_msgSender(), address(this), total);
    }

    /**
     * @dev Adds a Merkle drop: every leaf `(beneficiary, total, start, cliff, duration)` of the StandardMerkleTree
     * with `root` becomes a schedule when first claimed ({claimMerkle}). Pulls `total` (the sum of the leaves'
     * totals) from the caller. Returns the drop id.
     *
     * Requirements:
     *
     * - the caller has {ADMIN_ROLE}; `root` and `total` are not zero; the caller approved `total` to the vault.
     *
     * Emits a {MerkleRootAdded} event.
     */
    function addMerkleRoot(bytes32 root, uint256 total, bool revocable)
        external
        onlyRole(ADMIN_ROLE)
        returns (uint256 dropId)
    {
        dropId = _addDrop(root, total, revocable);
        _token.safeTransferFrom(_msgSender(), address(this), total);
    }

    /**
     * @dev Proves the leaf `(beneficiary, total, start, cliff, duration)` of drop `dropId`, turns it into a regular
     * schedule of `beneficiary` and sends `beneficiary` what is claimable on it now (possibly nothing, e.g. before the
     * cliff). Anyone may call it (a relayer, the beneficiary directly or through the forwarder): the tokens always go
     * to `beneficiary`. Later claims use {claim} with the returned schedule id.
     *
     * Requirements:
     *
     * - not paused; drop `dropId` exists and is not closed; `proof` proves the leaf; the leaf was not claimed.
     * - the leaf is a valid schedule (its total at most `2**128 - 1`) and its total fits in what the drop has left.
     *
     * Emits {ScheduleCreated}, {MerkleLeafClaimed}, and {Claimed} when something was claimable.
     */
    function claimMerkle(
        uint256 dropId,
        address beneficiary,
        uint256 total,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        bytes32[] calldata proof
    ) external whenNotPaused returns (uint256 id) {
        MerkleDrop storage drop = _getDrop(dropId);
        if (drop.closed) {
            revert VestingVaultDropClosed(dropId);
        }
        bytes32 leaf = merkleLeaf(beneficiary, total, start, cliff, duration);
        if (_leafClaimed[dropId][leaf]) {
            revert VestingVaultLeafAlreadyClaimed(dropId, leaf);
        }
        if (!MerkleProof.verifyCalldata(proof, drop.root, leaf)) {
            revert VestingVaultInvalidProof(dropId, leaf);
        }
        uint256 available = drop.deposited - drop.allocated;
        if (total > available) {
            revert VestingVaultDropExhausted(dropId, total, available);
        }
        _leafClaimed[dropId][leaf] = true;
        drop.allocated += total;
        id = _createSchedule(beneficiary, total, start, cliff, duration, drop.revocable);
        emit MerkleLeafClaimed(dropId, leaf, id);
        uint256 amount = _release(id, beneficiary);
        if (amount > 0) {
            _token.safeTransfer(beneficiary, amount);
        }
    }

    /**
     * @dev Sends the caller everything claimable now on schedule `id`. Works through the trusted forwarder: the
     * caller is then the account that signed the request, and the tokens go to it.
     *
     * Requirements:
     *
     * - not paused.
     * - schedule `id` exists.
     * - the caller is the beneficiary of schedule `id`.
     * - something is claimable on schedule `id`.
     *
     * Emits a {Claimed} event.
     */
    function claim(uint256 id) external whenNotPaused {
        address beneficiary = _msgSender();
        uint256 amount = _release(id, beneficiary);
        if (amount == 0) {
            revert VestingVaultNothingToClaim(id);
        }
        _token.safeTransfer(beneficiary, amount);
    }

    /**
     * @dev Sends the beneficiary of schedule `id` everything claimable on it now. Anyone may call it; the tokens
     * always go to the schedule's beneficiary.
     *
     * Requirements:
     *
     * - not paused; schedule `id` exists; something is claimable on it.
     *
     * Emits a {Claimed} event.
     */
    function claimFor(uint256 id) external whenNotPaused {
        (address beneficiary,) = _getSchedule(id);
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
     * - not paused.
     * - `ids` is not empty.
     * - every schedule in `ids` exists and has the caller as beneficiary.
     * - the total claimable over `ids` is not zero.
     *
     * Emits a {Claimed} event for each schedule that released tokens.
     */
    function claimMany(uint256[] calldata ids) external whenNotPaused {
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
     * @dev Revokes schedule `id`: what has vested by now stays claimable by the beneficiary (the schedule's `total`
     * becomes that amount), the unvested rest goes to the caller. Works while paused. Returns the refund.
     *
     * Requirements:
     *
     * - the caller has {ADMIN_ROLE}; schedule `id` exists, is revocable and not revoked yet.
     *
     * Emits a {ScheduleRevoked} event.
     */
    function revoke(uint256 id) external onlyRole(ADMIN_ROLE) returns (uint256 refund) {
        (address beneficiary, StoredSchedule memory s) = _getSchedule(id);
        if (!s.revocable || s.revoked) {
            revert VestingVaultNotRevocable(id);
        }
        uint256 vested = _vestedAmount(s, uint64(block.timestamp));
        refund = s.total - vested;
        StoredSchedule storage schedule = _schedules[beneficiary][id];
        // vested <= total, which fits in uint128
        schedule.total = uint128(vested);
        schedule.revoked = true;
        _revokedAmounts[id] = refund;
        address to = _msgSender();
        emit ScheduleRevoked(id, to, refund);
        if (refund > 0) {
            _token.safeTransfer(to, refund);
        }
    }

    /**
     * @dev Closes Merkle drop `dropId`: its unclaimed leaves can no longer be claimed, and what they would have
     * allocated goes to the caller. Schedules already made from it are unaffected. Returns the refund.
     *
     * Requirements:
     *
     * - the caller has {ADMIN_ROLE}; drop `dropId` exists and is not closed.
     *
     * Emits a {MerkleDropClosed} event.
     */
    function closeMerkleDrop(uint256 dropId) external onlyRole(ADMIN_ROLE) returns (uint256 refund) {
        MerkleDrop storage drop = _getDrop(dropId);
        if (drop.closed) {
            revert VestingVaultDropClosed(dropId);
        }
        drop.closed = true;
        refund = drop.deposited - drop.allocated;
        address to = _msgSender();
        emit MerkleDropClosed(dropId, to, refund);
        if (refund > 0) {
            _token.safeTransfer(to, refund);
        }
    }

    /**
     * @dev Pauses {claim}, {claimMany}, {claimFor} and {claimMerkle}.
     *
     * Requirements:
     *
     * - the caller has {PAUSER_ROLE}; not paused.
     *
     * Emits a {Paused} event.
     */
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /**
     * @dev Unpauses.
     *
     * Requirements:
     *
     * - the caller has {PAUSER_ROLE}; paused.
     *
     * Emits an {Unpaused} event.
     */
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function _setUp(IERC20 token_, address admin) private {
        if (address(token_) == address(0) || admin == address(0)) {
            revert VestingVaultInvalidSetup(address(token_), admin);
        }
        _token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
    }

    function _addDrop(bytes32 root, uint256 total, bool revocable) private returns (uint256 dropId) {
        if (root == bytes32(0) || total == 0) {
            revert VestingVaultInvalidDrop(root, total);
        }
        dropId = _drops.length;
        _drops.push(MerkleDrop({root: root, revocable: revocable, closed: false, deposited: total, allocated: 0}));
        emit MerkleRootAdded(dropId, root, total, revocable);
    }

    function _createSchedule(
        address beneficiary,
        uint256 total,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        bool revocable
    ) private returns (uint256 id) {
        if (beneficiary == address(0) || total == 0 || cliff > duration) {
            revert VestingVaultInvalidSchedule(beneficiary, total, cliff, duration);
        }
        if (total > type(uint128).max) {
            revert VestingVaultTotalTooLarge(total, type(uint128).max);
        }
        id = _scheduleCount;
        ++_scheduleCount;
        _schedules[beneficiary][id] = StoredSchedule({
            total: uint128(total),
            released: 0,
            start: start,
            cliff: cliff,
            duration: duration,
            revocable: revocable,
            revoked: false,
            exists: true
        });
        _beneficiaries[id] = beneficiary;
        _scheduleIds[beneficiary].push(id);
        emit ScheduleCreated(id, beneficiary, total, start, cliff, duration);
    }

    /**
     * @dev Marks what is claimable on schedule `id` as released to `beneficiary` and returns it; emits {Claimed}
     * when it is not zero. The caller transfers the tokens.
     */
    function _release(uint256 id, address beneficiary) private returns (uint256 amount) {
        StoredSchedule storage schedule = _schedules[beneficiary][id];
        StoredSchedule memory s = schedule;
        if (!s.exists) {
            // Ids are sequential: below the count, the schedule exists and belongs to someone else.
            if (id < _scheduleCount) {
                revert VestingVaultNotBeneficiary(id, beneficiary);
            }
            revert VestingVaultUnknownSchedule(id);
        }
        amount = _vestedAmount(s, uint64(block.timestamp)) - s.released;
        if (amount > 0) {
            // released + amount is at most total, which fits in uint128
            schedule.released = s.released + uint128(amount);
            emit Claimed(id, beneficiary, amount);
        }
    }

    function _getSchedule(uint256 id) private view returns (address beneficiary, StoredSchedule memory schedule) {
        beneficiary = _beneficiaries[id];
        if (beneficiary == address(0)) {
            revert VestingVaultUnknownSchedule(id);
        }
        schedule = _schedules[beneficiary][id];
    }

    function _getDrop(uint256 dropId) private view returns (MerkleDrop storage) {
        if (dropId >= _drops.length) {
            revert VestingVaultUnknownDrop(dropId);
        }
        return _drops[dropId];
    }

    function _vestedAmount(StoredSchedule memory schedule, uint64 timestamp) private pure returns (uint256) {
        if (schedule.revoked) {
            return schedule.total;
        }
        // In uint256 so that start + duration cannot overflow.
        uint256 start = schedule.start;
        if (timestamp < start + schedule.cliff) {
            return 0;
        } else if (timestamp >= start + schedule.duration) {
            return schedule.total;
        } else {
            // total < 2**128 and timestamp - start < duration < 2**64: the product cannot overflow, no mulDiv needed.
            return (uint256(schedule.total) * (timestamp - start)) / schedule.duration;
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
