// The hand-written EIP-712 digest and the native recovery (src/evm/hotPath/signature.ts) against viem's
// `hashTypedData` and `recoverTypedDataAddress`, with the types of @tokentags/contracts/forwarder; the JS
// fallback (no libsecp256k1 binding) forced and held to the same reference.
import { forwardRequestTypes } from '@tokentags/contracts/forwarder'
import fc from 'fast-check'
import { type Address, type Hex, hashTypedData, recoverTypedDataAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, it, vi } from 'vitest'
import * as native from '../../src/evm/hotPath/signature.js'
import type { ForwardRequest } from '../../src/store/types.js'
import { address, bytes, hex, RUNS, uint } from './arbitraries.js'

/** secp256k1's group order. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

/** The module loaded as on a machine without the binding: `require('secp256k1/bindings')` fails. */
async function loadWithoutBinding(): Promise<typeof native> {
  vi.resetModules()
  vi.doMock('node:module', async (importOriginal) => {
    const actual = await importOriginal<typeof import('node:module')>()
    const createRequire = (url: string | URL) => {
      const require = actual.createRequire(url)
      return Object.assign((id: string) => {
        if (id === 'secp256k1/bindings') {
          throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' })
        }
        return require(id)
      }, require)
    }
    return { ...actual, createRequire, default: { ...actual, createRequire } }
  })
  try {
    return await import('../../src/evm/hotPath/signature.js')
  } finally {
    vi.doUnmock('node:module')
  }
}
const fallback = await loadWithoutBinding()
afterAll(() => vi.resetModules())

const domain = fc.record({
  name: fc.oneof(fc.constant('TokenTags Forwarder'), fc.string({ unit: 'grapheme', maxLength: 40 })),
  version: fc.oneof(fc.constant('1'), fc.string({ maxLength: 8 })),
  chainId: fc.oneof(fc.constantFrom(1, 31337, Number.MAX_SAFE_INTEGER), fc.integer({ min: 1, max: 2 ** 40 })),
  verifyingContract: address,
})
const request = (from: fc.Arbitrary<Address>) =>
  fc.record({
    from,
    to: address,
    value: uint(256),
    gas: uint(256),
    nonce: uint(256),
    deadline: uint(48),
    data: bytes(2048).map(hex),
  })
const key = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => BigInt(hex(b)))
  .filter((k) => k > 0n && k < N)
  .map((k) => `0x${k.toString(16).padStart(64, '0')}` as Hex)

const message = (r: ForwardRequest) => ({ ...r, deadline: Number(r.deadline) })
const reference = {
  digest: (d: native.ForwarderDomain, r: ForwardRequest) =>
    hashTypedData({ domain: d, types: forwardRequestTypes, primaryType: 'ForwardRequest', message: message(r) }),
  recover: (d: native.ForwarderDomain, r: ForwardRequest, signature: Hex) =>
    recoverTypedDataAddress({
      domain: d,
      types: forwardRequestTypes,
      primaryType: 'ForwardRequest',
      message: message(r),
      signature,
    }),
}
/** The recovered address, or that none could be recovered: the verdict both sides must agree on. */
const verdict = (recovering: Promise<Address>) =>
  recovering.then(
    (a) => a,
    () => 'throws',
  )
const word = (v: bigint) => v.toString(16).padStart(64, '0')

describe('hot path: forward request signatures', () => {
  it('uses the native secp256k1 binding here, and the fallback when it is missing', () => {
    expect(native.nativeSecp256k1).toBe(true)
    expect(fallback.nativeSecp256k1).toBe(false)
  })

  it("computes the EIP-712 digest as viem's hashTypedData", () => {
    fc.assert(
      fc.property(domain, request(address), (d, r) => {
        expect(hex(native.forwardRequestDigest(d, r))).toBe(reference.digest(d, r))
      }),
      RUNS,
    )
  })

  it("recovers the signer as viem's recoverTypedDataAddress, natively and on the JS fallback", async () => {
    await fc.assert(
      fc.asyncProperty(key, domain, request(address), async (privateKey, d, partial) => {
        const account = privateKeyToAccount(privateKey)
        const r = { ...partial, from: account.address }
        const signature = await account.signTypedData({
          domain: d,
          types: forwardRequestTypes,
          primaryType: 'ForwardRequest',
          message: message(r),
        })
        expect(await reference.recover(d, r, signature)).toBe(account.address)
        const other = { ...r, nonce: r.nonce ^ 1n }
        const otherSigner = await verdict(reference.recover(d, other, signature))
        for (const m of [native, fallback]) {
          expect(await m.recoverForwardRequestSigner(d, r, signature)).toBe(account.address)
          expect(await m.signedBy(d, r, signature, account.address)).toBe(true)
          expect(await m.signedBy(d, r, signature, account.address.toLowerCase() as Address)).toBe(true)
          expect(await m.signedBy(d, r, signature, partial.to)).toBe(
            partial.to.toLowerCase() === account.address.toLowerCase(),
          )
          // Another request recovers whoever viem recovers for it: not the signer.
          expect(await verdict(m.recoverForwardRequestSigner(d, other, signature))).toBe(otherSigner)
          expect(otherSigner).not.toBe(account.address)
        }
      }),
      RUNS,
    )
  })

  it('gives the same verdict as viem on high-s, out-of-range and random signatures', async () => {
    const scalar = fc.oneof(fc.constantFrom(0n, 1n, N / 2n, N / 2n + 1n, N - 1n, N, N + 1n, 2n ** 256n - 1n), uint(256))
    await fc.assert(
      fc.asyncProperty(
        key,
        domain,
        request(address),
        scalar,
        scalar,
        fc.constantFrom(27, 28),
        async (privateKey, d, partial, rValue, sValue, v) => {
          const account = privateKeyToAccount(privateKey)
          const r = { ...partial, from: account.address }
          const signed = await account.signTypedData({
            domain: d,
            types: forwardRequestTypes,
            primaryType: 'ForwardRequest',
            message: message(r),
          })
          // The signature's malleable twin (n - s, the other v): the same signer for viem, so for the relay
          // (the route refuses a high s before recovery, as OpenZeppelin's ECDSA does).
          const s = BigInt(`0x${signed.slice(66, 130)}`)
          const twinV = signed.slice(130) === '1b' ? '1c' : '1b'
          const twin = `${signed.slice(0, 66)}${word(N - s)}${twinV}` as Hex
          const random = `0x${word(rValue)}${word(sValue)}${v.toString(16)}` as Hex
          for (const signature of [twin, random]) {
            const expected = await verdict(reference.recover(d, r, signature))
            for (const m of [native, fallback]) {
              expect(await verdict(m.recoverForwardRequestSigner(d, r, signature))).toBe(expected)
              const signedBy = await m.signedBy(d, r, signature, account.address).then(
                (yes) => yes,
                () => 'throws',
              )
              expect(signedBy).toBe(expected === 'throws' ? 'throws' : expected === account.address)
            }
          }
          expect(await verdict(native.recoverForwardRequestSigner(d, r, twin))).toBe(account.address)
        },
      ),
      RUNS,
    )
  })
})
