/**
 * The few pieces of Solana's wire format a tip needs: base58, program-derived addresses, v0
 * message compilation and the System / SPL Token / Associated Token / Compute Budget / Memo
 * instructions. Hand-written so the browser chunk stays small (`@solana/kit`'s error table alone
 * outweighs all of this); tests check every piece against `@solana/kit` and the programs in LiteSVM.
 */

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const INDEX: Record<string, number> = Object.fromEntries([...ALPHABET].map((c, i) => [c, i]))

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  const digits: number[] = []
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i] as number
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] as number) << 8
      digits[j] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = (carry / 58) | 0
    }
  }
  return (
    '1'.repeat(zeros) +
    digits
      .reverse()
      .map((d) => ALPHABET[d])
      .join('')
  )
}

/** Decodes base58; undefined for a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array | undefined {
  let zeros = 0
  while (zeros < text.length && text[zeros] === '1') zeros++
  const bytes: number[] = []
  for (let i = zeros; i < text.length; i++) {
    let carry = INDEX[text[i] as string]
    if (carry === undefined) return undefined
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] as number) * 58
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  const out = new Uint8Array(zeros + bytes.length)
  out.set(bytes.reverse(), zeros)
  return out
}

/** Bytes of a base58 address; throws when it is not 32 bytes. */
export function addressBytes(address: string): Uint8Array {
  const bytes = base58Decode(address)
  if (bytes?.length !== 32) throw new TypeError(`${address} is not a 32-byte base58 address`)
  return bytes as Uint8Array
}

export function isAddressString(value: string): boolean {
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(value)) return false
  return base58Decode(value)?.length === 32
}

// ---- ed25519 "is this point on the curve" (a PDA must not be), as in @solana/addresses ----

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

const PDA_MARKER = new TextEncoder().encode('ProgramDerivedAddress')

/** `findProgramAddress`: the first bump from 255 down whose hash is off the curve. */
export async function findProgramAddress(seeds: Uint8Array[], programId: string): Promise<[string, number]> {
  const program = addressBytes(programId)
  for (let bump = 255; bump >= 0; bump--) {
    const input = concat([...seeds, Uint8Array.of(bump), program, PDA_MARKER])
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', input as Uint8Array<ArrayBuffer>))
    if (!isOnCurve(hash)) return [base58Encode(hash), bump]
  }
  throw new Error('no viable bump seed')
}

export const SYSTEM_PROGRAM = '11111111111111111111111111111111'
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'
export const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL'
export const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111'
export const MEMO_PROGRAM = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'

/** `tokenProgram` is the mint's owner: SPL Token (default) or Token-2022, whose accounts derive apart. */
export async function findAssociatedTokenAddress(
  owner: string,
  mint: string,
  tokenProgram: string = TOKEN_PROGRAM,
): Promise<string> {
  const [address] = await findProgramAddress(
    [addressBytes(owner), addressBytes(tokenProgram), addressBytes(mint)],
    ASSOCIATED_TOKEN_PROGRAM,
  )
  return address
}

// ---- instructions and v0 messages ----

export interface AccountMeta {
  address: string
  signer: boolean
  writable: boolean
}

export interface WireInstruction {
  programId: string
  accounts: AccountMeta[]
  data: Uint8Array
}

const u32le = (n: number) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n, true)
  return b
}
const u64le = (n: bigint) => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, n, true)
  return b
}

export function transferSol(from: string, to: string, lamports: bigint): WireInstruction {
  return {
    programId: SYSTEM_PROGRAM,
    accounts: [
      { address: from, signer: true, writable: true },
      { address: to, signer: false, writable: true },
    ],
    data: concat([u32le(2), u64le(lamports)]),
  }
}

export function transferChecked(p: {
  source: string
  mint: string
  destination: string
  authority: string
  amount: bigint
  decimals: number
  tokenProgram?: string
}): WireInstruction {
  return {
    programId: p.tokenProgram ?? TOKEN_PROGRAM,
    accounts: [
      { address: p.source, signer: false, writable: true },
      { address: p.mint, signer: false, writable: false },
      { address: p.destination, signer: false, writable: true },
      { address: p.authority, signer: true, writable: false },
    ],
    data: concat([Uint8Array.of(12), u64le(p.amount), Uint8Array.of(p.decimals)]),
  }
}

export function createAssociatedTokenIdempotent(p: {
  payer: string
  ata: string
  owner: string
  mint: string
  tokenProgram?: string
}): WireInstruction {
  return {
    programId: ASSOCIATED_TOKEN_PROGRAM,
    accounts: [
      { address: p.payer, signer: true, writable: true },
      { address: p.ata, signer: false, writable: true },
      { address: p.owner, signer: false, writable: false },
      { address: p.mint, signer: false, writable: false },
      { address: SYSTEM_PROGRAM, signer: false, writable: false },
      { address: p.tokenProgram ?? TOKEN_PROGRAM, signer: false, writable: false },
    ],
    data: Uint8Array.of(1),
  }
}

export function setComputeUnitLimit(units: number): WireInstruction {
  return { programId: COMPUTE_BUDGET_PROGRAM, accounts: [], data: concat([Uint8Array.of(2), u32le(units)]) }
}

export function memo(bytes: Uint8Array): WireInstruction {
  return { programId: MEMO_PROGRAM, accounts: [], data: bytes }
}

function shortVec(n: number): number[] {
  const out: number[] = []
  for (;;) {
    const low = n & 0x7f
    n >>= 7
    if (n === 0) {
      out.push(low)
      return out
    }
    out.push(low | 0x80)
  }
}

/**
 * Compiles a v0 message (no lookup tables), or a legacy one, and wraps it in an unsigned wire
 * transaction: one zeroed signature slot per signer, the fee payer's first.
 */
export function compileTransaction(
  feePayer: string,
  blockhash: string,
  instructions: WireInstruction[],
  version: 'legacy' | 0 = 0,
): Uint8Array {
  const metas = new Map<string, { signer: boolean; writable: boolean }>()
  metas.set(feePayer, { signer: true, writable: true })
  const merge = (address: string, signer: boolean, writable: boolean) => {
    const meta = metas.get(address)
    if (meta) {
      meta.signer ||= signer
      meta.writable ||= writable
    } else metas.set(address, { signer, writable })
  }
  for (const ix of instructions) {
    for (const a of ix.accounts) merge(a.address, a.signer, a.writable)
    merge(ix.programId, false, false)
  }
  const rank = (m: { signer: boolean; writable: boolean }) => (m.signer ? 0 : 2) + (m.writable ? 0 : 1)
  const [first, ...rest] = [...metas]
  const ordered = [
    first as [string, { signer: boolean; writable: boolean }],
    ...rest.sort((a, b) => rank(a[1]) - rank(b[1])),
  ]
  const index = new Map(ordered.map(([address], i) => [address, i]))
  const signers = ordered.filter(([, m]) => m.signer)
  const header = [
    ...(version === 0 ? [0x80] : []),
    signers.length,
    signers.filter(([, m]) => !m.writable).length,
    ordered.filter(([, m]) => !m.signer && !m.writable).length,
  ]
  const parts: (Uint8Array | number[])[] = [header, shortVec(ordered.length)]
  for (const [address] of ordered) parts.push(addressBytes(address))
  parts.push(addressBytes(blockhash), shortVec(instructions.length))
  for (const ix of instructions) {
    parts.push(
      [index.get(ix.programId) as number],
      shortVec(ix.accounts.length),
      ix.accounts.map((a) => index.get(a.address) as number),
      shortVec(ix.data.length),
      ix.data,
    )
  }
  if (version === 0) parts.push(shortVec(0)) // address table lookups
  const message = concat(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))))
  return concat([Uint8Array.from(shortVec(signers.length)), new Uint8Array(64 * signers.length), message])
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

// The relay refuses the same Token-2022 mints as the client; it reaches core's Solana code through this entry.
export { mintExtensionTypes, refusedMintExtensions } from './token2022.js'
