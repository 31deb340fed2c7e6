// A batch's gas split over its requests: by each one's share of the gas limit, rounded up, so the
// split covers the whole receipt and no request pays more than the worst case reserved for it.

import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { receiptShares } from '../src/evm/batcher/settlement.js'
import { requestGas } from '../src/evm/gas.js'

const request = (gas: bigint, data: Hex = '0xa9059cbb') => ({ request: { gas, data } })

describe('receiptShares', () => {
  it('splits the gas used by each request share of the limit, rounding up', () => {
    const requests = [request(80_000n), request(200_000n, `0x${'ab'.repeat(100)}`), request(21_000n)]
    const units = requests.map((r) => requestGas(r.request))
    const total = units.reduce((a, b) => a + b, 0n)
    const receipt = { gasUsed: 250_001n, effectiveGasPrice: 3n }
    const shares = receiptShares(receipt, requests)
    expect(shares).toEqual(units.map((u) => (receipt.gasUsed * u * 3n + total - 1n) / total))
    const paid = shares.reduce((a, b) => a + b, 0n)
    // Rounded up: the split covers the receipt, overshooting by less than one wei per request.
    expect(paid).toBeGreaterThanOrEqual(receipt.gasUsed * 3n)
    expect(paid - receipt.gasUsed * 3n).toBeLessThan(BigInt(requests.length))
    for (const [i, share] of shares.entries()) expect(share).toBeLessThanOrEqual((units[i] ?? 0n) * 3n)
  })

  it('charges nothing without a gas price', () => {
    expect(receiptShares({ gasUsed: 100_000n, effectiveGasPrice: 0n }, [request(80_000n)])).toEqual([0n])
  })
})
