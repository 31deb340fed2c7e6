// The gas model's measured weight (src/evm/gas.ts `meteredRequestGas`): what the meter measured of `execute` plus
// the request's calldata in a batch, priced from its bytes, except the words a client or chance picks.
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { calldataGas, meteredRequestGas } from '../src/evm/gas.js'
import { encodeExecuteCall } from '../src/evm/hotPath/encodeExecute.js'
import type { ForwardRequest } from '../src/store/types.js'

const request: ForwardRequest = {
  from: '0x1111111111111111111111111111111111111111',
  to: '0x2222222222222222222222222222222222222222',
  value: 0n,
  gas: 80_000n,
  nonce: 0n,
  deadline: 1_765_000_001n,
  data: '0xa9059cbb000000000000000000000000000000000000000000000000000000000000beef0000000000000000000000000000000000000000000000000000000000000001',
}
const signature: Hex = `0x${'ab'.repeat(64)}1b`
const weight = (r: ForwardRequest, s: Hex = signature) => meteredRequestGas(50_000n, encodeExecuteCall(r, s))

describe('meteredRequestGas', () => {
  it('weighs two requests alike whatever gas they declare, whenever they expire and whatever their signature bytes', () => {
    const base = weight(request)
    expect(weight({ ...request, gas: 65_536n })).toBe(base) // 0x010000: two zero bytes where 80,000 has none
    expect(weight({ ...request, gas: 1_000_000n })).toBe(base)
    expect(weight({ ...request, deadline: 1_765_000_192n })).toBe(base) // 0x693402c0 vs 0x69340200: a zero byte
    expect(weight(request, `0x00${'ab'.repeat(30)}0000${'ab'.repeat(31)}1c`)).toBe(base)
  })

  it("prices the request's other bytes as the batch's calldata does: 4 per zero byte, 16 per other", () => {
    const one = weight({ ...request, data: `0x${'00'.repeat(68)}` })
    expect(weight({ ...request, data: `0x01${'00'.repeat(67)}` }) - one).toBe(12n)
    // 97 zero bytes instead of 68: one more word in the batch's calldata (the offsets and length keep their bytes).
    expect(weight({ ...request, data: `0x${'00'.repeat(97)}` }) - one).toBe(32n * 4n)
    expect(weight({ ...request, from: '0x1111111111111111111111111111111111111100' }) - weight(request)).toBe(-12n)
    expect(calldataGas('0x00ff00ff')).toBe(40n)
  })

  it('adds the measured execute gas one for one', () => {
    const encoded = encodeExecuteCall(request, signature)
    expect(meteredRequestGas(60_000n, encoded) - meteredRequestGas(50_000n, encoded)).toBe(10_000n)
  })
})
