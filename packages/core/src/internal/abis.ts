// The few fragments core calls, kept here so the widgets bundle no full ABIs.
// test/abis.test.ts checks each one against @tokentags/contracts.

export const vestingVaultAbi = [
  {
    type: 'function',
    name: 'token',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'address' }],
  },
  {
    type: 'function',
    name: 'scheduleIdsOf',
    stateMutability: 'view',
    inputs: [{ name: 'beneficiary', type: 'address' }],
    outputs: [{ name: '', type: 'uint256[]' }],
  },
  {
    type: 'function',
    name: 'getSchedule',
    stateMutability: 'view',
    inputs: [{ name: 'id', type: 'uint256' }],
    outputs: [
      {
        name: '',
        type: 'tuple',
        components: [
          { name: 'beneficiary', type: 'address' },
          { name: 'start', type: 'uint64' },
          { name: 'cliff', type: 'uint64' },
          { name: 'duration', type: 'uint64' },
          { name: 'revocable', type: 'bool' },
          { name: 'revoked', type: 'bool' },
          { name: 'total', type: 'uint256' },
          { name: 'released', type: 'uint256' },
        ],
      },
    ],
  },
  {
    type: 'function',
    name: 'claimable',
    stateMutability: 'view',
    inputs: [{ name: 'id', type: 'uint256' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'claim',
    stateMutability: 'nonpayable',
    inputs: [{ name: 'id', type: 'uint256' }],
    outputs: [],
  },
  {
    type: 'function',
    name: 'claimMany',
    stateMutability: 'nonpayable',
    inputs: [{ name: 'ids', type: 'uint256[]' }],
    outputs: [],
  },
  { type: 'error', name: 'VestingVaultUnknownSchedule', inputs: [{ name: 'id', type: 'uint256' }] },
  {
    type: 'error',
    name: 'VestingVaultNotBeneficiary',
    inputs: [
      { name: 'id', type: 'uint256' },
      { name: 'caller', type: 'address' },
    ],
  },
  { type: 'error', name: 'VestingVaultNothingToClaim', inputs: [{ name: 'id', type: 'uint256' }] },
] as const

export const erc20MetadataAbi = [
  {
    type: 'function',
    name: 'symbol',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'string' }],
  },
  {
    type: 'function',
    name: 'decimals',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'uint8' }],
  },
] as const
