import { InvalidParameterError, UnsupportedMintError } from '../errors.js'
import type { SolanaClient } from './client.js'
import { getAccount, type RpcAccount } from './rpc.js'
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from './wire.js'

/** What a tip needs of a mint: the program that owns it (and its token accounts) and its decimals. */
export interface TokenMint {
  tokenProgram: typeof TOKEN_PROGRAM | typeof TOKEN_2022_PROGRAM
  decimals: number
}

const MINT_SIZE = 82
/** Token-2022 pads a mint with extensions to an account's size, then writes its account type. */
const ACCOUNT_TYPE_OFFSET = 165
const ACCOUNT_TYPE_MINT = 1

/**
 * Token-2022 mint extensions a `transferChecked` tip can go through: none of them takes a fee,
 * calls another program or lets anyone take the tokens back. Every other one is refused, known or not.
 */
const ALLOWED_EXTENSIONS: ReadonlyMap<number, string> = new Map([
  [3, 'MintCloseAuthority'],
  [4, 'ConfidentialTransferMint'],
  [6, 'DefaultAccountState'],
  [9, 'NonTransferable'],
  [18, 'MetadataPointer'],
  [19, 'TokenMetadata'],
  [20, 'GroupPointer'],
  [21, 'TokenGroup'],
  [22, 'GroupMemberPointer'],
  [23, 'TokenGroupMember'],
  [26, 'Pausable'],
])

/** Names of the refused extensions a site is likely to meet, for the error. */
const REFUSED_EXTENSIONS: ReadonlyMap<number, string> = new Map([
  [1, 'TransferFeeConfig'],
  [10, 'InterestBearingConfig'],
  [12, 'PermanentDelegate'],
  [14, 'TransferHook'],
  [16, 'ConfidentialTransferFeeConfig'],
  [24, 'ConfidentialMintBurn'],
  [25, 'ScaledUiAmount'],
])

/** The extension types of a Token-2022 mint (TLV entries after the account type); throws on a malformed one. */
export function mintExtensions(data: Uint8Array): number[] {
  if (data.length === MINT_SIZE) return []
  if (data.length <= ACCOUNT_TYPE_OFFSET || data[ACCOUNT_TYPE_OFFSET] !== ACCOUNT_TYPE_MINT) {
    throw new InvalidParameterError('the mint account is not a Token-2022 mint.')
  }
  const types: number[] = []
  let at = ACCOUNT_TYPE_OFFSET + 1
  while (at + 4 <= data.length) {
    const type = (data[at] as number) | ((data[at + 1] as number) << 8)
    const length = (data[at + 2] as number) | ((data[at + 3] as number) << 8)
    // Type 0 is the zeroed tail of an account allocated larger than its extensions.
    if (type === 0) break
    if (at + 4 + length > data.length) throw new InvalidParameterError('the mint account is not a Token-2022 mint.')
    types.push(type)
    at += 4 + length
  }
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
    const refused = mintExtensions(data).filter((type) => !ALLOWED_EXTENSIONS.has(type))
    if (refused.length > 0) {
      throw new UnsupportedMintError({
        mint,
        extensions: refused.map((type) => REFUSED_EXTENSIONS.get(type) ?? `extension ${type}`),
      })
    }
  }
  return { tokenProgram: program, decimals: data[44] as number }
}

/** Reads `mint` and decodes it with {@link decodeTokenMint}. */
export async function getTokenMint(client: SolanaClient, mint: string, signal?: AbortSignal): Promise<TokenMint> {
  return decodeTokenMint(mint, await getAccount(client, mint, signal))
}
