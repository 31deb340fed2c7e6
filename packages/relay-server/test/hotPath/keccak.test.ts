// The hand-tuned keccak and EIP-55 checksum (src/evm/hotPath/keccak.ts) against viem's `keccak256` and `getAddress`.
import fc from 'fast-check'
import { getAddress, keccak256, stringToBytes } from 'viem'
import { describe, expect, it } from 'vitest'
import { checksumAddress, keccak256Bytes, keccak256Hex } from '../../src/evm/hotPath/keccak.js'
import { bytes, hex, RUNS } from './arbitraries.js'

describe('hot path: keccak', () => {
  it("hashes bytes as viem's keccak256 (empty, block boundaries, long)", () => {
    fc.assert(
      fc.property(bytes(20_000), (data) => {
        const expected = keccak256(data)
        expect(keccak256Hex(data)).toBe(expected)
        expect(hex(keccak256Bytes(data))).toBe(expected)
      }),
      RUNS,
    )
  })

  it("hashes text as viem's keccak256 of its UTF-8 bytes (non-ASCII too)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ maxLength: 200 })), (text) => {
        expect(keccak256Hex(text)).toBe(keccak256(stringToBytes(text)))
      }),
      RUNS,
    )
  })

  it("checksums an address in any case as viem's getAddress", () => {
    const anyCase = fc
      .tuple(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.constantFrom('lower', 'upper', 'mixed'),
        fc.infiniteStream(fc.boolean()),
      )
      .map(([b, style, flips]) => {
        const lower = hex(b).slice(2)
        if (style === 'lower') return { address: `0x${lower}`, lower }
        if (style === 'upper') return { address: `0x${lower.toUpperCase()}`, lower }
        const mixed = [...lower].map((c) => (flips.next().value ? c.toUpperCase() : c)).join('')
        return { address: `0x${mixed}`, lower }
      })
    const edges = fc
      .constantFrom(`0x${'0'.repeat(40)}`, `0x${'f'.repeat(40)}`, `0x${'F'.repeat(40)}`)
      .map((address) => ({
        address,
        lower: address.slice(2).toLowerCase(),
      }))
    fc.assert(
      fc.property(fc.oneof(anyCase, edges), ({ address, lower }) => {
        expect(checksumAddress(address)).toBe(getAddress(`0x${lower}`))
      }),
      RUNS,
    )
  })
})
