// Token-2022 mint extensions, read the same way by the browser client (before the wallet is asked)
// and by the relay (before it sponsors a transaction): one parser and one allow-list, so the two
// ends cannot disagree on which mints a tip can go through. No imports: the relay takes it through
// `@tokentags/core/solana/wire` without the client's errors.

const MINT_SIZE = 82
/** Token-2022 pads a mint with extensions to an account's size, then writes its account type. */
const ACCOUNT_TYPE_OFFSET = 165
const ACCOUNT_TYPE_MINT = 1

/**
 * Token-2022 mint extensions a `transferChecked` tip can go through: none of them takes a fee,
 * calls another program or lets anyone take the tokens back. Every other one is refused, known or not.
 */
const ALLOWED_EXTENSIONS: ReadonlySet<number> = new Set([
  3, // MintCloseAuthority
  4, // ConfidentialTransferMint
  6, // DefaultAccountState
  9, // NonTransferable
  18, // MetadataPointer
  19, // TokenMetadata
  20, // GroupPointer
  21, // TokenGroup
  22, // GroupMemberPointer
  23, // TokenGroupMember
  26, // Pausable
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

/**
 * The extension types of a mint's data (TLV entries after the account type): empty for a mint
 * without extensions, undefined when the data is no Token-2022 mint or an entry is truncated.
 */
export function mintExtensionTypes(data: Uint8Array): number[] | undefined {
  if (data.length === MINT_SIZE) return []
  if (data.length <= ACCOUNT_TYPE_OFFSET || data[ACCOUNT_TYPE_OFFSET] !== ACCOUNT_TYPE_MINT) return undefined
  const types: number[] = []
  let at = ACCOUNT_TYPE_OFFSET + 1
  while (at + 4 <= data.length) {
    const type = (data[at] as number) | ((data[at + 1] as number) << 8)
    const length = (data[at + 2] as number) | ((data[at + 3] as number) << 8)
    // Type 0 is the zeroed tail of an account allocated larger than its extensions.
    if (type === 0) break
    if (at + 4 + length > data.length) return undefined
    types.push(type)
    at += 4 + length
  }
  return types
}

/** Names of the extensions in `types` a tip cannot go through (`extension N` when unnamed); empty when none. */
export function refusedMintExtensions(types: readonly number[]): string[] {
  return types
    .filter((type) => !ALLOWED_EXTENSIONS.has(type))
    .map((type) => REFUSED_EXTENSIONS.get(type) ?? `extension ${type}`)
}
