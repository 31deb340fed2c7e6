// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @dev The part of EIP-3009 (transfer with authorization, as in USDC) that {TipRouter} uses.
interface IERC3009 {
    /// @dev Moves `value` from `from` to `to` (the caller) with `from`'s signed `ReceiveWithAuthorization`.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;
}

/**
 * @dev Tips in native coin or any ERC-20, with a memo, to one creator ({tip}, {tipWithPermit},
 * {tipWithAuthorization}) or to many at once ({distribute}). The router never keeps funds: each call moves the
 * sender's coins to the recipients and the protocol fee (if any) to the fee recipient (an EIP-3009 tip passes
 * through the router within the call).
 *
 * The fee is {feeBps} basis points of each tip, taken out of it (the recipient gets `amount - fee`), rounded down,
 * and can never exceed {MAX_FEE_BPS}. `token == address(0)` means the native coin.
 *
 * Works through the trusted {ERC2771Forwarder}: the sender is then the account that signed the request. A native
 * tip through the forwarder spends the request's `value`, which the relayer pays.
 *
 * Every tip emits {Tipped} with the recipient, sender and token indexed, so an indexer can attribute it.
 */
contract TipRouter is AccessControl, ReentrancyGuardTransient, ERC2771Context {
    using SafeERC20 for IERC20;

    /// @dev Role allowed to set the fee and the fee recipient.
    bytes32 public constant FEE_MANAGER_ROLE = keccak256("FEE_MANAGER_ROLE");
    /// @dev The highest fee, in basis points (5%).
    uint16 public constant MAX_FEE_BPS = 500;
    /// @dev Basis points in a whole.
    uint16 public constant BPS = 10_000;

    address private _feeRecipient;
    uint16 private _feeBps;

    /// @dev `sender` tipped `recipient` `amount` of `token` (0: native coin), of which `fee` went to the protocol.
    event Tipped(
        address indexed recipient, address indexed sender, address indexed token, uint256 amount, uint256 fee, string memo
    );

    /// @dev The fee became `feeBps` basis points, paid to `feeRecipient`.
    event FeeUpdated(uint16 feeBps, address feeRecipient);

    /// @dev The fee `feeBps` is above {MAX_FEE_BPS}, or it is not zero with no fee recipient.
    error TipRouterInvalidFee(uint16 feeBps, address feeRecipient);

    /// @dev A tip cannot be zero or go to the zero address.
    error TipRouterInvalidTip(address recipient, uint256 amount);

    /// @dev The native value sent (`value`) is not the sum of the native tips (`expected`).
    error TipRouterWrongValue(uint256 value, uint256 expected);

    /// @dev {distribute} got `recipients` and `amounts` of different lengths, or none.
    error TipRouterInvalidBatch(uint256 recipients, uint256 amounts);

    /// @dev {tipWithAuthorization} got `received` of `token` from the authorization instead of `expected`.
    error TipRouterAuthorizationNotReceived(address token, uint256 expected, uint256 received);

    /// @dev The router cannot be set up without an admin.
    error TipRouterInvalidSetup(address admin);

    /**
     * @dev Grants `admin` {DEFAULT_ADMIN_ROLE} and {FEE_MANAGER_ROLE}, sets the fee, trusts `trustedForwarder_`.
     *
     * Requirements:
     *
     * - `admin` is not zero; `feeBps_ <= MAX_FEE_BPS`; `feeRecipient_` is not zero when `feeBps_` is not zero.
     */
    constructor(address admin, address feeRecipient_, uint16 feeBps_, address trustedForwarder_)
        ERC2771Context(trustedForwarder_)
    {
        if (admin == address(0)) {
            revert TipRouterInvalidSetup(admin);
        }
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(FEE_MANAGER_ROLE, admin);
        _setFee(feeBps_, feeRecipient_);
    }

    /// @dev The protocol fee, in basis points of each tip.
    function feeBps() external view returns (uint16) {
        return _feeBps;
    }

    /// @dev Who receives the protocol fee.
    function feeRecipient() external view returns (address) {
        return _feeRecipient;
    }

    /// @dev The fee taken from a tip of `amount`, and what its recipient gets.
    function quote(uint256 amount) public view returns (uint256 fee, uint256 net) {
        fee = (amount * _feeBps) / BPS;
        net = amount - fee;
    }

    /**
     * @dev Tips `recipient` `amount` of `token` with `memo`: native coin (`token == address(0)`, send `amount` as
     * value) or an ERC-20 the sender approved to the router.
     *
     * Requirements:
     *
     * - `recipient` is not zero and `amount` is not zero.
     * - native: the value sent is `amount`; ERC-20: no value, and an allowance of at least `amount`.
     *
     * Emits a {Tipped} event.
     */
    function tip(address token, address recipient, uint256 amount, string calldata memo)
        external
        payable
        nonReentrant
    {
        _checkValue(token, amount);
        address sender = _msgSender();
        uint256 fee = _tip(token, sender, recipient, amount, memo);
        _payFee(token, sender, fee);
    }

    /**
     * @dev As {tip} for an EIP-2612 token, approving the router by the sender's permit signature in the same
     * transaction (so a gasless tip needs no prior approval). If the permit was already used (e.g. front-run), the
     * existing allowance is used.
     *
     * Requirements:
     *
     * - as {tip}, with `token` an ERC-20 (not the native coin); no value.
     *
     * Emits a {Tipped} event.
     */
    function tipWithPermit(
        address token,
        address recipient,
        uint256 amount,
        string calldata memo,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        if (token == address(0)) {
            revert TipRouterInvalidTip(recipient, 0);
        }
        address sender = _msgSender();
        // A failed permit (front-run, or already approved) falls back to the existing allowance.
        try IERC20Permit(token).permit(sender, address(this), amount, deadline, v, r, s) {} catch {}
        uint256 fee = _tip(token, sender, recipient, amount, memo);
        _payFee(token, sender, fee);
    }

    /**
     * @dev As {tip} for an EIP-3009 token (e.g. USDC), paid by `from`'s signed `ReceiveWithAuthorization` of
     * `amount` to this router with nonce {authorizationNonce}`(recipient, memo, salt)`: one signature, no approval,
     * and anyone may submit it (directly or through the forwarder). The tip is credited to `from`, whoever sends
     * the call.
     *
     * Security: the nonce binds `recipient` and `memo`, so a submitter who changes either makes the signature
     * invalid, and an authorization pays out once (the token marks its nonce used). The fee is the one in force when
     * the tip executes (never above {MAX_FEE_BPS}). The router pays out only what the token moved to it in this call.
     *
     * Requirements:
     *
     * - `token` is an EIP-3009 ERC-20 (not the native coin); `recipient` is not zero; `amount` is not zero; no value.
     * - `validAfter < block.timestamp < validBefore`, the nonce unused, `(v, r, s)` signed by `from` (the token
     *   checks these and reverts with its own error).
     *
     * Emits a {Tipped} event with `from` as the sender.
     */
    function tipWithAuthorization(
        address token,
        address from,
        address recipient,
        uint256 amount,
        string calldata memo,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 salt,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        if (token == address(0)) {
            revert TipRouterInvalidTip(recipient, 0);
        }
        // Checked before the token is called, so a bad tip never spends the authorization.
        if (recipient == address(0) || amount == 0) {
            revert TipRouterInvalidTip(recipient, amount);
        }
        bytes32 nonce = authorizationNonce(recipient, memo, salt);
        _receiveWithAuthorization(token, from, amount, validAfter, validBefore, nonce, v, r, s);
        _tipFromRouter(token, from, recipient, amount, memo);
    }

    /**
     * @dev The EIP-3009 nonce that `from` signs for {tipWithAuthorization} to `recipient` with `memo`:
     * `keccak256(abi.encode(recipient, keccak256(bytes(memo)), salt))`, `salt` random per tip.
     */
    function authorizationNonce(address recipient, string calldata memo, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(recipient, keccak256(bytes(memo)), salt));
    }

    /**
     * @dev Tips each `recipients[i]` `amounts[i]` of `token`, all with `memo`, in one call; the fees are paid in
     * one transfer. For the native coin send the sum of `amounts` as value. A native recipient that rejects coins
     * makes the whole call revert.
     *
     * Requirements:
     *
     * - `recipients` and `amounts` have the same non-zero length; every tip is valid as in {tip}.
     * - native: the value sent is the sum of `amounts`; ERC-20: no value and enough allowance for the sum.
     *
     * Emits a {Tipped} event per recipient.
     */
    function distribute(
        address token,
        address[] calldata recipients,
        uint256[] calldata amounts,
        string calldata memo
    ) external payable nonReentrant {
        if (recipients.length == 0 || recipients.length != amounts.length) {
            revert TipRouterInvalidBatch(recipients.length, amounts.length);
        }
        uint256 sum;
        for (uint256 i = 0; i < amounts.length; ++i) {
            sum += amounts[i];
        }
        _checkValue(token, sum);
        address sender = _msgSender();
        uint256 fees;
        for (uint256 i = 0; i < recipients.length; ++i) {
            fees += _tip(token, sender, recipients[i], amounts[i], memo);
        }
        _payFee(token, sender, fees);
    }

    /**
     * @dev Sets the fee to `newFeeBps` basis points, paid to `newFeeRecipient`.
     *
     * Requirements:
     *
     * - the caller has {FEE_MANAGER_ROLE}; `newFeeBps <= MAX_FEE_BPS`; `newFeeRecipient` is not zero unless the fee
     *   is zero.
     *
     * Emits a {FeeUpdated} event.
     */
    function setFee(uint16 newFeeBps, address newFeeRecipient) external onlyRole(FEE_MANAGER_ROLE) {
        _setFee(newFeeBps, newFeeRecipient);
    }

    function _setFee(uint16 newFeeBps, address newFeeRecipient) private {
        if (newFeeBps > MAX_FEE_BPS || (newFeeBps > 0 && newFeeRecipient == address(0))) {
            revert TipRouterInvalidFee(newFeeBps, newFeeRecipient);
        }
        _feeBps = newFeeBps;
        _feeRecipient = newFeeRecipient;
        emit FeeUpdated(newFeeBps, newFeeRecipient);
    }

    function _checkValue(address token, uint256 nativeAmount) private view {
        uint256 expected = token == address(0) ? nativeAmount : 0;
        if (msg.value != expected) {
            revert TipRouterWrongValue(msg.value, expected);
        }
    }

    /// @dev Pulls `amount` of `token` from `from` into the router with `from`'s EIP-3009 authorization.
    function _receiveWithAuthorization(
        address token,
        address from,
        uint256 amount,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC3009(token).receiveWithAuthorization(from, address(this), amount, validAfter, validBefore, nonce, v, r, s);
        // A token without EIP-3009 but with a fallback (WETH9) would "succeed" here without paying: never pay out
        // anything but what this call brought in.
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received < amount) {
            revert TipRouterAuthorizationNotReceived(token, amount, received);
        }
    }

    /// @dev Moves one tip net of its fee to `recipient` and returns the fee (not yet paid).
    function _tip(address token, address sender, address recipient, uint256 amount, string calldata memo)
        private
        returns (uint256 fee)
    {
        if (recipient == address(0) || amount == 0) {
            revert TipRouterInvalidTip(recipient, amount);
        }
        uint256 net;
        (fee, net) = quote(amount);
        emit Tipped(recipient, sender, token, amount, fee, memo);
        if (token == address(0)) {
            Address.sendValue(payable(recipient), net);
        } else {
            IERC20(token).safeTransferFrom(sender, recipient, net);
        }
    }

    function _payFee(address token, address sender, uint256 fee) private {
        if (fee == 0) {
            return;
        }
        if (token == address(0)) {
            Address.sendValue(payable(_feeRecipient), fee);
        } else {
            IERC20(token).safeTransferFrom(sender, _feeRecipient, fee);
        }
    }

    /// @dev As {_tip} then {_payFee} for an ERC-20 tip the router already holds (pulled by an authorization).
    function _tipFromRouter(address token, address sender, address recipient, uint256 amount, string calldata memo)
        private
    {
        (uint256 fee, uint256 net) = quote(amount);
        emit Tipped(recipient, sender, token, amount, fee, memo);
        IERC20(token).safeTransfer(recipient, net);
        if (fee != 0) {
            IERC20(token).safeTransfer(_feeRecipient, fee);
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
