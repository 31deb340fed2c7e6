import { getAddressDecoder, getBase58Decoder } from '@solana/kit'

// kit names codecs from the string's side: its base58 *decoder* turns bytes into text.
const addressOf = getAddressDecoder()
const base58Of = getBase58Decoder()

/** A compiled instruction: indices into the message's account list. */
export interface WireInstruction {
  programIndex: number
  accounts: Uint8Array
  data: Uint8Array
}

/** A decoded legacy or v0 wire transaction (the relay's own strict parser). */
export interface WireTransaction {
  /** The wire bytes as received. */
  bytes: Uint8Array
  signatures: Uint8Array[]
  /** Offset of the first signature within `bytes` (after the short-vec count). */
  signaturesOffset: number
  messageBytes: Uint8Array
  version: 'legacy' | 0
  numRequiredSignatures: number
  numReadonlySigned: number
  numReadonlyUnsigned: number
  /** Static account keys, base58. */
  accounts: string[]
  blockhash: string
  instructions: WireInstruction[]
  addressTableLookups: number
}

export class WireFormatError extends Error {
  override name = 'WireFormatError'
}

/** Parses Solana's wire format; throws `WireFormatError` on anything malformed, truncated or trailing. */
export function parseWireTransaction(bytes: Uint8Array): WireTransaction {
  let offset = 0
  const need = (n: number) => {
    if (offset + n > bytes.length) throw new WireFormatError('truncated transaction')
  }
  const u8 = () => {
    need(1)
    return bytes[offset++] as number
  }
  const shortVec = () => {
    let value = 0
    for (let i = 0; i < 3; i++) {
      const byte = u8()
      value |= (byte & 0x7f) << (7 * i)
      if ((byte & 0x80) === 0) {
        if (i > 0 && byte === 0) throw new WireFormatError('non-canonical short-vec length')
        return value
      }
    }
    throw new WireFormatError('short-vec length too long')
  }
  const take = (n: number) => {
    need(n)
    const slice = bytes.subarray(offset, offset + n)
    offset += n
    return slice
  }

  const signatureCount = shortVec()
  const signaturesOffset = offset
  const signatures: Uint8Array[] = []
  for (let i = 0; i < signatureCount; i++) signatures.push(take(64))
  const messageStart = offset
  let version: 'legacy' | 0 = 'legacy'
  const first = u8()
  let numRequiredSignatures = first
  if (first & 0x80) {
    const v = first & 0x7f
    if (v !== 0) throw new WireFormatError(`unsupported transaction version ${v}`)
    version = 0
    numRequiredSignatures = u8()
  }
  const numReadonlySigned = u8()
  const numReadonlyUnsigned = u8()
  const accountCount = shortVec()
  const accounts: string[] = []
  for (let i = 0; i < accountCount; i++) accounts.push(addressOf.decode(take(32)))
  const blockhash = base58Of.decode(take(32))
  const instructionCount = shortVec()
  const instructions: WireInstruction[] = []
  for (let i = 0; i < instructionCount; i++) {
    const programIndex = u8()
    const accountIndices = take(shortVec())
    const data = take(shortVec())
    instructions.push({ programIndex, accounts: accountIndices, data })
  }
  let addressTableLookups = 0
  if (version === 0) {
    addressTableLookups = shortVec()
    for (let i = 0; i < addressTableLookups; i++) {
      take(32)
      take(shortVec())
      take(shortVec())
    }
  }
  if (offset !== bytes.length) throw new WireFormatError('trailing bytes after the message')

  if (signatureCount !== numRequiredSignatures) {
    throw new WireFormatError(`${signatureCount} signatures for ${numRequiredSignatures} required signers`)
  }
  if (numRequiredSignatures === 0 || numRequiredSignatures > accountCount) {
    throw new WireFormatError('bad message header: signer count')
  }
  if (numReadonlySigned >= numRequiredSignatures || numReadonlyUnsigned > accountCount - numRequiredSignatures) {
    throw new WireFormatError('bad message header: readonly counts')
  }
  if (new Set(accounts).size !== accounts.length) throw new WireFormatError('an account is listed twice')
  for (const ix of instructions) {
    if (ix.programIndex === 0 || ix.programIndex >= accountCount) {
      throw new WireFormatError('instruction program index out of range')
    }
    for (const index of ix.accounts) {
      if (index >= accountCount) throw new WireFormatError('instruction account index out of range')
    }
  }
  return {
    bytes,
    signatures,
    signaturesOffset,
    messageBytes: bytes.subarray(messageStart),
    version,
    numRequiredSignatures,
    numReadonlySigned,
    numReadonlyUnsigned,
    accounts,
    blockhash,
    instructions,
    addressTableLookups,
  }
}

export function isSigner(tx: WireTransaction, index: number): boolean {
  return index < tx.numRequiredSignatures
}
