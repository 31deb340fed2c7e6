// The hand-written `execute` calldata (src/evm/hotPath/encodeExecute.ts) against viem's `encodeFunctionData`
// with the forwarder's ABI from @tokentags/contracts (the whole ABI lives there; /forwarder holds only `nonces`).
import { forwarderAbi } from '@tokentags/contracts'
import fc from 'fast-check'
import { encodeFunctionData } from 'viem'
import { describe, expect, it } from 'vitest'
import { encodeExecuteCall } from '../../src/evm/hotPath/encodeExecute.js'
import { address, bytes, hex, RUNS, uint } from './arbitraries.js'

describe('hot path: execute calldata', () => {
  it("encodes execute(request, signature) exactly as viem's encodeFunctionData", () => {
    fc.assert(
      fc.property(
        address,
        address,
        uint(256),
        uint(256),
        uint(256),
        uint(48),
        bytes(),
        fc.uint8Array({ minLength: 65, maxLength: 65 }),
        (from, to, value, gas, nonce, deadline, data, signature) => {
          const request = { from, to, value, gas, nonce, deadline, data: hex(data) }
          const expected = encodeFunctionData({
            abi: forwarderAbi,
            functionName: 'execute',
            args: [{ from, to, value, gas, deadline: Number(deadline), data: hex(data), signature: hex(signature) }],
          })
          expect(encodeExecuteCall(request, hex(signature))).toBe(expected)
        },
      ),
      RUNS,
    )
  })
})
