// The write path shared by claim, tip and buy: the connected wallet, a forward request signed by the wallet (or by
// a one-time local key when the call needs no sender, see tip's EIP-3009 path) and followed through the relay, or a
// plain wallet transaction.

import {
  FORWARDER_DOMAIN_NAME,
  FORWARDER_DOMAIN_VERSION,
  forwarderNoncesAbi,
  forwardRequestTypes,
} from '@tokentags/contracts/forwarder'
import type { Config, Connector } from '@wagmi/core'
import { type Abi, type Address, decodeErrorResult, type Hex, numberToHex } from 'viem'
import type { ActionResult, ActionStatusEvent } from '../actions/types.js'
import type { ChainClient, GaslessMode, TokenTagsClient } from '../client.js'
import {
  AbortedError,
  RelayRejectedError,
  RelayUnreachableError,
  relayFailure,
  TokenTagsError,
  TransactionFailedError,
  type WalletFallback,
  WalletNotConnectedError,
  WrongChainError,
} from '../errors.js'
import { causeChain, normalizeWriteError } from './normalize.js'
import {
  followRequest,
  getRelayChainConfig,
  type HumanCheck,
  postForwardRequest,
  type RelayChainConfig,
} from './relay.js'
import { getLatestBlock, readContract, waitForReceipt } from './rpc.js'
import { erc20Abi } from './tokenAbis.js'
import { getWagmiConfig } from './wagmi.js'

/** How long a signed forward request, permit or authorization stays valid. */
export const DEADLINE_SECONDS = 600n

export type RequestFn = (args: { method: string; params?: unknown }) => Promise<unknown>

export interface WriteContext {
  client: TokenTagsClient
  chainId: number
  chain: ChainClient
  from: Address
  provider: { request: RequestFn }
  signal: AbortSignal | undefined
  timeoutMs: number
  emit: (event: ActionStatusEvent) => void
  /** Set once the relay accepted a request: from then on it may land, so paying the gas is never offered. */
  relayAccepted?: boolean
  /** The human-check token (or its provider) a site's relay may require with each forwarded request. */
  humanCheck?: HumanCheck | undefined
}

/**
 * The frame of every write action: the connected account on `chainId`, its wallet's provider and the
 * `WriteContext` the steps share, whose `emit` remembers the path taken. Errors come out normalized,
 * with one `failed` status event once the visitor has been asked to sign.
 */
export async function runWrite<T>(
  client: TokenTagsClient,
  options: {
    chainId: number
    signal: AbortSignal | undefined
    timeoutMs: number | undefined
    onStatus: ((event: ActionStatusEvent) => void) | undefined
    humanCheck?: HumanCheck | undefined
  },
  body: (context: WriteContext) => Promise<T>,
): Promise<T> {
  const { chainId, signal, onStatus } = options
  let via: 'relay' | 'wallet' = 'wallet'
  let signingStarted = false
  const emit = (event: ActionStatusEvent) => {
    via = event.via
    if (event.status === 'signing') signingStarted = true
    onStatus?.(event)
  }
  try {
    throwIfAborted(signal)
    const { address: from, connector } = await connectedAccount(getWagmiConfig(client), chainId)
    return await body({
      client,
      chainId,
      chain: client.getChainClient(chainId),
      from,
      provider: await walletProvider(connector),
      signal,
      timeoutMs: options.timeoutMs ?? 180_000,
      emit,
      humanCheck: options.humanCheck,
    })
  } catch (error) {
    const normalized = normalizeWriteError(error)
    if (signingStarted) onStatus?.({ status: 'failed', via, error: normalized })
    throw normalized
  }
}

export async function connectedAccount(
  config: Config,
  chainId: number,
): Promise<{ address: Address; connector: Connector }> {
  const connection = config.state.current ? config.state.connections.get(config.state.current) : undefined
  const address = connection?.accounts[0]
  if (!connection || !address || config.state.status !== 'connected') throw new WalletNotConnectedError()
  const walletChainId = await connection.connector.getChainId()
  if (walletChainId !== chainId) throw new WrongChainError({ expectedChainId: chainId, actualChainId: walletChainId })
  return { address, connector: connection.connector }
}

export async function walletProvider(connector: Connector): Promise<{ request: RequestFn }> {
  const provider = (await connector.getProvider()) as { request?: RequestFn } | undefined
  if (!provider?.request) throw new WalletNotConnectedError({ details: 'The wallet provider is gone.' })
  return provider as { request: RequestFn }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError({ cause: signal.reason })
}

/**
 * The relay to use, or undefined to go through the wallet: `never`, or `auto` on a page without a relay (no gasless
 * promise was made). A configured relay that is down, refuses, or does not serve the chain throws: `auto` never
 * switches to the wallet by itself (see `offerWallet`).
 */
export async function relayFor(
  client: TokenTagsClient,
  chainId: number,
  mode: GaslessMode,
  signal: AbortSignal | undefined,
): Promise<RelayChainConfig | undefined> {
  if (mode === 'never') return undefined
  if (!client.relayUrl) {
    if (mode === 'always')
      throw new RelayUnreachableError({ url: '(none)', details: 'gasless is "always" but no relayUrl is configured.' })
    return undefined
  }
  const relay = await getRelayChainConfig(client, chainId, signal)
  if (relay) return relay
  throw new RelayRejectedError({
    relayCode: 'CHAIN_NOT_SUPPORTED',
    relayMessage: `The relay does not serve chain ${chainId}.`,
  })
}

/**
 * Runs the gasless part of an action (up to the relay accepting the request). When the relay cannot take it and
 * `mode` is `auto`, the error is thrown with `walletFallback`: what the same action would cost if the visitor pays
 * the gas (`walletGas`, × the wallet's gas price), for the caller to offer (again with `gasless: 'never'`).
 */
export async function offerWallet<T>(
  context: WriteContext,
  mode: GaslessMode,
  walletGas: () => Promise<bigint>,
  gasless: () => Promise<T>,
  value = 0n,
): Promise<T> {
  try {
    return await gasless()
  } catch (error) {
    const failure = relayFailure(error)
    if (!failure?.walletCanDoIt || mode !== 'auto' || context.relayAccepted) throw error
    const fallback = await walletFallback(context, walletGas, value).catch(() => undefined)
    if (fallback) (error as { walletFallback?: WalletFallback }).walletFallback = fallback
    throw error
  }
}

/** The estimated cost of sending the action from the wallet: its gas × the gas price the visitor's wallet reports. */
async function walletFallback(
  context: WriteContext,
  walletGas: () => Promise<bigint>,
  value: bigint,
): Promise<WalletFallback> {
  const [gas, gasPrice, balance] = await Promise.all([
    walletGas(),
    // The wallet's own price, as it will fill the transaction; the page's RPC when the wallet does not answer.
    context.provider
      .request({ method: 'eth_gasPrice' })
      .catch(() => context.chain.request({ method: 'eth_gasPrice' } as never))
      .then((price) => BigInt(price as Hex)),
    context.chain
      .request({ method: 'eth_getBalance', params: [context.from, 'latest'] } as never)
      .then((wei) => BigInt(wei as Hex)),
  ])
  const cost = gas * gasPrice
  return { gas, gasPrice, cost, balance, affordable: balance >= cost + value }
}

/** A view call that answers undefined when it reverts (e.g. a token without `permit`). */
export function tryRead<T>(read: () => Promise<T>): Promise<T | undefined> {
  return read().catch(() => undefined)
}

export interface TypedDataRequest {
  domain: { name: string; version: string; chainId: number; verifyingContract: Address }
  types: Record<string, readonly { name: string; type: string }[]>
  primaryType: string
  message: Record<string, unknown>
}

const domainType = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
] as const

/** `eth_signTypedData_v4` through the wallet: integers as decimal strings, `EIP712Domain` spelled out. */
export async function signWithWallet(context: WriteContext, typed: TypedDataRequest): Promise<Hex> {
  const json = JSON.stringify({ ...typed, types: { EIP712Domain: domainType, ...typed.types } }, (_, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  )
  return (await context.provider.request({ method: 'eth_signTypedData_v4', params: [context.from, json] })) as Hex
}

/** The EIP-712 domain of a token: EIP-5267 `eip712Domain()`, else `name()` and `version()` (default "1"). */
export async function tokenDomain(
  chain: ChainClient,
  chainId: number,
  token: Address,
): Promise<TypedDataRequest['domain']> {
  const five = await tryRead(() => readContract(chain, { address: token, abi: erc20Abi, functionName: 'eip712Domain' }))
  if (five) return { name: five[1], version: five[2], chainId, verifyingContract: token }
  const [name, version] = await Promise.all([
    readContract(chain, { address: token, abi: erc20Abi, functionName: 'name' }),
    tryRead(() => readContract(chain, { address: token, abi: erc20Abi, functionName: 'version' })),
  ])
  return { name, version: version ?? '1', chainId, verifyingContract: token }
}

/** A deadline `DEADLINE_SECONDS` ahead of both the chain's clock and ours. */
export async function deadlineFrom(chain: ChainClient): Promise<bigint> {
  const block = await getLatestBlock(chain)
  const now = BigInt(Math.floor(Date.now() / 1000))
  return (block.timestamp > now ? block.timestamp : now) + DEADLINE_SECONDS
}

/** A decoded custom error of a reverted call, if the node returned revert data the ABI knows. */
export function decodeRevert(error: unknown, abi: Abi): { errorName: string; args: readonly unknown[] } | undefined {
  for (const e of causeChain(error)) {
    const data = typeof e.data === 'string' ? e.data : (e.data as { data?: unknown } | undefined)?.data
    if (typeof data !== 'string' || !data.startsWith('0x') || data.length < 10) continue
    try {
      const decoded = decodeErrorResult({ abi, data: data as Hex })
      return { errorName: decoded.errorName, args: (decoded.args ?? []) as readonly unknown[] }
    } catch {
      return undefined
    }
  }
  return undefined
}

/**
 * `eth_estimateGas` of a call; a revert goes through `mapRevert` (a named error the caller knows, e.g. slippage)
 * or becomes TRANSACTION_FAILED with the custom error's name.
 */
export async function estimateCall(
  chain: ChainClient,
  call: { from: Address; to: Address; data: Hex; value?: bigint | undefined },
  abi: Abi,
  mapRevert?: (revert: { errorName: string; args: readonly unknown[] }, cause: unknown) => TokenTagsError | undefined,
): Promise<bigint> {
  try {
    const gas = await chain.request({
      method: 'eth_estimateGas',
      params: [
        { from: call.from, to: call.to, data: call.data, ...(call.value ? { value: numberToHex(call.value) } : {}) },
      ],
    } as never)
    return BigInt(gas as Hex)
  } catch (error) {
    const revert = decodeRevert(error, abi)
    const mapped = revert && mapRevert?.(revert, error)
    if (mapped) throw mapped
    if (revert) throw new TransactionFailedError({ reason: revert.errorName, cause: error })
    if (causeChain(error).some((e) => typeof e.code === 'number'))
      throw new TransactionFailedError({ reason: 'the call reverts', cause: error })
    throw error
  }
}

/** Signs typed data with a local account (viem's `LocalAccount` fits). */
export type LocalSigner = {
  address: Address
  // biome-ignore lint/suspicious/noExplicitAny: viem's LocalAccount.signTypedData is generic over the typed data.
  signTypedData: (args: any) => Promise<Hex>
}

/**
 * Sends `call` through the relay as an ERC-2771 forward request signed by the wallet (or `signer`), and follows it
 * to its final status. Never falls back to the wallet (see `offerWallet`).
 */
export async function sendForwarded(
  context: WriteContext,
  relay: RelayChainConfig,
  /** `gas` may still be loading: it is awaited beside the forwarder's nonce and the block. */
  call: { to: Address; data: Hex; gas: bigint | Promise<bigint> },
  signer?: LocalSigner,
): Promise<ActionResult> {
  const { client, chain, chainId, signal } = context
  const from = signer?.address ?? context.from
  const [gas, nonce, deadline] = await Promise.all([
    call.gas,
    readContract(chain, { address: relay.forwarder, abi: forwarderNoncesAbi, functionName: 'nonces', args: [from] }),
    deadlineFrom(chain),
  ])
  const request = {
    from,
    to: call.to,
    value: 0n,
    // The forwarder's call gets exactly this much: keep a margin over the direct estimate.
    gas: (gas * 13n) / 10n + 10_000n,
    nonce,
    deadline: Number(deadline),
    data: call.data,
  }
  const domain = {
    name: relay.domain?.name ?? FORWARDER_DOMAIN_NAME,
    version: relay.domain?.version ?? FORWARDER_DOMAIN_VERSION,
    chainId,
    verifyingContract: relay.forwarder,
  }
  throwIfAborted(signal)
  let signature: Hex
  if (signer) {
    signature = await signer.signTypedData({
      domain,
      types: { EIP712Domain: domainType, ...forwardRequestTypes },
      primaryType: 'ForwardRequest',
      message: request,
    })
  } else {
    context.emit({ status: 'signing', via: 'relay' })
    signature = await signWithWallet(context, {
      domain,
      types: forwardRequestTypes,
      primaryType: 'ForwardRequest',
      message: request,
    })
  }
  throwIfAborted(signal)
  const accepted = await postForwardRequest(
    client,
    chainId,
    {
      request: {
        from: request.from,
        to: request.to,
        value: '0',
        gas: request.gas.toString(),
        nonce: request.nonce.toString(),
        deadline: request.deadline.toString(),
        data: request.data,
      },
      signature,
    },
    signal,
    context.humanCheck,
  )
  context.relayAccepted = true
  return followRelay(context, accepted.id)
}

async function followRelay(context: WriteContext, requestId: string): Promise<ActionResult> {
  const { emit } = context
  let last: string | undefined
  let txHash: Hex | undefined
  const update = (state: { status: string; txHash?: Hex | undefined }) => {
    if (state.txHash) txHash = state.txHash
    if (state.status === last || state.status === 'failed' || state.status === 'rejected') return
    if (state.status === 'confirmed' && last !== 'submitted' && txHash)
      emit({ status: 'submitted', via: 'relay', requestId, txHash })
    last = state.status
    if (state.status === 'queued' || state.status === 'submitted' || state.status === 'confirmed')
      emit({ status: state.status, via: 'relay', requestId, txHash })
  }
  update({ status: 'queued' })
  const final = await followRequest(context.client, requestId, {
    signal: context.signal,
    timeoutMs: context.timeoutMs,
    onUpdate: update,
  })
  if (final.status === 'confirmed') {
    if (!final.txHash || final.blockNumber === undefined)
      throw new TransactionFailedError({ reason: 'the relay confirmed without a transaction hash' })
    return { txHash: final.txHash, blockNumber: BigInt(final.blockNumber), via: 'relay', requestId }
  }
  if (final.status === 'rejected')
    throw new RelayRejectedError({ relayCode: final.error?.code ?? 'REJECTED', relayMessage: final.error?.message })
  throw new TransactionFailedError({ txHash: final.txHash, reason: final.error?.message ?? final.error?.code })
}

/** A transaction the wallet fills (gas, fees, nonce) and sends; waits for its receipt. */
export async function sendFromWallet(
  context: WriteContext,
  call: { to: Address; data?: Hex | undefined; value?: bigint | undefined },
  options: { final?: boolean } = {},
): Promise<ActionResult> {
  const { chain, chainId, emit, signal } = context
  emit({ status: 'signing', via: 'wallet' })
  const txHash = (await context.provider.request({
    method: 'eth_sendTransaction',
    params: [
      {
        from: context.from,
        to: call.to,
        ...(call.data ? { data: call.data } : {}),
        value: numberToHex(call.value ?? 0n),
        chainId: numberToHex(chainId),
      },
    ],
  })) as Hex
  emit({ status: 'submitted', via: 'wallet', txHash })
  const receipt = await waitForReceipt(chain, txHash, {
    timeoutMs: context.timeoutMs,
    pollingInterval: context.client.pollingInterval,
    signal,
  }).catch((error: unknown) => {
    throw error instanceof TokenTagsError ? error : new TransactionFailedError({ txHash, cause: error })
  })
  if (receipt.status !== 'success') throw new TransactionFailedError({ txHash, reason: 'reverted on chain' })
  if (options.final !== false) emit({ status: 'confirmed', via: 'wallet', txHash })
  return { txHash, blockNumber: receipt.blockNumber, via: 'wallet' }
}

/**
 * `v`, `r`, `s` of a 65-byte signature, as permit and EIP-3009 functions take them. (viem's `parseSignature` would
 * bring secp256k1 into the bundle.)
 */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature))
    throw new TransactionFailedError({ reason: 'the wallet returned a malformed signature' })
  const v = Number.parseInt(signature.slice(130, 132), 16)
  return { r: `0x${signature.slice(2, 66)}`, s: `0x${signature.slice(66, 130)}`, v: v < 27 ? v + 27 : v }
}
