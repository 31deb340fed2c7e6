// A budget reservation's price per gas (src/evm/fees.ts reservationPrice), which no test pinned: the mutation run
// (issue 12) left its body, its base fee and its arithmetic alive. Exact figures from a written fee history.

import { describe, expect, it } from 'vitest'
import type { FeePolicy } from '../../src/evm/chain.js'
import { reservationPrice } from '../../src/evm/fees.js'

const policy = (extra: Partial<FeePolicy> = {}): FeePolicy => ({
  minPriorityFeePerGas: 0n,
  confirmations: 1,
  replaceAfterMs: 30_000,
  feeBumpPercent: 12.5,
  ...extra,
})
/** Base fees oldest first (the last is the next block's); tips at the 50th percentile per block. */
const history = { baseFeePerGas: [1n, 2n, 10n], reward: [[3n], [5n], [4n]] }

describe('reservationPrice', () => {
  it('is the next base fee times the multiplier plus the median tip', () => {
    expect(reservationPrice(history, policy(), 2n)).toBe(10n * 2n + 4n)
    expect(reservationPrice(history, policy(), 3n)).toBe(10n * 3n + 4n)
  })

  it('takes the tip within the policy’s floor and cap', () => {
    expect(reservationPrice(history, policy({ minPriorityFeePerGas: 7n }), 2n)).toBe(27n)
    expect(reservationPrice(history, policy({ maxPriorityFeePerGas: 1n }), 2n)).toBe(21n)
  })

  it('is capped by the ceiling, and only above it', () => {
    expect(reservationPrice(history, policy({ maxFeePerGas: 20n }), 2n)).toBe(20n)
    expect(reservationPrice(history, policy({ maxFeePerGas: 30n }), 2n)).toBe(24n)
  })

  it('prices a history without base fees at the tip alone', () => {
    expect(reservationPrice({ baseFeePerGas: [], reward: [[4n]] }, policy(), 2n)).toBe(4n)
  })
})
