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

    function _update(address from, address to, uint256 value)
        internal
        override(ERC20Upgradeable, ERC20VotesUpgradeable, ERC20CappedUpgradeable, ERC20PausableUpgradeable)
    {
        super._update(from, to, value);
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
