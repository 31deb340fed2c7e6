/**
 * Token-2022 (Token Extensions) state for tests, written straight into LiteSVM as the program lays
 * it out: a mint padded to an account's 165 bytes, its account type, then type-length-value
 * extensions. LiteSVM runs the real Token-2022 program on it, so a wrong layout fails the transfer.
 */
import { type Address, getAddressEncoder, lamports } from '@solana/kit'
import { AccountState, findAssociatedTokenPda, getMintEncoder, getTokenEncoder } from '@solana-program/token'
import type { LiteSVM } from 'litesvm'

export const TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address

/** One TLV extension entry (`type` is Token-2022's `ExtensionType`). */
export interface Token2022Extension {
  type: number
  data: Uint8Array
}

const BASE_SIZE = 165
const ACCOUNT_TYPE_MINT = 1
const ACCOUNT_TYPE_ACCOUNT = 2

const address = (value: Address) => new Uint8Array(getAddressEncoder().encode(value))
const u16 = (n: number) => Uint8Array.of(n & 0xff, n >> 8)
const u64 = (n: bigint) => {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, n, true)
  return out
}

/** `TransferFeeConfig` (type 1): `bps` of every transfer withheld, at most `maxFee` base units. */
export function transferFeeConfigExtension(options: {
  bps: number
  maxFee: bigint
  authority: Address
}): Token2022Extension {
  const authority = address(options.authority)
  const fee = new Uint8Array([...u64(0n), ...u64(options.maxFee), ...u16(options.bps)])
  // authority, withdraw authority, withheld amount, older fee, newer fee (both the same: in force now).
  const data = new Uint8Array([...authority, ...authority, ...u64(0n), ...fee, ...fee])
  return { type: 1, data }
}

/** `TransferHook` (type 14): every transfer also calls `programId`. */
export function transferHookExtension(options: { authority: Address; programId: Address }): Token2022Extension {
  return {
    type: 14,
    data: new Uint8Array([...address(options.authority), ...address(options.programId)]),
  }
}

/** `MetadataPointer` (type 18) to the mint itself: harmless, and common. */
export function metadataPointerExtension(options: { authority: Address; metadata: Address }): Token2022Extension {
  return {
    type: 18,
    data: new Uint8Array([...address(options.authority), ...address(options.metadata)]),
  }
}

function withExtensions(base: Uint8Array, accountType: number, extensions: readonly Token2022Extension[]): Uint8Array {
  const padded = new Uint8Array(BASE_SIZE)
  padded.set(base)
  const parts: number[] = [...padded, accountType]
  for (const extension of extensions)
    parts.push(...u16(extension.type), ...u16(extension.data.length), ...extension.data)
  return new Uint8Array(parts)
}

function write(svm: LiteSVM, address: Address, data: Uint8Array): void {
  svm.setAccount({
    address,
    data,
    executable: false,
    lamports: lamports(svm.minimumBalanceForRentExemption(BigInt(data.length))),
    programAddress: TOKEN_2022_PROGRAM_ADDRESS,
    space: BigInt(data.length),
  })
}

/** Writes an initialized Token-2022 mint, with `extensions` when given (82 bytes without). */
export function createToken2022Mint(
  svm: LiteSVM,
  options: {
    mint: Address
    mintAuthority: Address
    decimals?: number
    supply?: bigint
    extensions?: readonly Token2022Extension[]
  },
): Address {
  const base = new Uint8Array(
    getMintEncoder().encode({
      mintAuthority: { __option: 'Some', value: options.mintAuthority },
      supply: options.supply ?? 0n,
      decimals: options.decimals ?? 6,
      isInitialized: true,
      freezeAuthority: { __option: 'None' },
    }),
  )
  const extensions = options.extensions ?? []
  write(svm, options.mint, extensions.length === 0 ? base : withExtensions(base, ACCOUNT_TYPE_MINT, extensions))
  return options.mint
}

/** The associated token account of `owner` for a Token-2022 `mint`. */
export async function findToken2022Ata(owner: Address, mint: Address): Promise<Address> {
  return (await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_2022_PROGRAM_ADDRESS }))[0]
}

/**
 * Writes `owner`'s associated token account of a Token-2022 `mint` holding `amount`, with the
 * account extensions the associated token program would give it (ImmutableOwner, and those the
 * mint's extensions require).
 */
export async function setToken2022Balance(
  svm: LiteSVM,
  options: { mint: Address; owner: Address; amount: bigint; mintExtensions?: readonly number[] },
): Promise<Address> {
  const ata = await findToken2022Ata(options.owner, options.mint)
  const base = new Uint8Array(
    getTokenEncoder().encode({
      mint: options.mint,
      owner: options.owner,
      amount: options.amount,
      delegate: { __option: 'None' },
      state: AccountState.Initialized,
      isNative: { __option: 'None' },
      delegatedAmount: 0n,
      closeAuthority: { __option: 'None' },
    }),
  )
  const extensions: Token2022Extension[] = [{ type: 7, data: new Uint8Array(0) }]
  const mintTypes = options.mintExtensions ?? []
  // TransferFeeConfig → TransferFeeAmount (withheld u64); TransferHook → TransferHookAccount (transferring flag).
  if (mintTypes.includes(1)) extensions.push({ type: 2, data: new Uint8Array(8) })
  if (mintTypes.includes(14)) extensions.push({ type: 15, data: new Uint8Array(1) })
  write(svm, ata, withExtensions(base, ACCOUNT_TYPE_ACCOUNT, extensions))
  return ata
}

/** The balance of `owner`'s Token-2022 associated token account (0 when it does not exist). */
export async function getToken2022Balance(svm: LiteSVM, options: { mint: Address; owner: Address }): Promise<bigint> {
  const account = svm.getAccount(await findToken2022Ata(options.owner, options.mint))
  if (!account.exists) return 0n
  return new DataView(account.data.buffer, account.data.byteOffset).getBigUint64(64, true)
}
