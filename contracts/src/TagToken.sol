// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC2771ContextUpgradeable} from "@openzeppelin/contracts-upgradeable/metatx/ERC2771ContextUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20CappedUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20CappedUpgradeable.sol";
import {ERC20PausableUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PausableUpgradeable.sol";
import {ERC20PermitUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {ERC20VotesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20VotesUpgradeable.sol";
import {ContextUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/ContextUpgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";

/**
 * @dev The TokenTags ERC-20: {ERC20Permit} for signed approvals, {ERC20Votes} on a timestamp clock (for
 * {TokenGovernor}), a supply cap, pause of transfers, roles ({DEFAULT_ADMIN_ROLE}, {MINTER_ROLE}, {PAUSER_ROLE}) and
 * {ERC2771Context} so that calls relayed by the trusted forwarder act for the account that signed them.
 *
 * Two ways to get one:
 *
 * - Deploy it directly: the constructor initializes it (the historical 5-argument constructor, unchanged: the
 *   `initialHolder` receives the supply and every role; the cap is {MAX_CAP}, the most {ERC20Votes} can count).
 * - Clone it ({TokenFactory}, ERC-1167): a clone runs no constructor, so the factory calls {initialize} in the same
 *   transaction. The implementation itself was initialized by its constructor and can never be initialized again.
 *
 * The trusted forwarder is an immutable of the implementation, shared by all its clones. A clone never changes
 * code: see the upgrade notes in the package README.
 */
contract TagToken is
    Initializable,
    ERC20Upgradeable,
    ERC20PermitUpgradeable,
    ERC20VotesUpgradeable,
    ERC20CappedUpgradeable,
    ERC20PausableUpgradeable,
    AccessControlUpgradeable,
    ERC2771ContextUpgradeable
{
    /// @dev Role allowed to mint, up to the cap.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @dev Role allowed to pause and unpause transfers.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @dev The largest supply {ERC20Votes} can checkpoint, and the cap of directly deployed tokens.
    uint256 public constant MAX_CAP = type(uint208).max;

    // A balance never exceeds MAX_CAP (< 2**208), so the top bit of its slot is free: it is set exactly when the
    // account has a delegate (`delegates(account) != 0`). A transfer then learns from the balance slots it reads
    // anyway whether any votes move, instead of reading both accounts' delegates (two cold slots, 4,200 gas) for
    // the many accounts that never delegate. {balanceOf} masks it.
    uint256 private constant _DELEGATED = 1 << 255;
    uint256 private constant _BALANCE = type(uint208).max;
    // ERC20Upgradeable's ERC-7201 location (private there): keccak256(abi.encode(uint256(keccak256(
    // "openzeppelin.storage.ERC20")) - 1)) & ~bytes32(uint256(0xff)).
    bytes32 private constant _ERC20_STORAGE = 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00;

    /// @dev The first fields of ERC20Upgradeable's `ERC20Storage`, in its order.
    struct ERC20Balances {
        mapping(address account => uint256) balances;
        mapping(address account => mapping(address spender => uint256)) allowances;
        uint256 totalSupply;
    }

    /// @dev {initialize} got `recipients` and `amounts` of different lengths.
    error TagTokenLengthMismatch(uint256 recipients, uint256 amounts);

    /// @dev The cap is above {MAX_CAP}.
    error TagTokenCapTooLarge(uint256 cap);

    /**
     * @dev Deploys and initializes a token: `initialSupply` minted to `initialHolder`, who also gets every role
     * (unless it is the zero address), cap {MAX_CAP}, `trustedForwarder_` trusted for meta-transactions.
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
    ) ERC2771ContextUpgradeable(trustedForwarder_) initializer {
        address[] memory recipients = new address[](initialSupply > 0 ? 1 : 0);
        uint256[] memory amounts = new uint256[](recipients.length);
        if (initialSupply > 0) {
            recipients[0] = initialHolder;
            amounts[0] = initialSupply;
        }
        _initializeToken(name_, symbol_, initialHolder, MAX_CAP, recipients, amounts);
    }

    /**
     * @dev Initializes a clone: name, symbol, `admin` (gets every role; none if zero), supply `cap`, and mints
     * `amounts[i]` to `recipients[i]`. Callable once, by anyone: {TokenFactory} calls it in the transaction that
     * creates the clone. The EIP-712 domain (permit, delegation) is `{name: name_, version: "1"}`.
     *
     * Requirements:
     *
     * - not initialized yet (always true of the implementation, which its constructor initialized).
     * - `0 < cap_ <= MAX_CAP`, `recipients.length == amounts.length`, the sum of `amounts` is at most `cap_`.
     */
    function initialize(
        string calldata name_,
        string calldata symbol_,
        address admin,
        uint256 cap_,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external initializer {
        _initializeToken(name_, symbol_, admin, cap_, recipients, amounts);
    }

    /**
     * @dev Mints `amount` to `to`.
     *
     * Requirements:
     *
     * - the caller has {MINTER_ROLE}; the supply stays within the cap; not paused.
     */
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /**
     * @dev Destroys `amount` of the caller's tokens.
     */
    function burn(uint256 amount) external {
        _burn(_msgSender(), amount);
    }

    /**
     * @dev Pauses transfers, mints and burns.
     *
     * Requirements:
     *
     * - the caller has {PAUSER_ROLE}; not paused.
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
     */
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @dev The voting clock is the block timestamp (EIP-6372).
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @dev EIP-6372 clock mode: `mode=timestamp`.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20PermitUpgradeable
    function nonces(address owner) public view override(ERC20PermitUpgradeable, NoncesUpgradeable) returns (uint256) {
        return super.nonces(owner);
    }

    function _initializeToken(
        string memory name_,
        string memory symbol_,
        address admin,
        uint256 cap_,
        address[] memory recipients,
        uint256[] memory amounts
    ) private {
        if (cap_ > MAX_CAP) {
            revert TagTokenCapTooLarge(cap_);
        }
        if (recipients.length != amounts.length) {
            revert TagTokenLengthMismatch(recipients.length, amounts.length);
        }
        __ERC20_init(name_, symbol_);
        __ERC20Permit_init(name_);
        __ERC20Votes_init();
        __ERC20Capped_init(cap_);
        __ERC20Pausable_init();
        __AccessControl_init();
        if (admin != address(0)) {
            _grantRole(DEFAULT_ADMIN_ROLE, admin);
            _grantRole(MINTER_ROLE, admin);
            _grantRole(PAUSER_ROLE, admin);
        }
        for (uint256 i = 0; i < recipients.length; ++i) {
            _mint(recipients[i], amounts[i]);
        }
    }

    /// @dev The balance, without the delegation bit of its slot.
    function balanceOf(address account) public view override returns (uint256) {
        return _erc20().balances[account] & _BALANCE;
    }

    /**
     * @dev What `super._update` does through {ERC20Pausable}, {ERC20Capped}, {ERC20Votes} and {ERC20}, in the same
     * order with the same errors, but on balance slots that carry the delegation bit: the votes bookkeeping runs
     * only for a mint, a burn, or when one side has a delegate (otherwise OpenZeppelin's moves nothing either).
     */
    function _update(address from, address to, uint256 value)
        internal
        override(ERC20Upgradeable, ERC20VotesUpgradeable, ERC20CappedUpgradeable, ERC20PausableUpgradeable)
    {
        _requireNotPaused();
        bool votesMove = _moveBalances(from, to, value);
        emit Transfer(from, to, value);

        if (from == address(0)) {
            uint256 supply = totalSupply();
            uint256 maxSupply = _maxSupply();
            if (supply > maxSupply) {
                revert ERC20ExceededSafeSupply(supply, maxSupply);
            }
        }
        if (votesMove) {
            _transferVotingUnits(from, to, value);
        }
        if (from == address(0)) {
            uint256 supply = totalSupply();
            uint256 cap_ = cap();
            if (supply > cap_) {
                revert ERC20ExceededCap(supply, cap_);
            }
        }
    }

    /// @dev Delegates as {Votes} does, and keeps the delegation bit of `account`'s balance slot in step.
    function _delegate(address account, address delegatee) internal override {
        super._delegate(account, delegatee);
        ERC20Balances storage $ = _erc20();
        uint256 slot = $.balances[account];
        $.balances[account] = delegatee == address(0) ? slot & ~_DELEGATED : slot | _DELEGATED;
    }

    /// @dev {ERC20}'s balance and supply update; whether votes may move (a mint, a burn, or a side with a delegate).
    function _moveBalances(address from, address to, uint256 value) private returns (bool votesMove) {
        ERC20Balances storage $ = _erc20();
        votesMove = from == address(0) || to == address(0);
        if (from == address(0)) {
            $.totalSupply += value;
        } else {
            uint256 slot = $.balances[from];
            uint256 fromBalance = slot & _BALANCE;
            if (fromBalance < value) {
                revert ERC20InsufficientBalance(from, fromBalance, value);
            }
            unchecked {
                // value <= fromBalance: the delegation bit stays as it is
                $.balances[from] = slot - value;
            }
            votesMove = votesMove || slot & _DELEGATED != 0;
        }
        if (to == address(0)) {
            unchecked {
                $.totalSupply -= value;
            }
        } else {
            uint256 slot = $.balances[to];
            unchecked {
                // balance + value <= totalSupply (< 2**256), and a mint above MAX_CAP reverts in {_update}: any
                // carry into the delegation bit is undone with it
                $.balances[to] = slot + value;
            }
            votesMove = votesMove || slot & _DELEGATED != 0;
        }
    }

    function _erc20() private pure returns (ERC20Balances storage $) {
        // Binding a storage pointer to an ERC-7201 location takes assembly (as OpenZeppelin's own getters do).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            $.slot := _ERC20_STORAGE
        }
    }

    function _msgSender() internal view override(ContextUpgradeable, ERC2771ContextUpgradeable) returns (address) {
        return ERC2771ContextUpgradeable._msgSender();
    }

    function _msgData() internal view override(ContextUpgradeable, ERC2771ContextUpgradeable) returns (bytes calldata) {
        return ERC2771ContextUpgradeable._msgData();
    }

    function _contextSuffixLength()
        internal
        view
        override(ContextUpgradeable, ERC2771ContextUpgradeable)
        returns (uint256)
    {
        return ERC2771ContextUpgradeable._contextSuffixLength();
    }
}
