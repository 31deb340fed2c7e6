/**
 * The parts of OpenZeppelin v5 `ERC2771Forwarder` the relay calls, plus the errors its calls can
 * revert with. TokenTags deploys that contract as is, so this never drifts from
 * `@tokentags/contracts`'s `forwarderAbi`.
 */
const forwardRequestData = {
  type: 'tuple',
  components: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'gas', type: 'uint256' },
    { name: 'deadline', type: 'uint48' },
    { name: 'data', type: 'bytes' },
    { name: 'signature', type: 'bytes' },
  ],
} as const

export const forwarderAbi = [
  {
    type: 'function',
    name: 'execute',
    stateMutability: 'payable',
    inputs: [{ ...forwardRequestData, name: 'request' }],
    outputs: [],
  },
  {
    type: 'function',
    name: 'executeBatch',
    stateMutability: 'payable',
    inputs: [
      { ...forwardRequestData, type: 'tuple[]', name: 'requests' },
      { name: 'refundReceiver', type: 'address' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'verify',
    stateMutability: 'view',
    inputs: [{ ...forwardRequestData, name: 'request' }],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'nonces',
    stateMutability: 'view',
    inputs: [{ name: 'owner', type: 'address' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'event',
    name: 'ExecutedForwardRequest',
    anonymous: false,
    inputs: [
      { name: 'signer', type: 'address', indexed: true },
      { name: 'nonce', type: 'uint256', indexed: false },
      { name: 'success', type: 'bool', indexed: false },
    ],
  },
  { type: 'error', name: 'ERC2771ForwarderNoRefundReceiver', inputs: [] },
  {
    type: 'error',
    name: 'ERC2771ForwarderInvalidSigner',
    inputs: [
      { name: 'signer', type: 'address' },
      { name: 'from', type: 'address' },
    ],
  },
  {
    type: 'error',
    name: 'ERC2771ForwarderMismatchedValue',
    inputs: [
      { name: 'requestedValue', type: 'uint256' },
      { name: 'msgValue', type: 'uint256' },
    ],
  },
  { type: 'error', name: 'ERC2771ForwarderExpiredRequest', inputs: [{ name: 'deadline', type: 'uint48' }] },
  {
    type: 'error',
    name: 'ERC2771UntrustfulTarget',
    inputs: [
      { name: 'target', type: 'address' },
      { name: 'forwarder', type: 'address' },
    ],
  },
  { type: 'error', name: 'FailedCall', inputs: [] },
  {
    type: 'error',
    name: 'InvalidAccountNonce',
    inputs: [
      { name: 'account', type: 'address' },
      { name: 'currentNonce', type: 'uint256' },
    ],
  },
  { type: 'error', name: 'ECDSAInvalidSignature', inputs: [] },
  { type: 'error', name: 'ECDSAInvalidSignatureLength', inputs: [{ name: 'length', type: 'uint256' }] },
  { type: 'error', name: 'ECDSAInvalidSignatureS', inputs: [{ name: 's', type: 'bytes32' }] },
] as const

/** EIP-712 types of OpenZeppelin's `ForwardRequest` (the forwarder's `FORWARD_REQUEST_TYPEHASH`). */
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

export const FORWARDER_DOMAIN_NAME = 'TokenTags Forwarder'
export const FORWARDER_DOMAIN_VERSION = '1'
