// ERC-20 fragments core calls on arbitrary tokens: transfers, allowance, EIP-2612 permit, EIP-3009 authorizations,
// EIP-5267 domain and ERC-2771 forwarder trust. Kept small so the widgets bundle no full ABIs.

const fn = <
  const N extends string,
  const I extends readonly { name: string; type: string }[],
  const O extends readonly { name: string; type: string }[],
>(
  name: N,
  stateMutability: 'view' | 'nonpayable',
  inputs: I,
  outputs: O,
) => ({ type: 'function', name, stateMutability, inputs, outputs }) as const

const address = (name: string) => ({ name, type: 'address' }) as const
const uint = (name: string) => ({ name, type: 'uint256' }) as const

export const erc20Abi = [
  fn('transfer', 'nonpayable', [address('to'), uint('amount')], [{ name: '', type: 'bool' }]),
  fn('approve', 'nonpayable', [address('spender'), uint('amount')], [{ name: '', type: 'bool' }]),
  fn('allowance', 'view', [address('owner'), address('spender')], [uint('')]),
  fn('balanceOf', 'view', [address('owner')], [uint('')]),
  fn('symbol', 'view', [], [{ name: '', type: 'string' }]),
  fn('decimals', 'view', [], [{ name: '', type: 'uint8' }]),
  fn('name', 'view', [], [{ name: '', type: 'string' }]),
  fn('version', 'view', [], [{ name: '', type: 'string' }]),
  fn('nonces', 'view', [address('owner')], [uint('')]),
  fn('DOMAIN_SEPARATOR', 'view', [], [{ name: '', type: 'bytes32' }]),
  fn(
    'authorizationState',
    'view',
    [address('authorizer'), { name: 'nonce', type: 'bytes32' }],
    [{ name: '', type: 'bool' }],
  ),
  fn('isTrustedForwarder', 'view', [address('forwarder')], [{ name: '', type: 'bool' }]),
  fn(
    'eip712Domain',
    'view',
    [],
    [
      { name: 'fields', type: 'bytes1' },
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      uint('chainId'),
      address('verifyingContract'),
      { name: 'salt', type: 'bytes32' },
      { name: 'extensions', type: 'uint256[]' },
    ],
  ),
] as const

/**
 * The TipRouter function an EIP-3009 tip needs (proposed; not in TipRouter yet): anyone may submit it, the
 * authorization (a `ReceiveWithAuthorization` to the router) is the user's only signature, and its nonce binds the
 * recipient and memo: `keccak256(abi.encode(recipient, keccak256(bytes(memo)), salt))`.
 */
export const tipWithAuthorizationAbi = [
  fn(
    'tipWithAuthorization',
    'nonpayable',
    [
      address('token'),
      address('from'),
      address('recipient'),
      uint('amount'),
      { name: 'memo', type: 'string' },
      uint('validAfter'),
      uint('validBefore'),
      { name: 'salt', type: 'bytes32' },
      { name: 'v', type: 'uint8' },
      { name: 'r', type: 'bytes32' },
      { name: 's', type: 'bytes32' },
    ],
    [],
  ),
] as const

export const permitTypes = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const

export const receiveWithAuthorizationTypes = {
  ReceiveWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const
