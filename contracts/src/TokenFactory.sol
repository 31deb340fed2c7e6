// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {TagToken} from "./TagToken.sol";
import {TokenSale} from "./TokenSale.sol";
import {VestingVault} from "./VestingVault.sol";

/**
 * @dev Creates a {TagToken} in one call, as an ERC-1167 minimal clone at an address known in advance
 * ({predictTokenAddress}), optionally with its {VestingVault} (funded for a Merkle root of allocations) and its
 * {TokenSale} (funded with its total cap), and mints the creator's own allocation.
 *
 * Upgrade path (see the package README): the factory keeps numbered implementation sets (token, vault, sale);
 * {UPGRADER_ROLE} (the governance timelock) registers a new set for tokens created from then on. Existing clones
 * point at their implementation forever: nobody can change a token, vault or sale once created.
 *
 * Fees: creating costs {creationFee} in native coin (exactly), set by {FEE_MANAGER_ROLE} with the fee recipient and
 * never above {MAX_CREATION_FEE}; {withdrawFees} sends the collected fees to the fee recipient. Creation is open to everyone, or only to
 * {CREATOR_ROLE} holders when {openCreation} is off ({DEFAULT_ADMIN_ROLE} decides and manages the allow-list).
 *
 * Works through the trusted forwarder: the creator is the signer of the request (the relayer pays the fee then).
 */
contract TokenFactory is AccessControl, ReentrancyGuardTransient, ERC2771Context {
    /// @dev Role allowed to set the creation fee and the fee recipient.
    bytes32 public constant FEE_MANAGER_ROLE = keccak256("FEE_MANAGER_ROLE");
    /// @dev Role allowed to register new implementation versions.
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @dev Role allowed to create tokens while creation is not open to all.
    bytes32 public constant CREATOR_ROLE = keccak256("CREATOR_ROLE");
    /// @dev The highest creation fee, in wei: a fee manager (or a proposal that captured governance) cannot price
    /// creation out of reach beyond it.
    uint256 public constant MAX_CREATION_FEE = 1 ether;

    struct Implementations {
        address token;
        address vault;
        address sale;
    }

    struct TokenParams {
        string name;
        string symbol;
        uint256 cap; // 0: TagToken.MAX_CAP
        uint256 creatorAmount; // minted to the creator
    }

    struct VestingParams {
        bool enabled;
        bytes32 merkleRoot; // zero with a zero total: a vault with no drop yet
        uint256 merkleTotal; // minted to the vault
    }

    struct SaleParams {
        bool enabled;
        address paymentToken; // zero: native coin
        uint256 price;
        uint64 start;
        uint64 end;
        uint256 totalCap; // minted to the sale
        uint256 perBuyerCap;
    }

    uint256 private _latestVersion;
    mapping(uint256 version => Implementations) private _implementations;
    mapping(address token => uint256 version) private _versionOf;
    uint256 private _creationFee;
    address private _feeRecipient;
    bool private _openCreation;

    /// @dev `creator` created `token` (implementation `version`), with `vault` and `sale` (zero when not asked).
    event TokenCreated(
        address indexed creator,
        address indexed token,
        uint256 indexed version,
        address vault,
        address sale,
        bytes32 salt
    );

    /// @dev Implementation set `version` was registered.
    event ImplementationRegistered(uint256 indexed version, address token, address vault, address sale);

    /// @dev The creation fee became `fee`, paid to `recipient`.
    event FeeUpdated(uint256 fee, address recipient);

    /// @dev `amount` of collected fees went to `recipient`.
    event FeesWithdrawn(address indexed recipient, uint256 amount);

    /// @dev Creation became open to all (`open`) or limited to {CREATOR_ROLE}.
    event OpenCreationUpdated(bool open);

    /// @dev The value sent (`value`) is not the creation fee (`fee`).
    error TokenFactoryWrongFee(uint256 value, uint256 fee);

    /// @dev `account` may not create tokens: creation is limited to {CREATOR_ROLE}.
    error TokenFactoryNotAllowed(address account);

    /// @dev An implementation set needs three contracts with code.
    error TokenFactoryInvalidImplementation(Implementations implementations);

    /// @dev No implementation set has number `version`.
    error TokenFactoryUnknownVersion(uint256 version);

    /// @dev The factory cannot be set up with a zero admin, or a fee without a recipient.
    error TokenFactoryInvalidSetup(address admin, address feeRecipient);

    /// @dev The creation fee `fee` is above `max` ({MAX_CREATION_FEE}).
    error TokenFactoryFeeTooHigh(uint256 fee, uint256 max);

    /**
     * @dev Grants `admin` (the governance timelock) {DEFAULT_ADMIN_ROLE}, {FEE_MANAGER_ROLE} and {UPGRADER_ROLE},
     * sets the fee, registers `initialImplementations` as version 1, and trusts `trustedForwarder_`. Creation starts open.
     *
     * Requirements:
     *
     * - `admin` is not zero; `feeRecipient_` is not zero; `creationFee_ <= MAX_CREATION_FEE`; the implementations
     *   have code.
     */
    constructor(
        address admin,
        address feeRecipient_,
        uint256 creationFee_,
        Implementations memory initialImplementations,
        address trustedForwarder_
    ) ERC2771Context(trustedForwarder_) {
        if (admin == address(0) || feeRecipient_ == address(0)) {
            revert TokenFactoryInvalidSetup(admin, feeRecipient_);
        }
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(FEE_MANAGER_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
        _setFee(creationFee_, feeRecipient_);
        _register(initialImplementations);
        _openCreation = true;
        emit OpenCreationUpdated(true);
    }

    /// @dev The number of the newest implementation set, used for new tokens.
    function latestVersion() external view returns (uint256) {
        return _latestVersion;
    }

    /**
     * @dev Implementation set `version`.
     *
     * Requirements:
     *
     * - `version` was registered.
     */
    function implementations(uint256 version) public view returns (Implementations memory) {
        if (version == 0 || version > _latestVersion) {
            revert TokenFactoryUnknownVersion(version);
        }
        return _implementations[version];
    }

    /// @dev The implementation version `token` was created with (0: not created here).
    function versionOf(address token) external view returns (uint256) {
        return _versionOf[token];
    }

    /// @dev The creation fee, in wei.
    function creationFee() external view returns (uint256) {
        return _creationFee;
    }

    /// @dev Who receives the collected fees.
    function feeRecipient() external view returns (address) {
        return _feeRecipient;
    }

    /// @dev Whether anyone may create tokens (otherwise only {CREATOR_ROLE}).
    function openCreation() external view returns (bool) {
        return _openCreation;
    }

    /// @dev The address of the token `creator` would create with `salt`, with the latest implementation set.
    function predictTokenAddress(bytes32 salt, address creator) public view returns (address) {
        return Clones.predictDeterministicAddress(_implementations[_latestVersion].token, _cloneSalt(salt, creator));
    }

    /// @dev The addresses of the token, vault and sale `creator` would create with `salt` (latest implementations).
    function predictAddresses(bytes32 salt, address creator)
        external
        view
        returns (address token, address vault, address sale)
    {
        Implementations storage impl = _implementations[_latestVersion];
        bytes32 cloneSalt = _cloneSalt(salt, creator);
        token = Clones.predictDeterministicAddress(impl.token, cloneSalt);
        vault = Clones.predictDeterministicAddress(impl.vault, cloneSalt);
        sale = Clones.predictDeterministicAddress(impl.sale, cloneSalt);
    }

    /**
     * @dev Creates a token for the caller (the creator): a clone of the latest token implementation at
     * {predictTokenAddress}`(salt, creator)`, administered by the creator (every role), with `token.creatorAmount`
     * minted to the creator. With `vesting.enabled`, also a vault clone administered by the creator, holding
     * `vesting.merkleTotal` tokens for the Merkle root `vesting.merkleRoot`. With `sale.enabled`, also a sale clone
     * administered by the creator (proceeds to the creator), holding `sale.totalCap` tokens. Pay {creationFee}.
     *
     * Requirements:
     *
     * - creation is open, or the caller has {CREATOR_ROLE}; the value is exactly {creationFee}.
     * - `salt` was not used by the creator with this implementation version before.
     * - the parameters are valid for {TagToken-initialize}, {VestingVault-initialize} and {TokenSale-initialize}.
     *
     * Emits a {TokenCreated} event.
     */
    function createToken(
        TokenParams calldata token,
        VestingParams calldata vesting,
        SaleParams calldata sale,
        bytes32 salt
    ) external payable nonReentrant returns (address tokenAddress, address vaultAddress, address saleAddress) {
        address creator = _msgSender();
        if (!_openCreation && !hasRole(CREATOR_ROLE, creator)) {
            revert TokenFactoryNotAllowed(creator);
        }
        if (msg.value != _creationFee) {
            revert TokenFactoryWrongFee(msg.value, _creationFee);
        }
        uint256 version = _latestVersion;
        (tokenAddress, vaultAddress, saleAddress) = _deploy(version, token, vesting, sale, creator, salt);
        _versionOf[tokenAddress] = version;
        emit TokenCreated(creator, tokenAddress, version, vaultAddress, saleAddress, salt);
    }

    /**
     * @dev Sends every collected fee to the fee recipient. Anyone may call it. Returns the amount.
     *
     * Emits a {FeesWithdrawn} event.
     */
    function withdrawFees() external nonReentrant returns (uint256 amount) {
        amount = address(this).balance;
        address to = _feeRecipient;
        emit FeesWithdrawn(to, amount);
        Address.sendValue(payable(to), amount);
    }

    /**
     * @dev Sets the creation fee and the fee recipient.
     *
     * Requirements:
     *
     * - the caller has {FEE_MANAGER_ROLE}; `recipient` is not zero; `fee <= MAX_CREATION_FEE`.
     *
     * Emits a {FeeUpdated} event.
     */
    function setFee(uint256 fee, address recipient) external onlyRole(FEE_MANAGER_ROLE) {
        if (recipient == address(0)) {
            revert TokenFactoryInvalidSetup(address(this), recipient);
        }
        _setFee(fee, recipient);
    }

    /**
     * @dev Registers a new implementation set, used for tokens created from now on. Existing tokens keep theirs.
     * Returns its version number.
     *
     * Requirements:
     *
     * - the caller has {UPGRADER_ROLE}; the three implementations have code.
     *
     * Emits an {ImplementationRegistered} event.
     */
    function registerImplementations(Implementations calldata newImplementations)
        external
        onlyRole(UPGRADER_ROLE)
        returns (uint256 version)
    {
        return _register(newImplementations);
    }

    /**
     * @dev Opens creation to all, or limits it to {CREATOR_ROLE} holders.
     *
     * Requirements:
     *
     * - the caller has {DEFAULT_ADMIN_ROLE}.
     *
     * Emits an {OpenCreationUpdated} event.
     */
    function setOpenCreation(bool open) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _openCreation = open;
        emit OpenCreationUpdated(open);
    }

    function _deploy(
        uint256 version,
        TokenParams calldata token,
        VestingParams calldata vesting,
        SaleParams calldata sale,
        address creator,
        bytes32 salt
    ) private returns (address tokenAddress, address vaultAddress, address saleAddress) {
        Implementations memory impl = _implementations[version];
        bytes32 cloneSalt = _cloneSalt(salt, creator);
        tokenAddress = Clones.cloneDeterministic(impl.token, cloneSalt);
        if (vesting.enabled) {
            vaultAddress = Clones.cloneDeterministic(impl.vault, cloneSalt);
            VestingVault(vaultAddress).initialize(IERC20(tokenAddress), creator, vesting.merkleRoot, vesting.merkleTotal);
        }
        if (sale.enabled) {
            saleAddress = Clones.cloneDeterministic(impl.sale, cloneSalt);
            _initializeSale(saleAddress, tokenAddress, sale, creator);
        }
        _initializeToken(tokenAddress, token, creator, vaultAddress, vesting.merkleTotal, saleAddress, sale.totalCap);
    }

    function _initializeToken(
        address tokenAddress,
        TokenParams calldata token,
        address creator,
        address vaultAddress,
        uint256 vaultAmount,
        address saleAddress,
        uint256 saleAmount
    ) private {
        uint256 count = 1 + (vaultAddress != address(0) ? 1 : 0) + (saleAddress != address(0) ? 1 : 0);
        address[] memory recipients = new address[](count);
        uint256[] memory amounts = new uint256[](count);
        recipients[0] = creator;
        amounts[0] = token.creatorAmount;
        if (vaultAddress != address(0)) {
            recipients[1] = vaultAddress;
            amounts[1] = vaultAmount;
        }
        if (saleAddress != address(0)) {
            recipients[count - 1] = saleAddress;
            amounts[count - 1] = saleAmount;
        }
        TagToken(tokenAddress).initialize(
            token.name, token.symbol, creator, token.cap == 0 ? type(uint208).max : token.cap, recipients, amounts
        );
    }

    function _initializeSale(address saleAddress, address tokenAddress, SaleParams calldata sale, address creator)
        private
    {
        TokenSale(saleAddress).initialize(
            TokenSale.Config({
                saleToken: IERC20(tokenAddress),
                paymentToken: sale.paymentToken,
                price: sale.price,
                start: sale.start,
                end: sale.end,
                totalCap: sale.totalCap,
                perBuyerCap: sale.perBuyerCap,
                admin: creator,
                proceedsRecipient: creator
            })
        );
    }

    function _setFee(uint256 fee, address recipient) private {
        if (fee > MAX_CREATION_FEE) {
            revert TokenFactoryFeeTooHigh(fee, MAX_CREATION_FEE);
        }
        _creationFee = fee;
        _feeRecipient = recipient;
        emit FeeUpdated(fee, recipient);
    }

    function _register(Implementations memory impl) private returns (uint256 version) {
        if (impl.token.code.length == 0 || impl.vault.code.length == 0 || impl.sale.code.length == 0) {
            revert TokenFactoryInvalidImplementation(impl);
        }
        version = ++_latestVersion;
        _implementations[version] = impl;
        emit ImplementationRegistered(version, impl.token, impl.vault, impl.sale);
    }

    function _cloneSalt(bytes32 salt, address creator) private pure returns (bytes32) {
        return keccak256(abi.encode(creator, salt));
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
