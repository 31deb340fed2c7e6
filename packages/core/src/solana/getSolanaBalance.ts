import { InvalidParameterError, type ReadFailedError, WalletNotConnectedError } from '../errors.js'
import type { SolanaClient } from './client.js'
import { parseSolanaAddress } from './parse.js'
import { getAccount, solanaRpc } from './rpc.js'
import { ASSOCIATED_TOKEN_PROGRAM, addressBytes, findProgramAddress, TOKEN_PROGRAM } from './wire.js'

const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'
/** An SPL Token (and Token-2022) account: mint, owner, then the amount as a little-endian u64. */
const AMOUNT_OFFSET = 64

export interface GetSolanaBalanceParameters {
  /** The owner (`sol:<base58>` or base58); the connected account when omitted. */
  account?: string | undefined
  /** SPL token mint (`sol:<base58>` or base58); SOL when omitted. */
  mint?: string | undefined
  signal?: AbortSignal | undefined
}

export interface SolanaBalance {
  /** What the account holds: lamports, or base units of the mint in its associated token account. */
  value: bigint
  /**
   * SOL: the rent-exempt minimum of a wallet account, kept back so the transfer leaves the account alive (the relay
   * pays the fee; a transfer that leaves less than this, but not nothing, is refused by the runtime). 0 for a token.
   */
  reserve: bigint
  /** `value - reserve`, never below 0: the most a gasless tip can send. */
  spendable: bigint
}

export type GetSolanaBalanceReturnType = SolanaBalance
export type GetSolanaBalanceErrorType = InvalidParameterError | WalletNotConnectedError | ReadFailedError

/**
 * What an account holds of SOL or of an SPL token, and what a gasless `tipSolana` can send of it. A token's balance
 * is that of the owner's associated token account (the account `tipSolana` sends from; 0 when it has none).
 *
 * @example
 * const { spendable } = await getSolanaBalance(solana, { mint: 'sol:EPjF…' })
 */
export async function getSolanaBalance(
  client: SolanaClient,
  parameters: GetSolanaBalanceParameters = {},
): Promise<SolanaBalance> {
  const { signal } = parameters
  const connected = client._internal.connected?.account.address
  if (parameters.account === undefined && !connected) throw new WalletNotConnectedError()
  const owner = parseSolanaAddress(parameters.account ?? (connected as string), 'account')
  if (parameters.mint === undefined) {
    const [{ value }, reserve] = await Promise.all([
      solanaRpc<{ value: number }>(client, 'getBalance', [owner, { commitment: 'confirmed' }], signal),
      solanaRpc<number>(client, 'getMinimumBalanceForRentExemption', [0], signal),
    ])
    const lamports = BigInt(value)
    const kept = BigInt(reserve)
    return { value: lamports, reserve: kept, spendable: lamports > kept ? lamports - kept : 0n }
  }
  const mint = parseSolanaAddress(parameters.mint, 'mint')
  const mintAccount = await getAccount(client, mint, signal)
  const program = mintAccount?.owner
  if (program !== TOKEN_PROGRAM && program !== TOKEN_2022_PROGRAM)
    throw new InvalidParameterError(`mint ${mint} is not an SPL Token mint.`)
  const [ata] = await findProgramAddress(
    [addressBytes(owner), addressBytes(program), addressBytes(mint)],
    ASSOCIATED_TOKEN_PROGRAM,
  )
  const tokenAccount = await getAccount(client, ata, signal)
  const data = tokenAccount?.owner === program ? tokenAccount.data : undefined
  const value =
    data && data.length >= AMOUNT_OFFSET + 8
      ? new DataView(data.buffer, data.byteOffset).getBigUint64(AMOUNT_OFFSET, true)
      : 0n
  return { value, reserve: 0n, spendable: value }
}
