import type { Config, Connector } from '@wagmi/core'
import { type Address, encodeFunctionData, type Hex, isAddress, numberToHex } from 'viem'
import type { GaslessMode, TokenTagsClient } from '../client.js'
import {
  AbortedError,
  InvalidParameterError,
  NothingToClaimError,
  RelayRejectedError,
  RelayUnreachableError,
  type TimeoutError,
  TokenTagsError,
  TransactionFailedError,
  type UserRejectedError,
  WalletNotConnectedError,
  WrongChainError,
} from '../errors.js'
import { forwarderAbi, forwardRequestTypes, vestingVaultAbi } from '../internal/abis.js'
import { normalizeWriteError } from '../internal/normalize.js'
import { followRequest, getRelayChainConfig, postForwardRequest, type RelayChainConfig } from '../internal/relay.js'
import { estimateGas, getLatestBlock, readContract, waitForReceipt } from '../internal/rpc.js'
import { getWagmiConfig } from '../internal/wagmi.js'

export type ActionStatus = 'signing' | 'queued' | 'submitted' | 'confirmed' | 'failed'

export interface ActionStatusEvent {
  status: ActionStatus
  via: 'relay' | 'wallet'
  requestId?: string | undefined
  txHash?: Hex | undefined
  /** Set with `failed`. */
  error?: TokenTagsError | undefined
}

export interface ActionResult {
  txHash: Hex
  blockNumber: bigint
  via: 'relay' | 'wallet'
  requestId?: string | undefined
}

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
}

export type ClaimReturnType = ActionResult

export type ClaimErrorType =
  | InvalidParameterError
  | WalletNotConnectedError
  | WrongChainError
  | UserRejectedError
  | NothingToClaimError
  | RelayUnreachableError
  | RelayRejectedError
  | TransactionFailedError
  | TimeoutError
  | AbortedError

/** How long a signed forward request stays valid. */
const DEADLINE_SECONDS = 600n

/**
 * Claims vested tokens for the connected account. Gasless through the relay (an EIP-712 signed
 * ERC-2771 forward request) unless `gasless` is `never`; `auto` falls back to a wallet transaction only
 * when the relay is unreachable or not configured for the chain, never after the relay said no.
 */
export async function claim(client: TokenTagsClient, parameters: ClaimParameters): Promise<ClaimReturnType> {
  const { chainId, vault, onStatus, signal } = parameters
  const mode = parameters.gasless ?? client.gasless
  const timeoutMs = parameters.timeout ?? 180_000
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

  let via: 'relay' | 'wallet' = 'wallet'
  let signingStarted = false
  const emit = (event: ActionStatusEvent) => {
    if (event.status === 'signing') signingStarted = true
    onStatus?.(event)
  }
  try {
    throwIfAborted(signal)
    const config = getWagmiConfig(client)
    const { address: from, connector } = await connectedAccount(config, chainId)

    // The relay's config and the claimable amounts load together.
    const relayPromise = mode === 'never' ? undefined : relayFor(client, chainId, mode, signal)
    relayPromise?.catch(() => {})
    const claimables = await Promise.all(
      ids.map((id) =>
        readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'claimable', args: [id] }),
      ),
    ).catch((error: unknown) => {
      throw normalizeWriteError(error)
    })
    if (claimables.every((amount) => amount === 0n)) throw new NothingToClaimError()
    const relay = await relayPromise

    if (relay) {
      via = 'relay'
      const [gas, nonce, block] = await Promise.all([
        estimateGas(chain, { from, to: vault, data, abi: vestingVaultAbi }),
        readContract(chain, { address: relay.forwarder, abi: forwarderAbi, functionName: 'nonces', args: [from] }),
        getLatestBlock(chain),
      ])
      const nowSeconds = BigInt(Math.floor(Date.now() / 1000))
      const request = {
        from,
        to: vault,
        value: 0n,
        // The forwarder's call gets exactly this much: keep a margin over the direct estimate.
        gas: (gas * 13n) / 10n + 10_000n,
        nonce,
        deadline: Number((block.timestamp > nowSeconds ? block.timestamp : nowSeconds) + DEADLINE_SECONDS),
        data,
      }
      throwIfAborted(signal)
      emit({ status: 'signing', via })
      // eth_signTypedData_v4 JSON: integers as decimal strings, chainId as a number (what wallets compare).
      const typedData = JSON.stringify({
        types: forwardRequestTypes,
        domain: {
          name: relay.domain?.name ?? 'TokenTags Forwarder',
          version: relay.domain?.version ?? '1',
          chainId,
          verifyingContract: relay.forwarder,
        },
        primaryType: 'ForwardRequest',
        message: { ...request, value: '0', gas: request.gas.toString(), nonce: request.nonce.toString() },
      })
      const provider = await walletProvider(connector)
      const signature = (await provider.request({ method: 'eth_signTypedData_v4', params: [from, typedData] })) as Hex
      throwIfAborted(signal)
      let accepted: Awaited<ReturnType<typeof postForwardRequest>> | undefined
      try {
        accepted = await postForwardRequest(
          client,
          chainId,
          {
            request: {
              from: request.from,
              to: request.to,
              value: request.value.toString(),
              gas: request.gas.toString(),
              nonce: request.nonce.toString(),
              deadline: request.deadline.toString(),
              data: request.data,
            },
            signature,
          },
          signal,
        )
      } catch (error) {
        if (!(mode === 'auto' && error instanceof RelayUnreachableError)) throw error
      }
      if (accepted) return await followRelay(client, accepted.id, { emit, signal, timeoutMs })
      via = 'wallet'
    }

    emit({ status: 'signing', via })
    // The wallet fills gas, fees and nonce itself, as it does for any dapp.
    const provider = await walletProvider(connector)
    const txHash = (await provider.request({
      method: 'eth_sendTransaction',
      params: [{ from, to: vault, data, value: '0x0', chainId: numberToHex(chainId) }],
    })) as Hex
    emit({ status: 'submitted', via, txHash })
    const receipt = await waitForReceipt(chain, txHash, {
      timeoutMs,
      pollingInterval: client.pollingInterval,
      signal,
    }).catch((error: unknown) => {
      throw error instanceof TokenTagsError ? error : new TransactionFailedError({ txHash, cause: error })
    })
    if (receipt.status !== 'success') throw new TransactionFailedError({ txHash, reason: 'reverted on chain' })
    emit({ status: 'confirmed', via, txHash })
    return { txHash, blockNumber: receipt.blockNumber, via }
  } catch (error) {
    const normalized = normalizeWriteError(error)
    if (signingStarted) onStatus?.({ status: 'failed', via, error: normalized })
    throw normalized
  }
}

async function connectedAccount(config: Config, chainId: number): Promise<{ address: Address; connector: Connector }> {
  const connection = config.state.current ? config.state.connections.get(config.state.current) : undefined
  const address = connection?.accounts[0]
  if (!connection || !address || config.state.status !== 'connected') throw new WalletNotConnectedError()
  const walletChainId = await connection.connector.getChainId()
  if (walletChainId !== chainId) throw new WrongChainError({ expectedChainId: chainId, actualChainId: walletChainId })
  return { address, connector: connection.connector }
}

type RequestFn = (args: { method: string; params?: unknown }) => Promise<unknown>

async function walletProvider(connector: Connector): Promise<{ request: RequestFn }> {
  const provider = (await connector.getProvider()) as { request?: RequestFn } | undefined
  if (!provider?.request) throw new WalletNotConnectedError({ details: 'The wallet provider is gone.' })
  return provider as { request: RequestFn }
}

/** The relay to use, or undefined to go through the wallet (`auto` with no usable relay). */
async function relayFor(
  client: TokenTagsClient,
  chainId: number,
  mode: GaslessMode,
  signal: AbortSignal | undefined,
): Promise<RelayChainConfig | undefined> {
  if (!client.relayUrl) {
    if (mode === 'always')
      throw new RelayUnreachableError({ url: '(none)', details: 'gasless is "always" but no relayUrl is configured.' })
    return undefined
  }
  try {
    const relay = await getRelayChainConfig(client, chainId, signal)
    if (relay) return relay
    if (mode === 'always')
      throw new RelayRejectedError({
        relayCode: 'CHAIN_NOT_SUPPORTED',
        relayMessage: `The relay does not serve chain ${chainId}.`,
      })
    return undefined
  } catch (error) {
    if (mode === 'auto' && error instanceof RelayUnreachableError) return undefined
    throw error
  }
}

async function followRelay(
  client: TokenTagsClient,
  requestId: string,
  {
    emit,
    signal,
    timeoutMs,
  }: { emit: (event: ActionStatusEvent) => void; signal: AbortSignal | undefined; timeoutMs: number },
): Promise<ActionResult> {
  let last: string | undefined
  let txHash: Hex | undefined
  const update = (state: { status: string; txHash?: Hex | undefined }) => {
    if (state.txHash) txHash = state.txHash
    // `rejected` and `failed` surface as the thrown error (and one `failed` event from claim's catch).
    if (state.status === last || state.status === 'failed' || state.status === 'rejected') return
    if (state.status === 'confirmed' && last !== 'submitted' && txHash)
      emit({ status: 'submitted', via: 'relay', requestId, txHash })
    last = state.status
    if (state.status === 'queued' || state.status === 'submitted' || state.status === 'confirmed')
      emit({ status: state.status, via: 'relay', requestId, txHash })
  }
  update({ status: 'queued' })
  const final = await followRequest(client, requestId, { signal, timeoutMs, onUpdate: update })
  if (final.status === 'confirmed') {
    if (!final.txHash || final.blockNumber === undefined)
      throw new TransactionFailedError({ reason: 'the relay confirmed without a transaction hash' })
    return { txHash: final.txHash, blockNumber: BigInt(final.blockNumber), via: 'relay', requestId }
  }
  if (final.status === 'rejected')
    throw new RelayRejectedError({ relayCode: final.error?.code ?? 'REJECTED', relayMessage: final.error?.message })
  throw new TransactionFailedError({ txHash: final.txHash, reason: final.error?.message ?? final.error?.code })
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError({ cause: signal.reason })
}
