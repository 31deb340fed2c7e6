// The hand-written `GasMeter.measure` calldata (src/evm/hotPath/encodeMeter.ts) against viem's
// `encodeFunctionData` with the meter's ABI from @tokentags/contracts.
import { gasMeterAbi } from '@tokentags/contracts'
import fc from 'fast-check'
import { encodeFunctionData } from 'viem'
import { describe, expect, it } from 'vitest'
import { encodeMeterCall } from '../../src/evm/hotPath/encodeMeter.js'
import { address, bytes, hex, RUNS } from './arbitraries.js'

describe('hot path: GasMeter.measure calldata', () => {
  it("encodes measure(target, data) exactly as viem's encodeFunctionData", () => {
    fc.assert(
      fc.property(address, bytes(), (target, data) => {
        const expected = encodeFunctionData({ abi: gasMeterAbi, functionName: 'measure', args: [target, hex(data)] })
        expect(encodeMeterCall(target, hex(data))).toBe(expected)
      }),
      RUNS,
    )
  })
})
