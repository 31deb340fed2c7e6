import { InvalidParameterError, UnsupportedMintError } from '../errors.js'
import type { SolanaClient } from './client.js'
import { getAccount, type RpcAccount } from './rpc.js'
import { mintExtensionTypes, refusedMintExtensions } from './token2022.js'
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from './wire.js'

/** What a tip needs of a mint: the program that owns it (and its token accounts) and its decimals. */
export interface TokenMint {
  tokenProgram: typeof TOKEN_PROGRAM | typeof TOKEN_2022_PROGRAM
  decimals: number
}

const MINT_SIZE = 82

/** The extension types of a Token-2022 mint (TLV entries after the account type); throws on a malformed one. */
export function mintExtensions(data: Uint8Array): number[] {
  const types = mintExtensionTypes(data)
  if (!types) throw new InvalidParameterError('the mint account is not a Token-2022 mint.')
  return types
}

/** Decodes a mint account; refuses anything but an initialized SPL Token or Token-2022 mint a tip can use. */
export function decodeTokenMint(mint: string, account: RpcAccount | null): TokenMint {
  const data = account?.data
  const program = account?.owner
  if (!data || (program !== TOKEN_PROGRAM && program !== TOKEN_2022_PROGRAM) || data.length < MINT_SIZE) {
    throw new InvalidParameterError(`mint ${mint} is not an SPL Token or Token-2022 mint.`)
  }
  if (data[45] !== 1) throw new InvalidParameterError(`mint ${mint} is not initialized.`)
  if (program === TOKEN_PROGRAM) {
    if (data.length !== MINT_SIZE) throw new InvalidParameterError(`mint ${mint} is not an SPL Token mint.`)
  } else {
    const refused = refusedMintExtensions(mintExtensions(data))
    if (refused.length > 0) throw new UnsupportedMintError({ mint, extensions: refused })
  }
  return { tokenProgram: program, decimals: data[44] as number }
}

/** Reads `mint` and decodes it with {@link decodeTokenMint}. */
export async function getTokenMint(client: SolanaClient, mint: string, signal?: AbortSignal): Promise<TokenMint> {
  return decodeTokenMint(mint, await getAccount(client, mint, signal))
}
