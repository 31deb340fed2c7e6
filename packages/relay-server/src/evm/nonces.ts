import type { Address } from 'viem'
import type { RequestStore } from '../store/requests/types.js'
import type { ChainRuntime } from './chain.js'
import { ChainUnavailableError } from './errors.js'
import { isTransportError } from './nodeErrors.js'

/**
 * The one nonce rule of the relay, used by admission (`POST /v1/evm/:chainId/requests`) and by the
 * batcher's screening alike: a sender's request may carry the forwarder's next nonce for it, or the
 * nonce right after its requests still pending in the store. The store is shared by every instance,
 * so the rule holds across instances: nonces 0, 1, 2 sent to three instances in turn are all taken.
 */
export interface SenderNonces {
  /** The forwarder's `nonces(from)`. */
  chainNonce: bigint
  /** Nonces of the sender's non-final requests in the store (any order; those below `chainNonce` already ran). */
  pending: readonly bigint[]
}

export type NonceVerdict =
  /** The nonce runs next: right now (`ahead` false) or once the pending ones before it ran. */
  | { kind: 'next'; ahead: boolean }
  /** The forwarder already used it. */
  | { kind: 'used'; next: bigint }
  /** A request with it is already pending. */
  | { kind: 'pending'; next: bigint }
  /** Nonces between the next one and it are neither used nor pending: it could never run. */
  | { kind: 'gap'; next: bigint }

/** The nonce the sender's next request must carry: the chain's, past the unbroken run of pending ones after it. */
export function nextNonce({ chainNonce, pending }: SenderNonces): bigint {
  const set = new Set(pending)
  let next = chainNonce
  while (set.has(next)) next++
  return next
}

/** Judges `nonce` against the chain and the pending set. Pure: the same inputs always give the same verdict. */
export function judgeNonce(nonce: bigint, state: SenderNonces): NonceVerdict {
  const next = nextNonce(state)
  if (nonce < state.chainNonce) return { kind: 'used', next }
  if (state.pending.includes(nonce)) return { kind: 'pending', next }
  if (nonce > next) return { kind: 'gap', next }
  return { kind: 'next', ahead: nonce > state.chainNonce }
}

/**
 * Whether a pending request can still run: every nonce between the chain's and its own is pending.
 * The same rule as admission, asked about a request already in the pending set.
 */
export function canStillRun(nonce: bigint, state: SenderNonces): boolean {
  return (
    judgeNonce(nonce, { chainNonce: state.chainNonce, pending: state.pending.filter((n) => n !== nonce) }).kind ===
    'next'
  )
}

/**
 * Reads what the rule needs. Store first, chain second: a request settling in between then shows
 * up as executed on chain, never as a hole.
 */
export async function readSenderNonces(
  requests: Pick<RequestStore, 'pendingNonces'>,
  chain: ChainRuntime,
  from: Address,
): Promise<SenderNonces> {
  const pending = await requests.pendingNonces(chain.chainId, from)
  try {
    return { pending, chainNonce: await chain.readNonce(from) }
  } catch (error) {
    if (isTransportError(error)) throw new ChainUnavailableError(chain.chainId, { cause: error })
    throw error
  }
}
