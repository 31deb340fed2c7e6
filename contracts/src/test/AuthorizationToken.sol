// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @dev TEST ONLY. A USDC-style token: 6 decimals, EIP-2612 {permit} and EIP-3009 transfers by signed authorization
 * ({transferWithAuthorization}, {receiveWithAuthorization}, {cancelAuthorization}). Like USDC it knows nothing of
 * ERC-2771: a forwarded call sees the forwarder as the sender. Anyone may {mint}: never deploy it outside tests.
 *
 * EIP-3009 authorizations use random 32-byte nonces, each usable once per authorizer, and the token's EIP-712
 * domain (see {eip712Domain}).
 */
contract AuthorizationToken is ERC20Permit {
    /// @dev keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH =
        0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267;
    /// @dev keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH =
        0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8;
    /// @dev keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429;

    mapping(address authorizer => mapping(bytes32 nonce => bool)) private _authorizationStates;

    /// @dev `authorizer`'s authorization `nonce` was used.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);

    /// @dev `authorizer`'s authorization `nonce` was canceled.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @dev The authorization is outside its validity window `(validAfter, validBefore)` at `timestamp`.
    error AuthorizationTokenNotValidNow(uint256 timestamp, uint256 validAfter, uint256 validBefore);

    /// @dev `authorizer` already used or canceled `nonce`.
    error AuthorizationTokenUsedNonce(address authorizer, bytes32 nonce);

    /// @dev The signature does not come from `authorizer`.
    error AuthorizationTokenInvalidSignature(address authorizer);

    /// @dev {receiveWithAuthorization} must be called by the payee `to`, not `caller`.
    error AuthorizationTokenCallerNotPayee(address caller, address to);

    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) ERC20Permit(name_) {}

    /// @dev 6, as USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @dev Mints `amount` to `to`. TEST ONLY: anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Whether `authorizer` has used or canceled `nonce`.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /**
     * @dev Moves `value` from `from` to `to` with `from`'s signed authorization; anyone may submit it.
     *
     * Requirements:
     *
     * - `validAfter < block.timestamp < validBefore`; `nonce` unused by `from`; the signature is `from`'s.
     *
     * Emits an {AuthorizationUsed} and a {Transfer} event.
     */
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _useAuthorization(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, v, r, s);
        _transfer(from, to, value);
    }

    /**
     * @dev As {transferWithAuthorization}, but only the payee `to` may submit it (so a contract can rely on the
     * payment arriving in the same call and bind its own parameters to the nonce).
     *
     * Requirements:
     *
     * - as {transferWithAuthorization}; the caller is `to`.
     *
     * Emits an {AuthorizationUsed} and a {Transfer} event.
     */
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
    ) external {
        if (msg.sender != to) {
            revert AuthorizationTokenCallerNotPayee(msg.sender, to);
        }
        _useAuthorization(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce, v, r, s);
        _transfer(from, to, value);
    }

    /**
     * @dev Cancels `authorizer`'s unused authorization `nonce`, with `authorizer`'s signature.
     *
     * Requirements:
     *
     * - `nonce` unused by `authorizer`; the signature is `authorizer`'s.
     *
     * Emits an {AuthorizationCanceled} event.
     */
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external {
        _requireUnused(authorizer, nonce);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
        _requireSigner(digest, authorizer, v, r, s);
        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    function _useAuthorization(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
        if (block.timestamp <= validAfter || block.timestamp >= validBefore) {
            revert AuthorizationTokenNotValidNow(block.timestamp, validAfter, validBefore);
        }
        _requireUnused(from, nonce);
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)));
        _requireSigner(digest, from, v, r, s);
        _authorizationStates[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
    }

    function _requireUnused(address authorizer, bytes32 nonce) private view {
        if (_authorizationStates[authorizer][nonce]) {
            revert AuthorizationTokenUsedNonce(authorizer, nonce);
        }
    }

    function _requireSigner(bytes32 digest, address signer, uint8 v, bytes32 r, bytes32 s) private pure {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, v, r, s);
        if (err != ECDSA.RecoverError.NoError || recovered != signer) {
            revert AuthorizationTokenInvalidSignature(signer);
        }
    }
}
