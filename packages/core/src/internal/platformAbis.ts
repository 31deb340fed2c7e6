// Fragments of TipRouter and TokenSale that core calls (generated from @tokentags/contracts; test/abis checks them).

export const tipRouterAbi = [
  {
    type: 'function',
    name: 'tip',
    stateMutability: 'payable',
    inputs: [
      { name: 'token', type: 'address' },
      { name: 'recipient', type: 'address' },
      { name: 'amount', type: 'uint256' },
      { name: 'memo', type: 'string' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'tipWithPermit',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'token', type: 'address' },
      { name: 'recipient', type: 'address' },
      { name: 'amount', type: 'uint256' },
      { name: 'memo', type: 'string' },
      { name: 'deadline', type: 'uint256' },
      { name: 'v', type: 'uint8' },
      { name: 'r', type: 'bytes32' },
      { name: 's', type: 'bytes32' },
    ],
    outputs: [],
  },
  {
    type: 'error',
    name: 'TipRouterInvalidTip',
    inputs: [
      { name: 'recipient', type: 'address' },
      { name: 'amount', type: 'uint256' },
    ],
  },
  {
    type: 'error',
    name: 'TipRouterWrongValue',
    inputs: [
      { name: 'value', type: 'uint256' },
      { name: 'expected', type: 'uint256' },
    ],
  },
] as const

export const tokenSaleAbi = [
  {
    type: 'function',
    name: 'buy',
    stateMutability: 'payable',
    inputs: [
      { name: 'amountIn', type: 'uint256' },
      { name: 'minOut', type: 'uint256' },
    ],
    outputs: [{ name: 'amountOut', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'buyWithPermit',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'amountIn', type: 'uint256' },
      { name: 'minOut', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
      { name: 'v', type: 'uint8' },
      { name: 'r', type: 'bytes32' },
      { name: 's', type: 'bytes32' },
    ],
    outputs: [{ name: 'amountOut', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'config',
    stateMutability: 'view',
    inputs: [],
    outputs: [
      {
        name: '',
        type: 'tuple',
        components: [
          { name: 'saleToken', type: 'address' },
          { name: 'paymentToken', type: 'address' },
          { name: 'price', type: 'uint256' },
          { name: 'start', type: 'uint64' },
          { name: 'end', type: 'uint64' },
          { name: 'totalCap', type: 'uint256' },
          { name: 'perBuyerCap', type: 'uint256' },
          { name: 'admin', type: 'address' },
          { name: 'proceedsRecipient', type: 'address' },
        ],
      },
    ],
  },
  { type: 'function', name: 'paused', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'bool' }] },
  {
    type: 'function',
    name: 'purchased',
    stateMutability: 'view',
    inputs: [{ name: 'buyer', type: 'address' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'quote',
    stateMutability: 'view',
    inputs: [{ name: 'amountIn', type: 'uint256' }],
    outputs: [{ name: 'amountOut', type: 'uint256' }],
  },
  { type: 'function', name: 'sold', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'error', name: 'EnforcedPause', inputs: [] },
  {
    type: 'error',
    name: 'TokenSaleBuyerCapExceeded',
    inputs: [
      { name: 'buyer', type: 'address' },
      { name: 'amountOut', type: 'uint256' },
      { name: 'available', type: 'uint256' },
    ],
  },
  {
    type: 'error',
    name: 'TokenSaleNotOpen',
    inputs: [
      { name: 'timestamp', type: 'uint256' },
      { name: 'start', type: 'uint64' },
      { name: 'end', type: 'uint64' },
    ],
  },
  {
    type: 'error',
    name: 'TokenSaleSlippage',
    inputs: [
      { name: 'amountOut', type: 'uint256' },
      { name: 'minOut', type: 'uint256' },
    ],
  },
  {
    type: 'error',
    name: 'TokenSaleTotalCapExceeded',
    inputs: [
      { name: 'amountOut', type: 'uint256' },
      { name: 'available', type: 'uint256' },
    ],
  },
  {
    type: 'error',
    name: 'TokenSaleWrongValue',
    inputs: [
      { name: 'value', type: 'uint256' },
      { name: 'expected', type: 'uint256' },
    ],
  },
  { type: 'error', name: 'TokenSaleZeroAmount', inputs: [{ name: 'amountIn', type: 'uint256' }] },
] as const
