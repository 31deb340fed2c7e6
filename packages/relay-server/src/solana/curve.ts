import { createHash } from 'node:crypto'
import { isOnCurve } from '@tokentags/core/solana/wire'
import { base58Encode } from './base58.js'

const MARKER = Buffer.from('ProgramDerivedAddress')

/**
 * `findProgramAddress` (base58 out), synchronous: node:crypto's SHA-256 for the derivation, the
 * curve check shared with the browser client (`@tokentags/core/solana/wire`, tested there against
 * `@solana/kit`).
 */
export function findProgramAddress(seeds: Uint8Array[], program: Uint8Array): string {
  for (let bump = 255; bump >= 0; bump--) {
    const hash = createHash('sha256')
    for (const seed of seeds) hash.update(seed)
    const digest = hash.update(Uint8Array.of(bump)).update(program).update(MARKER).digest()
    if (!isOnCurve(digest)) return base58Encode(digest)
  }
  throw new Error('no viable bump seed')
}
