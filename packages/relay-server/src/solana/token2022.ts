// Token-2022 mints a sponsored transaction moves (issue 15). The program runs the same transfer
// shapes as SPL Token, but a mint can carry extensions that take part of a transfer (fees), run
// another program on the wallet's signature (transfer hooks: a program the allow-list never saw), or
// let someone take the tokens back (permanent delegate). The relay reads each mint and sponsors only
// extensions known to do none of that.
import { TOKEN_2022_PROGRAM } from './config.js'
import { type CheckedSolanaTransaction, solanaError } from './policy.js'

/** What `getMultipleAccounts` says of one address (base64 data decoded), or null when it does not exist. */
export type AccountRead = { owner: string; data: Uint8Array } | null

/** Mint extensions a tip can go through (Token-2022's `ExtensionType` numbers). */
const ALLOWED: ReadonlyMap<number, string> = new Map([
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

/** Names of refused extensions, for the message; any type not in `ALLOWED` is refused, named or not. */
const REFUSED: ReadonlyMap<number, string> = new Map([
  [1, 'TransferFeeConfig'],
  [10, 'InterestBearingConfig'],
  [12, 'PermanentDelegate'],
  [14, 'TransferHook'],
  [16, 'ConfidentialTransferFeeConfig'],
  [24, 'ConfidentialMintBurn'],
  [25, 'ScaledUiAmount'],
])

/** Mint extensions whose token accounts carry an extension of their own (4-byte header, no data). */
const ACCOUNT_EXTENSION_OF: ReadonlySet<number> = new Set([9, 26])

const MINT_SIZE = 82
const BASE_SIZE = 165
/** Token-2022 pads a mint to `BASE_SIZE`, writes its account type, then type-length-value entries. */
const ACCOUNT_TYPE_MINT = 1

/** The extension types of a Token-2022 mint; undefined when the data is no Token-2022 mint. */
export function mintExtensionTypes(data: Uint8Array): number[] | undefined {
  if (data.length === MINT_SIZE) return []
  if (data.length <= BASE_SIZE || data[BASE_SIZE] !== ACCOUNT_TYPE_MINT) return undefined
  const types: number[] = []
  let at = BASE_SIZE + 1
  while (at + 4 <= data.length) {
    const type = (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8)
    const length = (data[at + 2] ?? 0) | ((data[at + 3] ?? 0) << 8)
    // Type 0: the zeroed tail of an account allocated larger than its extensions.
    if (type === 0) break
    if (at + 4 + length > data.length) return undefined
    types.push(type)
    at += 4 + length
  }
  return types
}

/**
 * Reads the Token-2022 mints of `checked` (those of its transfers and of the token accounts the relay
 * funds) in one call; throws 403 `MINT_EXTENSION_NOT_ALLOWED` for a mint with an extension outside
 * the allowed set. Resolves to the rent to add to `checked.rent`: a Token-2022 associated token
 * account is larger than an SPL Token one (170 bytes and more, not 165).
 */
export async function checkToken2022Mints(
  checked: CheckedSolanaTransaction,
  tokenAccountRent: bigint,
  read: (addresses: string[]) => Promise<AccountRead[]>,
): Promise<bigint> {
  const { tx } = checked
  const mints = new Set<string>()
  for (const ix of tx.instructions) {
    if (tx.accounts[ix.programIndex] === TOKEN_2022_PROGRAM && ix.data[0] === 12) {
      mints.add(tx.accounts[ix.accounts[1] ?? -1] as string)
    }
  }
  const funded = checked.tokenAccounts.filter((account) => account.tokenProgram === TOKEN_2022_PROGRAM)
  for (const account of funded) mints.add(account.mint)
  if (mints.size === 0) return 0n
  const addresses = [...mints]
  const accounts = await read(addresses)
  const extensionsOf = new Map<string, number[]>()
  addresses.forEach((mint, i) => {
    const account = accounts[i]
    // Not a Token-2022 mint: the program refuses the instruction, and so does the simulation.
    if (!account || account.owner !== TOKEN_2022_PROGRAM) return
    const types = mintExtensionTypes(account.data)
    if (types === undefined) return
    const refused = types.filter((type) => !ALLOWED.has(type))
    if (refused.length > 0) {
      const names = refused.map((type) => REFUSED.get(type) ?? `extension ${type}`).join(', ')
      throw solanaError(
        'MINT_EXTENSION_NOT_ALLOWED',
        `the Token-2022 mint ${mint} has ${names}: the relay does not sponsor transfers a fee, a hook, a permanent delegate or a scaled amount could change`,
      )
    }
    extensionsOf.set(mint, types)
  })
  // Rent is (128 + size) × a per-byte price: scale the 165-byte figure the runtime knows.
  let extra = 0n
  for (const account of funded) {
    const types = extensionsOf.get(account.mint) ?? []
    // Account type byte, ImmutableOwner (the associated token program always adds it), then one per mint extension that needs one.
    const size = BASE_SIZE + 1 + 4 + 4 * types.filter((type) => ACCOUNT_EXTENSION_OF.has(type)).length
    extra += (tokenAccountRent * BigInt(128 + size)) / BigInt(128 + BASE_SIZE) - tokenAccountRent
  }
  return extra
}
