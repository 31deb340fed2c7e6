// A batch's cost split over its requests by the gas each was measured to need at admission (never
// by declared gas: issue 13, finding 6), the shares adding up to the receipt exactly; on OP-stack
// chains the receipt's L1 data fee is part of the cost (finding 9).

import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { receiptL1Fee, receiptShares } from '../src/evm/batcher/settlement.js'
import { requestGas } from '../src/evm/gas.js'

const request = (gas: bigint, measuredGas?: bigint, data: Hex = '0xa9059cbb') => ({
  request: { gas, data },
  ...(measuredGas === undefined ? {} : { measuredGas }),
})
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n)

describe('receiptShares', () => {
  it('charges two identical calls the same, whatever gas each declared', () => {
    // The finding: 80,000 and 1,000,000 declared, the same transfer measured at 48,252 each.
    const shares = receiptShares({ gasUsed: 129_583n, effectiveGasPrice: 1_000_000_007n }, [
      request(80_000n, 48_252n),
      request(1_000_000n, 48_252n),
    ])
    const [a = 0n, b = 0n] = shares
    expect(a > b ? a - b : b - a).toBeLessThanOrEqual(1n)
    expect(sum(shares)).toBe(129_583n * 1_000_000_007n)
  })

  it('splits by measured gas, adding up to the receipt exactly, each share within 1 wei of its part', () => {
    const requests = [request(80_000n, 48_252n), request(200_000n, 131_009n), request(21_000n, 27_001n)]
    const receipt = { gasUsed: 250_001n, effectiveGasPrice: 3n }
    const shares = receiptShares(receipt, requests)
    const total = 250_001n * 3n
    expect(sum(shares)).toBe(total)
    const weights = [48_252n, 131_009n, 27_001n]
    for (const [i, share] of shares.entries()) {
      const exact = (total * (weights[i] ?? 0n)) / sum(weights)
      expect(share - exact).toBeGreaterThanOrEqual(0n)
      expect(share - exact).toBeLessThanOrEqual(1n)
    }
    // The largest remainders get the leftover wei, not the first requests.
    expect(receiptShares({ gasUsed: 5n, effectiveGasPrice: 1n }, [request(1n, 1n), request(1n, 3n)])).toEqual([1n, 4n])
  })

  it('weighs a request stored before measurement by its declared worst case', () => {
    const requests = [request(80_000n), request(200_000n, undefined, `0x${'ab'.repeat(100)}`)]
    const shares = receiptShares({ gasUsed: 100_000n, effectiveGasPrice: 7n }, requests)
    const [u0, u1] = requests.map((r) => requestGas(r.request)) as [bigint, bigint]
    const floor0 = (700_000n * u0) / (u0 + u1)
    expect([floor0, floor0 + 1n]).toContain(shares[0])
    expect(sum(shares)).toBe(700_000n)
  })

  it('adds an OP-stack receipt\u2019s L1 data fee to what the requests pay', () => {
    const requests = [request(80_000n, 50_000n), request(80_000n, 50_000n), request(80_000n, 100_000n)]
    const hex = receiptShares({ gasUsed: 300_000n, effectiveGasPrice: 1_000n, l1Fee: '0x3e8' } as never, requests)
    expect(sum(hex)).toBe(300_000_000n + 1_000n)
    expect(hex).toEqual([75_000_250n, 75_000_250n, 150_000_500n])
    const parsed = receiptShares({ gasUsed: 300_000n, effectiveGasPrice: 1_000n, l1Fee: 1_000n } as never, requests)
    expect(parsed).toEqual(hex)
  })

  it('charges nothing without a gas price or an L1 fee', () => {
    expect(receiptShares({ gasUsed: 100_000n, effectiveGasPrice: 0n }, [request(80_000n, 1n)])).toEqual([0n])
  })
})

describe('receiptL1Fee', () => {
  it('reads hex, decimal and parsed bigint, and nothing else', () => {
    expect(receiptL1Fee({ l1Fee: '0x4ab5901' })).toBe(0x4ab5901n)
    expect(receiptL1Fee({ l1Fee: '20531405242323' })).toBe(20_531_405_242_323n)
    expect(receiptL1Fee({ l1Fee: 5n })).toBe(5n)
    expect(receiptL1Fee({})).toBe(0n)
    expect(receiptL1Fee({ l1Fee: null })).toBe(0n)
    expect(receiptL1Fee({ l1Fee: '-1' })).toBe(0n)
  })
})
