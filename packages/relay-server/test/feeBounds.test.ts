// Fee rules at the edges the property tests of fees.test.ts leave open (issue 11, surviving mutants of
// src/evm/fees.ts): a policy without a tip cap, a tip below its cap, a market tip above the max fee, and a
// previous tip too close to its max fee for any valid replacement.
import { describe, expect, it } from 'vitest'
import type { FeePolicy } from '../src/evm/chain.js'
import { replacementFees, suggestFees } from '../src/evm/fees.js'

const policy: FeePolicy = {
  minPriorityFeePerGas: 1n,
  confirmations: 1,
  replaceAfterMs: 1000,
  feeBumpPercent: 12.5,
}
const history = (baseFee: bigint, tips: bigint[]) => ({
  getFeeHistory: async () => ({ baseFeePerGas: [baseFee], reward: tips.map((t) => [t]) }),
})

describe('suggestFees', () => {
  it('keeps the market tip when the policy has no tip cap', async () => {
    expect(await suggestFees(history(10n, [9n, 40n, 30n]), policy)).toEqual({
      hold: false,
      maxFeePerGas: 50n,
      maxPriorityFeePerGas: 30n,
    })
  })

  it('keeps a tip below the cap as it is', async () => {
    expect(await suggestFees(history(10n, [3n]), { ...policy, maxPriorityFeePerGas: 7n })).toEqual({
      hold: false,
      maxFeePerGas: 23n,
      maxPriorityFeePerGas: 3n,
    })
  })
})

describe('replacementFees', () => {
  it('caps a market tip above the max fee at the max fee', () => {
    const market = { hold: false as const, maxFeePerGas: 50n, maxPriorityFeePerGas: 200n }
    expect(replacementFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 10n }, market, policy)).toEqual({
      maxFeePerGas: 113n,
      maxPriorityFeePerGas: 113n,
    })
  })

  it('gives up when the capped tip would be less than +10% over the previous tip', () => {
    // The previous tip (105) sits above its max fee (100): capped at the bumped max fee (113), the tip
    // would rise under 10% (116 needed), and a node would refuse the replacement.
    const hold = { hold: true as const, baseFee: 0n }
    expect(replacementFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 105n }, hold, policy)).toBeUndefined()
    expect(replacementFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 102n }, hold, policy)).toEqual({
      maxFeePerGas: 113n,
      maxPriorityFeePerGas: 113n,
    })
  })
})
