// Inputs for the hot-path reference tests: a fixed seed so a failure reproduces, the edge values
// mixed in with random ones.
import fc from 'fast-check'
import type { Address, Hex } from 'viem'
import { getAddress } from 'viem'

/** fast-check's settings for every property here: a fixed seed, about 500 cases. */
export const RUNS = { seed: 0x1205, numRuns: 500 } as const

export const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}` as Hex

/** An unsigned integer of `bits`: zero, one and the maximum often, random values otherwise. */
export const uint = (bits: number) => {
  const max = 2n ** BigInt(bits) - 1n
  return fc.oneof(fc.constantFrom(0n, 1n, max - 1n, max), fc.bigInt({ min: 0n, max }))
}

/** Byte strings of the lengths that matter to an encoder (empty, around a word, around keccak's 136-byte block) and long ones. */
export const bytes = (maxLength = 4096) =>
  fc.oneof(
    fc
      .constantFrom(0, 1, 31, 32, 33, 63, 64, 65, 135, 136, 137)
      .chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ minLength: 300, maxLength }),
  )

const rawAddress = fc.oneof(
  fc.constantFrom(new Uint8Array(20), new Uint8Array(20).fill(0xff)),
  fc.uint8Array({ minLength: 20, maxLength: 20 }),
)

/** An address as the route's schema hands it on (checksummed) or in lower case. */
export const address = fc
  .tuple(rawAddress, fc.boolean())
  .map(([b, checksummed]) => (checksummed ? getAddress(hex(b)) : (hex(b) as Address)))
