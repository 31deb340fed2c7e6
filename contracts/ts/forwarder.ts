import { nonces } from './generated/forwarderItems.js'

// What a client and the relay share with `TokenTagsForwarder` (OpenZeppelin v5 `ERC2771Forwarder` as is). Small on
// purpose: browser bundles import it. The whole ABI is `forwarderAbi` of `@tokentags/contracts`.

/** The forwarder's EIP-712 domain name, its constructor's argument (`eip712Domain()` answers it). */
export const FORWARDER_DOMAIN_NAME = 'TokenTags Forwarder'

/** The forwarder's EIP-712 domain version: OpenZeppelin's `ERC2771Forwarder` always uses `"1"`. */
export const FORWARDER_DOMAIN_VERSION = '1'

/** EIP-712 types of a `ForwardRequest`, the struct behind the forwarder's `FORWARD_REQUEST_TYPEHASH`. */
export const forwardRequestTypes = {
  ForwardRequest: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'gas', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint48' },
    { name: 'data', type: 'bytes' },
  ],
} as const

/** Only `nonces(owner)`, the forwarder read a client needs before signing; taken from the compiled artifact. */
export const forwarderNoncesAbi = [nonces] as const
