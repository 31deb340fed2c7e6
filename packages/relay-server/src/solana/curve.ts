import { createHash } from 'node:crypto'
import { base58Encode } from './base58.js'

// Whether 32 bytes decode to a point of ed25519 (a program-derived address must not), as in
// @solana/addresses, with node:crypto's synchronous SHA-256 for the derivation itself.
const P = 2n ** 255n - 19n
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n
const RM1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n
const mod = (a: bigint) => {
  const r = a % P
  return r >= 0n ? r : P + r
}
const pow2 = (x: bigint, power: number) => {
  let r = x
  while (power-- > 0) r = (r * r) % P
  return r
}
function pow2252m3(x: bigint): bigint {
  const x2 = (x * x) % P
  const b2 = (x2 * x) % P
  const b4 = (pow2(b2, 2) * b2) % P
  const b5 = (pow2(b4, 1) * x) % P
  const b10 = (pow2(b5, 5) * b5) % P
  const b20 = (pow2(b10, 10) * b10) % P
  const b40 = (pow2(b20, 20) * b20) % P
  const b80 = (pow2(b40, 40) * b40) % P
  const b160 = (pow2(b80, 80) * b80) % P
  const b240 = (pow2(b160, 80) * b80) % P
  const b250 = (pow2(b240, 10) * b10) % P
  return (pow2(b250, 2) * x) % P
}

export function isOnCurve(bytes: Uint8Array): boolean {
  let y = 0n
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? (bytes[i] as number) & 0x7f : (bytes[i] as number))
  const y2 = mod(y * y)
  const u = mod(y2 - 1n)
  const v = mod(D * y2 + 1n)
  const v3 = mod(v * v * v)
  const v7 = mod(v3 * v3 * v)
  let x = mod(u * v3 * pow2252m3(u * v7))
  const vx2 = mod(v * x * x)
  const root1 = vx2 === u
  const root2 = vx2 === mod(-u)
  if (!root1 && !root2) return false
  if (root2) x = mod(x * RM1)
  return !(x === 0n && ((bytes[31] as number) & 0x80) !== 0)
}

const MARKER = Buffer.from('ProgramDerivedAddress')

/** `findProgramAddress` (base58 in and out). */
export function findProgramAddress(seeds: Uint8Array[], program: Uint8Array): string {
  for (let bump = 255; bump >= 0; bump--) {
    const hash = createHash('sha256')
    for (const seed of seeds) hash.update(seed)
    const digest = hash.update(Uint8Array.of(bump)).update(program).update(MARKER).digest()
    if (!isOnCurve(digest)) return base58Encode(digest)
  }
  throw new Error('no viable bump seed')
}
