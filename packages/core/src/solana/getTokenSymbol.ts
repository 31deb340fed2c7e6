import type { SolanaClient } from './client.js'
import { solanaRpc } from './rpc.js'
import { addressBytes, base58Encode, findProgramAddress, fromBase64, isAddressString } from './wire.js'

/** Metaplex Token Metadata: the metadata account of a mint is its PDA `["metadata", program, mint]`. */
export const TOKEN_METADATA_PROGRAM = 'metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s'
const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'
/** Metaplex's `Key::MetadataV1`. */
const METADATA_V1 = 4
/** Token-2022: extensions follow the account type byte at 165 (an SPL account's size); TLV type 19 is TokenMetadata. */
const ACCOUNT_TYPE_OFFSET = 165
const ACCOUNT_TYPE_MINT = 1
const TOKEN_METADATA_EXTENSION = 19
/** Longer than any real symbol (Metaplex caps them at 10 bytes); a longer one is not shown. */
const MAX_SYMBOL_CHARS = 16

export interface GetTokenSymbolParameters {
  mint: string
  signal?: AbortSignal | undefined
}

/**
 * The symbol a mint's on-chain metadata gives it: the Token-2022 metadata extension of the mint, else its Metaplex
 * metadata account (which must name the mint). Undefined when neither has a usable one; READ_FAILED when the RPC
 * fails. A symbol is the token creator's word: pages that list tokens can name them instead (`spl-symbols`).
 */
export async function getTokenSymbol(
  client: SolanaClient,
  parameters: GetTokenSymbolParameters,
): Promise<string | undefined> {
  const { mint, signal } = parameters
  if (!isAddressString(mint)) return undefined
  const [metadata] = await findProgramAddress(
    [new TextEncoder().encode('metadata'), addressBytes(TOKEN_METADATA_PROGRAM), addressBytes(mint)],
    TOKEN_METADATA_PROGRAM,
  )
  const { value } = await solanaRpc<{ value: ({ owner: string; data: [string, string] } | null)[] }>(
    client,
    'getMultipleAccounts',
    [[mint, metadata], { encoding: 'base64', commitment: 'confirmed' }],
    signal,
  )
  const [mintAccount, metadataAccount] = value
  if (mintAccount?.owner === TOKEN_2022_PROGRAM) {
    const symbol = token2022Symbol(fromBase64(mintAccount.data[0]))
    if (symbol) return symbol
  }
  if (metadataAccount?.owner === TOKEN_METADATA_PROGRAM)
    return metaplexSymbol(fromBase64(metadataAccount.data[0]), mint)
  return undefined
}

/** The symbol of a Metaplex `MetadataV1` account: key, update authority, mint, then borsh strings name and symbol. */
export function metaplexSymbol(data: Uint8Array, mint: string): string | undefined {
  if (data[0] !== METADATA_V1 || data.length < 65) return undefined
  if (base58Encode(data.subarray(33, 65)) !== mint) return undefined
  const name = readString(data, 65)
  if (!name) return undefined
  return clean(readString(data, name.end)?.text)
}

/** The symbol of a Token-2022 mint's TokenMetadata extension (update authority, mint, name, symbol, …). */
export function token2022Symbol(data: Uint8Array): string | undefined {
  if (data.length <= ACCOUNT_TYPE_OFFSET || data[ACCOUNT_TYPE_OFFSET] !== ACCOUNT_TYPE_MINT) return undefined
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  let at = ACCOUNT_TYPE_OFFSET + 1
  while (at + 4 <= data.length) {
    const type = view.getUint16(at, true)
    const length = view.getUint16(at + 2, true)
    const start = at + 4
    if (start + length > data.length) return undefined
    if (type === TOKEN_METADATA_EXTENSION) {
      const value = data.subarray(start, start + length)
      const name = readString(value, 64)
      return name ? clean(readString(value, name.end)?.text) : undefined
    }
    at = start + length
  }
  return undefined
}

function readString(data: Uint8Array, at: number): { text: string; end: number } | undefined {
  if (at + 4 > data.length) return undefined
  const length = new DataView(data.buffer, data.byteOffset + at, 4).getUint32(0, true)
  const end = at + 4 + length
  if (end > data.length) return undefined
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(data.subarray(at + 4, end)), end }
}

/** Metaplex pads strings with NULs; control characters and over-long symbols are not shown. */
function clean(text: string | undefined): string | undefined {
  const trimmed = text?.replace(/\0+$/, '').trim()
  if (!trimmed || [...trimmed].length > MAX_SYMBOL_CHARS || /\p{Cc}|\p{Cf}/u.test(trimmed)) return undefined
  return trimmed
}
