// Issue 13, finding 9: on OP-stack chains a transaction also pays an L1 data fee, reported in the
// receipt's `l1Fee`; settlement must charge it. anvil has no such fee, so this runs on a recorded
// Base Sepolia receipt (test/fixtures/baseSepoliaReceipt.ts says where it comes from).

import { describe, expect, it } from 'vitest'
import { receiptL1Fee, receiptShares } from '../src/evm/batcher/settlement.js'
import { baseSepoliaReceipt as recorded } from './fixtures/baseSepoliaReceipt.js'

const gasUsed = BigInt(recorded.gasUsed)
const effectiveGasPrice = BigInt(recorded.effectiveGasPrice)

describe('a recorded Base Sepolia receipt', () => {
  it('carries an L1 fee that follows from its own fields (Ecotone): a genuine fee to account for', () => {
    // l1Fee = l1GasUsed × (16 × baseFeeScalar × l1BaseFee + blobBaseFeeScalar × blobBaseFee) / (16 × 10^6)
    const weighted =
      16n * BigInt(recorded.l1BaseFeeScalar) * BigInt(recorded.l1GasPrice) +
      BigInt(recorded.l1BlobBaseFeeScalar) * BigInt(recorded.l1BlobBaseFee)
    expect((BigInt(recorded.l1GasUsed) * weighted) / (16n * 1_000_000n)).toBe(receiptL1Fee(recorded))
    // The L1 part is most of what this transaction cost: leaving it out under-counts ~1000×.
    expect(receiptL1Fee(recorded)).toBe(20_531_405_242_323n)
    expect(receiptL1Fee(recorded)).toBeGreaterThan(900n * gasUsed * effectiveGasPrice)
  })

  it('is charged in full, L1 fee included, split by measured gas and adding up exactly', () => {
    const receipt = { ...recorded, gasUsed, effectiveGasPrice } as never
    const requests = [
      { request: { gas: 80_000n, data: '0xa9059cbb' as const }, measuredGas: 48_252n },
      { request: { gas: 1_000_000n, data: '0xa9059cbb' as const }, measuredGas: 48_252n },
      { request: { gas: 300_000n, data: '0x379607f5' as const }, measuredGas: 81_540n },
    ]
    const shares = receiptShares(receipt, requests)
    const total = gasUsed * effectiveGasPrice + 20_531_405_242_323n
    expect(shares.reduce((a, b) => a + b, 0n)).toBe(total)
    const [a = 0n, b = 0n, c = 0n] = shares
    expect(a > b ? a - b : b - a).toBeLessThanOrEqual(1n)
    const exact = (total * 81_540n) / 178_044n
    expect([exact, exact + 1n]).toContain(c)
  })
})
