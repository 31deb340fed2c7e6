import { type Address, encodeFunctionData, isAddress } from 'viem'
import type { GaslessMode, TokenTagsClient } from '../client.js'
import {
  type AbortedError,
  InvalidParameterError,
  NothingToClaimError,
  type RelayOriginNotAllowedError,
  type RelayRejectedError,
  type RelayUnreachableError,
  type TimeoutError,
  type TransactionFailedError,
  type UserRejectedError,
  type WalletNotConnectedError,
  type WrongChainError,
} from '../errors.js'
import { vestingVaultAbi } from '../internal/abis.js'
import { offerWallet, relayFor, runWrite, sendForwarded, sendFromWallet } from '../internal/evmWrite.js'
import { normalizeWriteError } from '../internal/normalize.js'
import type { HumanCheck } from '../internal/relay.js'
import { estimateGas, readContract } from '../internal/rpc.js'
import type { ActionResult, ActionStatusEvent } from './types.js'

export interface ClaimParameters {
  chainId: number
  vault: Address
  scheduleIds: readonly (bigint | number)[]
  /** Defaults to the client's `gasless` (itself `auto` by default). */
  gasless?: GaslessMode | undefined
  onStatus?: ((event: ActionStatusEvent) => void) | undefined
  /** Stops waiting; a request already signed and sent may still land on chain. */
  signal?: AbortSignal | undefined
  /** How long to wait for confirmation once sent, in ms (default 180 000). */
  timeout?: number | undefined
  /**
   * A human-check token, or a function giving a fresh one per submit, for a site whose relay requires one: sent as
   * `humanCheck` with the forwarded request. A function that throws fails the action with RELAY_REJECTED
   * `HUMAN_CHECK_FAILED`.
   */
  humanCheck?: HumanCheck | undefined
}

export type ClaimReturnType = ActionResult

export type ClaimErrorType =
  | InvalidParameterError
  | WalletNotConnectedError
  | WrongChainError
  | UserRejectedError
  | NothingToClaimError
  | RelayUnreachableError
  | RelayOriginNotAllowedError
  | RelayRejectedError
  | TransactionFailedError
  | TimeoutError
  | AbortedError

/**
 * Claims vested tokens for the connected account. Gasless through the relay (an EIP-712 signed
 * ERC-2771 forward request) unless `gasless` is `never` or (`auto`) the client has no relay. A relay that cannot
 * take the request throws (RELAY_UNREACHABLE, RELAY_ORIGIN_NOT_ALLOWED, RELAY_REJECTED); in `auto` mode the error
 * carries `walletFallback`, the cost of paying the gas, for the caller to offer: call again with `gasless: 'never'`.
 */
export async function claim(client: TokenTagsClient, parameters: ClaimParameters): Promise<ClaimReturnType> {
  const { chainId, vault, onStatus, signal } = parameters
  const mode = parameters.gasless ?? client.gasless
  if (!['auto', 'always', 'never'].includes(mode)) throw new InvalidParameterError(`Unknown gasless mode "${mode}".`)
  if (!isAddress(vault, { strict: false }))
    throw new InvalidParameterError(`vault "${String(vault)}" is not an address.`)
  if (!Array.isArray(parameters.scheduleIds) || parameters.scheduleIds.length === 0)
    throw new InvalidParameterError('scheduleIds needs at least one schedule id.')
  let ids: bigint[]
  try {
    ids = [...new Set(parameters.scheduleIds.map((id) => BigInt(id)))]
  } catch (error) {
    throw new InvalidParameterError('scheduleIds must be integers.', { cause: error })
  }
  const chain = client.getChainClient(chainId)
  const data =
    ids.length === 1
      ? encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [ids[0] as bigint] })
      : encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claimMany', args: [ids] })

  const options = { chainId, signal, timeoutMs: parameters.timeout, onStatus, humanCheck: parameters.humanCheck }
  return runWrite(client, options, async (context) => {
    const { from } = context
    // The relay's config and the claimable amounts load together.
    const relayPromise = relayFor(client, chainId, mode, signal)
    relayPromise.catch(() => {})
    const claimables = await Promise.all(
      ids.map((id) =>
        readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'claimable', args: [id] }),
      ),
    ).catch((error: unknown) => {
      throw normalizeWriteError(error)
    })
    if (claimables.every((amount) => amount === 0n)) throw new NothingToClaimError()
    const walletGas = () => estimateGas(chain, { from, to: vault, data, abi: vestingVaultAbi })
    const relay = await offerWallet(context, mode, walletGas, () => relayPromise)

    if (relay) {
      // The estimate maps the vault's NothingToClaim; it runs beside the forwarder's nonce and the block.
      const gas = walletGas()
      return await offerWallet(context, mode, walletGas, () => sendForwarded(context, relay, { to: vault, data, gas }))
    }
    // The wallet fills gas, fees and nonce itself, as it does for any dapp.
    return await sendFromWallet(context, { to: vault, data })
  })
}
