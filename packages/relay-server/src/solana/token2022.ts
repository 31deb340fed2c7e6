// Token-2022 mints a sponsored transaction moves (issue 15). The program runs the same transfer
// shapes as SPL Token, but a mint can carry extensions that take part of a transfer (fees), run
// another program on the wallet's signature (transfer hooks: a program the allow-list never saw), or
// let someone take the tokens back (permanent delegate). The relay reads each mint and sponsors only
// extensions known to do none of that: core's list, the one the client checks before the wallet is asked.
import { mintExtensionTypes, refusedMintExtensions } from '@tokentags/core/solana/wire'
import { TOKEN_2022_PROGRAM } from './config.js'
import { type CheckedSolanaTransaction, solanaError } from './policy.js'

/** What `getMultipleAccounts` says of one address (base64 data decoded), or null when it does not exist. */
export type AccountRead = { owner: string; data: Uint8Array } | null

/** Mint extensions whose token accounts carry an extension of their own (4-byte header, no data). */
const ACCOUNT_EXTENSION_OF: ReadonlySet<number> = new Set([9, 26])

/** An SPL Token account's size; Token-2022 writes its account type, then extensions, after it. */
const BASE_SIZE = 165

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
    const refused = refusedMintExtensions(types)
    if (refused.length > 0) {
      const names = refused.join(', ')
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
