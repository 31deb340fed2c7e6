// The relay's own EIP-712 digest and native recovery agree with viem's reference implementation.
import { forwarderAbi } from '@tokentags/contracts'
import fc from 'fast-check'
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  hashTypedData,
  keccak256,
  recoverTypedDataAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { encodeExecuteCall } from '../src/evm/encodeExecute.js'
import { checksumAddress, keccak256Hex } from '../src/evm/keccak.js'
import { forwardRequestDigest, nativeSecp256k1, recoverForwardRequestSigner, signedBy } from '../src/evm/signature.js'
import { toForwardRequestData } from '../src/evm/simulate.js'

const types = {
  ForwardRequest: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'gas', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint48' },
    { name: 'data', type: 'bytes' },
  ],
} as const

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}` as Hex
const uint = (bits: number) => fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n })
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => hex(b) as Address)

describe('forward request signatures', () => {
  it('uses the native secp256k1 binding here', () => {
    expect(nativeSecp256k1).toBe(true)
  })

  it('computes the same digest and recovers the same signer as viem', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0)),
        address,
        uint(256),
        uint(256),
        uint(256),
        uint(48),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        address,
        async (key, to, value, gas, nonce, deadline, data, chainId, verifyingContract) => {
          let account: ReturnType<typeof privateKeyToAccount>
          try {
            account = privateKeyToAccount(hex(key))
          } catch {
            return // not a valid scalar
          }
          const domain = { name: 'TokenTags Forwarder', version: '1', chainId, verifyingContract }
          const request = { from: account.address, to, value, gas, nonce, deadline, data: hex(data) }
          const message = { ...request, deadline: Number(deadline) }
          const expected = hashTypedData({ domain, types, primaryType: 'ForwardRequest', message })
          expect(hex(forwardRequestDigest(domain, request))).toBe(expected)
          const signature = await account.signTypedData({ domain, types, primaryType: 'ForwardRequest', message })
          expect(await recoverForwardRequestSigner(domain, request, signature)).toBe(account.address)
          expect(
            await recoverTypedDataAddress({ domain, types, primaryType: 'ForwardRequest', message, signature }),
          ).toBe(account.address)
          // Any other request recovers someone else.
          const other = await recoverForwardRequestSigner(domain, { ...request, nonce: nonce + 1n }, signature).catch(
            () => undefined,
          )
          expect(other).not.toBe(account.address)
          // The route's check: the signer in any case, nobody else, and not for another request.
          expect(await signedBy(domain, request, signature, account.address)).toBe(true)
          expect(await signedBy(domain, request, signature, account.address.toLowerCase() as Address)).toBe(true)
          expect(await signedBy(domain, request, signature, to)).toBe(false)
          const otherSigned = await signedBy(
            domain,
            { ...request, nonce: nonce + 1n },
            signature,
            account.address,
          ).catch(() => false)
          expect(otherSigned).toBe(false)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('checksums addresses and hashes exactly as viem does', () => {
    fc.assert(
      fc.property(address, fc.boolean(), (a, upper) => {
        const input = upper ? `0x${a.slice(2).toUpperCase()}` : a
        expect(checksumAddress(input)).toBe(getAddress(a))
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(keccak256Hex(bytes)).toBe(keccak256(bytes))
      }),
      { numRuns: 500 },
    )
  })

  it("encodes execute's calldata exactly as viem does", () => {
    fc.assert(
      fc.property(
        address,
        address,
        uint(256),
        uint(256),
        uint(256),
        uint(48),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 65, maxLength: 65 }),
        (from, to, value, gas, nonce, deadline, data, signature) => {
          const request = { from, to, value, gas, nonce, deadline, data: hex(data) }
          const expected = encodeFunctionData({
            abi: forwarderAbi,
            functionName: 'execute',
            args: [toForwardRequestData(request, hex(signature))],
          })
          expect(encodeExecuteCall(request, hex(signature))).toBe(expected)
        },
      ),
      { numRuns: 300 },
    )
  })
})
