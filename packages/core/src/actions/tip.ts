import { type Address, encodeAbiParameters, encodeFunctionData, isAddress, keccak256, toHex } from 'viem'
import type { GaslessMode, TokenTagsClient } from '../client.js'
import {
  type AbortedError,
  GaslessUnsupportedError,
  InvalidParameterError,
  type RelayOriginNotAllowedError,
  type RelayRejectedError,
  type RelayUnreachableError,
  type TimeoutError,
  type TransactionFailedError,
  type UserRejectedError,
  type WalletNotConnectedError,
  type WrongChainError,
} from '../errors.js'
import {
  deadlineFrom,
  estimateCall,
  type LocalSigner,
  offerWallet,
  relayFor,
  runWrite,
  sendForwarded,
  sendFromWallet,
  signWithWallet,
  splitSignature,
  throwIfAborted,
  tokenDomain,
  tryRead,
  type WriteContext,
} from '../internal/evmWrite.js'
import { tipRouterAbi } from '../internal/platformAbis.js'
import type { HumanCheck, RelayChainConfig } from '../internal/relay.js'
import { readContract } from '../internal/rpc.js'
import { erc20Abi, permitTypes, receiveWithAuthorizationTypes, tipWithAuthorizationAbi } from '../internal/tokenAbis.js'
import type { ActionResult, ActionStatusEvent } from './types.js'

/**
 * How a tip reaches the chain:
 * - `native`: a wallet transaction carrying the coins (the visitor pays gas);
 * - `transfer`: a forwarded `transfer` of a token that trusts the forwarder (one signature, gasless);
 * - `authorization`: an EIP-3009 `ReceiveWithAuthorization` to the TipRouter, submitted by the relay (one signature);
 * - `permit`: an EIP-2612 permit for the TipRouter plus a forwarded `tipWithPermit` (two signatures, gasless);
 * - `wallet`: wallet transactions (`transfer`, or `approve` when needed and the router's `tip`).
 */
export type TipMethod = 'native' | 'transfer' | 'authorization' | 'permit' | 'wallet'

export interface TipParameters {
  chainId: number
  /** The creator receiving the tip. */
  to: Address
  /** An ERC-20 address; the chain's native coin when omitted or `native`. */
  token?: Address | 'native' | undefined
  /** In the token's base units. */
  amount: bigint
  /** Recorded in the TipRouter's `Tipped` event (needs `router`). */
  memo?: string | undefined
  /** The TipRouter: needed for permit and EIP-3009 tips and for memos; tips go straight to `to` without it. */
  router?: Address | undefined
  /** Defaults to the client's `gasless`. Native tips are always wallet transactions. */
  gasless?: GaslessMode | undefined
  /** Forces a method; `auto` (default) picks the one with the fewest wallet prompts the token allows. */
  method?: 'auto' | Exclude<TipMethod, 'native'> | undefined
  /**
   * Signs the forward request around an EIP-3009 tip, whose sender does not matter, so the wallet is asked once
   * (e.g. a one-time `privateKeyToAccount(generatePrivateKey())` from `viem/accounts`, which core does not bundle).
   * Without it the wallet signs the forward request too.
   */
  forwardSigner?: ForwardSigner | undefined
  onStatus?: ((event: ActionStatusEvent) => void) | undefined
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

/** A local account that signs EIP-712 typed data (viem's `LocalAccount` fits). */
export type ForwardSigner = LocalSigner

export type TipReturnType = ActionResult & { method: TipMethod }

export type TipErrorType =
  | InvalidParameterError
  | WalletNotConnectedError
  | WrongChainError
  | UserRejectedError
  | GaslessUnsupportedError
  | RelayUnreachableError
  | RelayOriginNotAllowedError
  | RelayRejectedError
  | TransactionFailedError
  | TimeoutError
  | AbortedError

const ZERO: Address = '0x0000000000000000000000000000000000000000'
const MAX_MEMO_BYTES = 256

/**
 * Tips `amount` of `token` (or the native coin) to `to`. ERC-20 tips are gasless through the relay with as few
 * wallet prompts as the token allows (see {@link TipMethod}); native tips are wallet transactions.
 *
 * @example
 * await tip(client, { chainId: 8453, to: creator, token: usdc, amount: 5_000_000n, router, memo: 'thanks!' })
 */
export async function tip(client: TokenTagsClient, parameters: TipParameters): Promise<TipReturnType> {
  const { chainId, to, amount, router, onStatus, signal } = parameters
  const memo = parameters.memo ?? ''
  const mode = parameters.gasless ?? client.gasless
  const forced = parameters.method ?? 'auto'
  const token = parameters.token === undefined || parameters.token === 'native' ? undefined : parameters.token
  if (!['auto', 'always', 'never'].includes(mode)) throw new InvalidParameterError(`Unknown gasless mode "${mode}".`)
  if (!isAddress(to, { strict: false }) || to.toLowerCase() === ZERO)
    throw new InvalidParameterError(`to "${String(to)}" is not an address.`)
  if (token !== undefined && !isAddress(token, { strict: false }))
    throw new InvalidParameterError(`token "${String(token)}" is not an address.`)
  if (router !== undefined && !isAddress(router, { strict: false }))
    throw new InvalidParameterError(`router "${String(router)}" is not an address.`)
  if (typeof amount !== 'bigint' || amount <= 0n) throw new InvalidParameterError('amount must be a positive bigint.')
  if (new TextEncoder().encode(memo).length > MAX_MEMO_BYTES)
    throw new InvalidParameterError(`memo is longer than ${MAX_MEMO_BYTES} bytes.`)
  if (memo && !router) throw new InvalidParameterError('A memo needs the tip router (router).')
  const chain = client.getChainClient(chainId)

  const options = { chainId, signal, timeoutMs: parameters.timeout, onStatus, humanCheck: parameters.humanCheck }
  return runWrite(client, options, async (context) => {
    const { from } = context

    if (!token) {
      // The coins travel with the transaction: only the visitor's wallet can send them.
      const result = router
        ? await sendFromWallet(context, {
            to: router,
            data: encodeFunctionData({ abi: tipRouterAbi, functionName: 'tip', args: [ZERO, to, amount, memo] }),
            value: amount,
          })
        : await sendFromWallet(context, { to, value: amount })
      return { ...result, method: 'native' }
    }

    const walletGas = () => walletTipGas(context, token, to, amount, memo, router)
    const relay =
      forced === 'wallet'
        ? undefined
        : await offerWallet(context, mode, walletGas, () => relayFor(client, chainId, mode, signal))
    if (relay) {
      const method = forced === 'auto' ? await pickMethod(context, relay, token, router, memo) : forced
      const args = { token, to, amount, memo, router }
      const result = await offerWallet(context, mode, walletGas, async () => {
        if (method === 'wallet' || method === undefined)
          throw new GaslessUnsupportedError({
            details: `${token} neither trusts the forwarder nor supports permit or EIP-3009${router ? '' : ' (no router given)'}.`,
          })
        return sendGasless(context, relay, method, args, parameters.forwardSigner)
      })
      return { ...result, method: method as Exclude<TipMethod, 'native' | 'wallet'> }
    }

    // Through the wallet: the visitor pays gas.
    if (!router) {
      const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] })
      return { ...(await sendFromWallet(context, { to: token, data })), method: 'wallet' }
    }
    const allowance = await readContract(chain, {
      address: token,
      abi: erc20Abi,
      functionName: 'allowance',
      args: [from, router],
    })
    if (allowance < amount) {
      const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [router, amount] })
      await sendFromWallet(context, { to: token, data: approve }, { final: false })
    }
    const data = encodeFunctionData({ abi: tipRouterAbi, functionName: 'tip', args: [token, to, amount, memo] })
    return { ...(await sendFromWallet(context, { to: router, data })), method: 'wallet' }
  })
}

/**
 * Gas of the tip sent from the wallet: a `transfer`, or the router's `tip` after an `approve` when the allowance is
 * short (the `tip` cannot be estimated before that approval exists: a typical router tip's gas stands in for it).
 */
async function walletTipGas(
  context: WriteContext,
  token: Address,
  to: Address,
  amount: bigint,
  memo: string,
  router: Address | undefined,
): Promise<bigint> {
  const { chain, from } = context
  if (!router) {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] })
    return estimateCall(chain, { from, to: token, data }, erc20Abi)
  }
  const tipData = encodeFunctionData({ abi: tipRouterAbi, functionName: 'tip', args: [token, to, amount, memo] })
  const allowance = await readContract(chain, {
    address: token,
    abi: erc20Abi,
    functionName: 'allowance',
    args: [from, router],
  })
  if (allowance >= amount) return estimateCall(chain, { from, to: router, data: tipData }, tipRouterAbi)
  const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [router, amount] })
  return (await estimateCall(chain, { from, to: token, data: approve }, erc20Abi)) + ROUTER_TIP_GAS
}

/** A router `tip` of an ERC-20 with a memo, measured on the TipRouter (about 70 000) plus a margin. */
const ROUTER_TIP_GAS = 90_000n

/** The gasless method with the fewest prompts this token allows, or undefined when none fits. */
async function pickMethod(
  context: WriteContext,
  relay: RelayChainConfig,
  token: Address,
  router: Address | undefined,
  memo: string,
): Promise<Exclude<TipMethod, 'native' | 'wallet'> | undefined> {
  const { chain, from } = context
  const [trusted, authorizations, permitNonce] = await Promise.all([
    tryRead(() =>
      readContract(chain, {
        address: token,
        abi: erc20Abi,
        functionName: 'isTrustedForwarder',
        args: [relay.forwarder],
      }),
    ),
    router
      ? tryRead(() =>
          readContract(chain, {
            address: token,
            abi: erc20Abi,
            functionName: 'authorizationState',
            args: [from, `0x${'0'.repeat(64)}`],
          }),
        )
      : undefined,
    router
      ? tryRead(() => readContract(chain, { address: token, abi: erc20Abi, functionName: 'nonces', args: [from] }))
      : undefined,
  ])
  // A memo only reaches the chain through the router's Tipped event.
  if (trusted === true && !memo) return 'transfer'
  if (router && authorizations !== undefined && (await routerTakesAuthorizations(context, router, token)))
    return 'authorization'
  if (router && permitNonce !== undefined) return 'permit'
  if (trusted === true) return 'transfer'
  return undefined
}

/** Whether the router has `tipWithAuthorization`: a missing function reverts with no data, a present one explains. */
async function routerTakesAuthorizations(context: WriteContext, router: Address, token: Address): Promise<boolean> {
  const data = encodeFunctionData({
    abi: tipWithAuthorizationAbi,
    functionName: 'tipWithAuthorization',
    args: [
      token,
      context.from,
      context.from,
      0n,
      '',
      0n,
      0n,
      `0x${'0'.repeat(64)}`,
      27,
      `0x${'0'.repeat(64)}`,
      `0x${'0'.repeat(64)}`,
    ],
  })
  try {
    await context.chain.request({ method: 'eth_call', params: [{ to: router, data }, 'latest'] } as never)
    return true
  } catch (error) {
    const revertData = findRevertData(error)
    return revertData !== undefined && revertData !== '0x'
  }
}

function findRevertData(error: unknown): string | undefined {
  let current: unknown = error
  for (let i = 0; current && typeof current === 'object' && i < 20; i++) {
    const data = (current as { data?: unknown }).data
    const hex = typeof data === 'string' ? data : (data as { data?: unknown } | undefined)?.data
    if (typeof hex === 'string' && hex.startsWith('0x')) return hex
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

async function sendGasless(
  context: WriteContext,
  relay: RelayChainConfig,
  method: Exclude<TipMethod, 'native' | 'wallet'>,
  args: { token: Address; to: Address; amount: bigint; memo: string; router: Address | undefined },
  signer: LocalSigner | undefined,
): Promise<ActionResult> {
  const { chain, chainId, from } = context
  const { token, to, amount, memo, router } = args
  if (method === 'transfer') {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] })
    const gas = await estimateCall(chain, { from, to: token, data }, erc20Abi)
    return sendForwarded(context, relay, { to: token, data, gas })
  }
  if (!router) throw new InvalidParameterError(`A ${method} tip needs the tip router (router).`)
  const [domain, deadline] = await Promise.all([tokenDomain(chain, chainId, token), deadlineFrom(chain)])

  if (method === 'permit') {
    const nonce = await readContract(chain, { address: token, abi: erc20Abi, functionName: 'nonces', args: [from] })
    context.emit({ status: 'signing', via: 'relay' })
    const signature = await signWithWallet(context, {
      domain,
      types: permitTypes,
      primaryType: 'Permit',
      message: { owner: from, spender: router, value: amount, nonce, deadline },
    })
    const { v, r, s } = splitSignature(signature)
    const data = encodeFunctionData({
      abi: tipRouterAbi,
      functionName: 'tipWithPermit',
      args: [token, to, amount, memo, deadline, v, r, s],
    })
    const gas = await estimateCall(chain, { from, to: router, data }, tipRouterAbi)
    throwIfAborted(context.signal)
    return sendForwarded(context, relay, { to: router, data, gas })
  }

  // EIP-3009: the authorization pays the router only, and its nonce fixes the recipient and memo, so whoever
  // submits it cannot redirect the tip. The forward request around it needs no particular sender: a one-time
  // local key (`forwardSigner`) can sign it, leaving the wallet one prompt; else the wallet signs it too.
  const salt = toHex(crypto.getRandomValues(new Uint8Array(32)))
  const nonce = keccak256(
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes32' }],
      [to, keccak256(toHex(memo)), salt],
    ),
  )
  context.emit({ status: 'signing', via: 'relay' })
  const signature = await signWithWallet(context, {
    domain,
    types: receiveWithAuthorizationTypes,
    primaryType: 'ReceiveWithAuthorization',
    message: { from, to: router, value: amount, validAfter: 0n, validBefore: deadline, nonce },
  })
  const { v, r, s } = splitSignature(signature)
  const data = encodeFunctionData({
    abi: tipWithAuthorizationAbi,
    functionName: 'tipWithAuthorization',
    args: [token, from, to, amount, memo, 0n, deadline, salt, v, r, s],
  })
  const gas = await estimateCall(chain, { from: signer?.address ?? from, to: router, data }, tipRouterAbi)
  throwIfAborted(context.signal)
  return sendForwarded(context, relay, { to: router, data, gas }, signer)
}
