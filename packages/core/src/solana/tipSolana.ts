import {
  AbortedError,
  InvalidParameterError,
  RelayRejectedError,
  type RelayUnreachableError,
  type TimeoutError,
  TokenTagsError,
  TransactionFailedError,
  type UnsupportedMintError,
  type UserRejectedError,
  WalletNotConnectedError,
} from '../errors.js'
import { followRequest, type HumanCheck, relayFetch, resolveHumanCheck } from '../internal/relay.js'
import type { HumanCheckField, SolanaRequestView, SolanaSubmitAccepted, SolanaSubmitBody } from '../protocol.js'
import type { SolanaClient } from './client.js'
import { getTokenMint } from './mint.js'
import { parseDecimalAmount, parseSolanaAddress } from './parse.js'
import { getAccount, solanaRpc } from './rpc.js'
import { normalizeWalletError } from './wallets.js'
import {
  compileTransaction,
  createAssociatedTokenIdempotent,
  findAssociatedTokenAddress,
  memo,
  setComputeUnitLimit,
  toBase64,
  transferChecked,
  transferSol,
  type WireInstruction,
} from './wire.js'

export type SolanaActionStatus = 'signing' | 'queued' | 'submitted' | 'confirmed' | 'failed'

export interface SolanaActionStatusEvent {
  status: SolanaActionStatus
  via: 'relay'
  requestId?: string | undefined
  /** Base58 transaction signature, known once the relay accepted it. */
  signature?: string | undefined
  /** Set with `failed`. */
  error?: TokenTagsError | undefined
}

export interface TipSolanaParameters {
  /** Recipient: `sol:<base58>` or a bare base58 address (the wallet owner, not a token account). */
  to: string
  /** Base units (lamports, or the token's smallest unit) as a bigint, or whole units as a decimal string ("0.5"). */
  amount: bigint | string
  /**
   * SPL Token or Token-2022 mint (`sol:<base58>` or base58); SOL when omitted. A Token-2022 mint with a transfer fee,
   * a transfer hook, a permanent delegate or scaled amounts is refused with `UnsupportedMintError` before signing.
   */
  mint?: string | undefined
  /** Attached with the Memo program (at most 256 UTF-8 bytes). */
  memo?: string | undefined
  onStatus?: ((event: SolanaActionStatusEvent) => void) | undefined
  /** Stops waiting; a transaction already sent may still land. */
  signal?: AbortSignal | undefined
  /** How long to wait for confirmation once sent, in ms (default 120 000). */
  timeout?: number | undefined
  /**
   * A human-check token, or a function giving a fresh one, for a site whose relay requires the check; sent as
   * `humanCheck` with the transaction. A function that throws fails the tip with RELAY_REJECTED HUMAN_CHECK_FAILED.
   */
  humanCheck?: HumanCheck | undefined
}

export interface TipSolanaReturnType {
  signature: string
  slot: bigint
  requestId: string
  via: 'relay'
}

export type TipSolanaErrorType =
  | InvalidParameterError
  | WalletNotConnectedError
  | UserRejectedError
  | RelayUnreachableError
  | RelayRejectedError
  | TransactionFailedError
  | TimeoutError
  | AbortedError
  | UnsupportedMintError

/** The relay's Solana policy (`GET /v1/config` → `solana`). */
export interface RelaySolanaConfig {
  chain: `solana:${string}`
  feePayer: string
  programs: string[]
  payForTokenAccounts: boolean
  /** When present, the only mints whose token accounts the relay funds. */
  fundedMints?: string[]
  /** When present, the only owners whose token accounts the relay funds. */
  fundedRecipients?: string[]
  /** Mint → the smallest transfer (base units, a decimal string in JSON) into a token account the relay funds. */
  minimumTransfers?: Record<string, string | number>
  maxComputeUnits: number
  maxTransactionBytes: number
}

type SignTransactionFeature = {
  supportedTransactionVersions?: readonly ('legacy' | number)[]
  signTransaction(
    ...inputs: { account: unknown; transaction: Uint8Array; chain?: string }[]
  ): Promise<readonly { signedTransaction: Uint8Array }[]>
}

/**
 * Whether the relay's policy creates `owner`'s token account for `mint` on a transfer of `amount`: asking it for an
 * account it does not fund is refused (TOKEN_ACCOUNT_OWNER_NOT_LISTED, …), so the tipper pays that rent instead.
 */
export function relayFundsTokenAccount(relay: RelaySolanaConfig, owner: string, mint: string, amount: bigint): boolean {
  if (!relay.payForTokenAccounts) return false
  if (relay.fundedMints && !relay.fundedMints.includes(mint)) return false
  if (relay.fundedRecipients && !relay.fundedRecipients.includes(owner)) return false
  const minimum = relay.minimumTransfers?.[mint]
  return minimum === undefined || amount >= BigInt(minimum)
}

/** The relay's Solana config, fetched once per client (a failure is retried next time). */
export async function getRelaySolanaConfig(client: SolanaClient, signal?: AbortSignal): Promise<RelaySolanaConfig> {
  const internal = client._internal
  let pending = internal.relayConfig as Promise<{ solana?: RelaySolanaConfig }> | undefined
  if (!pending) {
    pending = relayFetch(client, '/v1/config', { signal }).then(
      (r) => r.json() as Promise<{ solana?: RelaySolanaConfig }>,
    )
    internal.relayConfig = pending
    pending.catch(() => {
      internal.relayConfig = undefined
    })
  }
  const config = await pending
  if (!config.solana?.feePayer) {
    throw new RelayRejectedError({
      relayCode: 'SOLANA_NOT_CONFIGURED',
      relayMessage: 'The relay does not sponsor Solana.',
    })
  }
  return config.solana
}

/**
 * Tips SOL or an SPL token, gasless: the relay's fee payer pays the fee (and, when its policy says
 * so, the rent of the recipient's token account), the connected wallet signs only the transfer.
 *
 * @example
 * await tipSolana(solana, { to: 'sol:9xQe…', amount: '0.05', memo: 'great post', onStatus: console.log })
 */
export async function tipSolana(client: SolanaClient, parameters: TipSolanaParameters): Promise<TipSolanaReturnType> {
  const { onStatus, signal } = parameters
  const timeoutMs = parameters.timeout ?? 120_000
  const to = parseSolanaAddress(parameters.to, 'to')
  const mint = parameters.mint === undefined ? undefined : parseSolanaAddress(parameters.mint, 'mint')
  if (typeof parameters.amount !== 'bigint' && typeof parameters.amount !== 'string')
    throw new InvalidParameterError('amount must be a bigint (base units) or a decimal string (whole units).')
  const memoBytes = parameters.memo === undefined ? undefined : new TextEncoder().encode(parameters.memo)
  if (memoBytes && memoBytes.length > 256) throw new InvalidParameterError('memo is longer than 256 bytes.')

  let signingStarted = false
  let requestId: string | undefined
  let signature: string | undefined
  const emit = (event: Omit<SolanaActionStatusEvent, 'via'>) => {
    if (event.status === 'signing') signingStarted = true
    onStatus?.({ ...event, via: 'relay' })
  }
  try {
    throwIfAborted(signal)
    const connected = client._internal.connected
    if (!connected) throw new WalletNotConnectedError()
    const from = connected.account.address
    const relayPromise = getRelaySolanaConfig(client, signal)
    relayPromise.catch(() => {})
    const blockhashPromise = solanaRpc<{ value: { blockhash: string; lastValidBlockHeight: number } }>(
      client,
      'getLatestBlockhash',
      [{ commitment: 'confirmed' }],
      signal,
    )
    blockhashPromise.catch(() => {})

    const instructions: WireInstruction[] = []
    let computeUnits = 1_000
    let amount: bigint
    const relay = await relayPromise
    if (!mint) {
      amount = typeof parameters.amount === 'bigint' ? parameters.amount : parseDecimalAmount(parameters.amount, 9)
      if (amount <= 0n) throw new InvalidParameterError('amount must be positive.')
      instructions.push(transferSol(from, to, amount))
    } else {
      // The mint's owner decides the program of the transfer and of both token accounts' addresses.
      const { tokenProgram, decimals } = await getTokenMint(client, mint, signal)
      const [source, destination] = await Promise.all([
        findAssociatedTokenAddress(from, mint, tokenProgram),
        findAssociatedTokenAddress(to, mint, tokenProgram),
      ])
      amount =
        typeof parameters.amount === 'bigint' ? parameters.amount : parseDecimalAmount(parameters.amount, decimals)
      if (amount <= 0n) throw new InvalidParameterError('amount must be positive.')
      const recipientAccount = await getAccount(client, destination, signal)
      if (!recipientAccount) {
        // The rent of the recipient's token account: the relay's when its policy pays, else the tipper's.
        const relayPays = relayFundsTokenAccount(relay, to, mint, amount)
        const payer = relayPays ? relay.feePayer : from
        instructions.push(createAssociatedTokenIdempotent({ payer, ata: destination, owner: to, mint, tokenProgram }))
        // Measured in LiteSVM: about 16,000-22,000 units with Token-2022, less with SPL Token.
        computeUnits += 30_000
      }
      instructions.push(transferChecked({ source, mint, destination, authority: from, amount, decimals, tokenProgram }))
      computeUnits += 10_000
    }
    if (memoBytes) {
      instructions.push(memo(memoBytes))
      computeUnits += 15_000 + 100 * memoBytes.length
    }

    const { value: blockhash } = await blockhashPromise
    const sign = connected.wallet.features['solana:signTransaction'] as SignTransactionFeature
    // v0 unless the wallet signs only legacy transactions (some wallet-adapter adapters).
    const versions = sign.supportedTransactionVersions
    const version = versions && !versions.includes(0) && versions.includes('legacy') ? 'legacy' : 0
    const unsigned = compileTransaction(
      relay.feePayer,
      blockhash.blockhash,
      [setComputeUnitLimit(Math.min(computeUnits, relay.maxComputeUnits)), ...instructions],
      version,
    )

    throwIfAborted(signal)
    emit({ status: 'signing' })
    let signed: Uint8Array
    try {
      const [output] = await sign.signTransaction({
        account: connected.account,
        transaction: unsigned,
        chain: client.chain ?? relay.chain,
      })
      if (!output) throw new Error('the wallet returned no transaction')
      signed = output.signedTransaction
    } catch (error) {
      throw normalizeWalletError(error)
    }
    throwIfAborted(signal)
    const transaction = toBase64(signed)
    // Asked for after the signature, so a token's short life is not spent waiting for the wallet.
    const humanCheck = await resolveHumanCheck(parameters.humanCheck)
    throwIfAborted(signal)
    const response = await relayFetch(client, '/v1/solana/transactions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        (humanCheck === undefined ? { transaction } : { transaction, humanCheck }) satisfies SolanaSubmitBody &
          HumanCheckField,
      ),
      signal,
    })
    const accepted = (await response.json()) as SolanaSubmitAccepted
    requestId = accepted.id
    signature = accepted.signature
    emit({ status: 'queued', requestId, signature })

    let last = accepted.status
    const final = await followRequest<SolanaRequestView>(client, accepted.id, {
      signal,
      timeoutMs,
      pollInterval: client.pollingInterval,
      onUpdate: (state) => {
        if (state.status === last || state.status === 'queued') return
        last = state.status
        if (state.status === 'submitted' || state.status === 'confirmed') {
          emit({ status: state.status, requestId, signature: state.signature ?? signature })
        }
      },
    })
    if (final.status !== 'confirmed') {
      const reason = final.error?.message ?? final.status
      if (final.status === 'rejected') {
        throw new RelayRejectedError({ relayCode: final.error?.code ?? 'REJECTED', relayMessage: reason })
      }
      throw new TransactionFailedError({ reason, details: `signature ${final.signature ?? signature}` })
    }
    return {
      signature: final.signature ?? (signature as string),
      slot: BigInt(final.slot ?? 0),
      requestId: accepted.id,
      via: 'relay',
    }
  } catch (error) {
    const normalized =
      error instanceof TokenTagsError
        ? error
        : new TransactionFailedError({ reason: (error as Error)?.message, cause: error })
    if (signingStarted) onStatus?.({ status: 'failed', via: 'relay', requestId, signature, error: normalized })
    throw normalized
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError({ cause: signal.reason })
}
