// What a node's refusal means, decided here and nowhere else: each class carries its own matcher
// (viem's `errors/node.ts` habit) and `classifyNodeError` applies them in one order.
import { BaseError, HttpRequestError, RpcRequestError, SocketClosedError, TimeoutError } from 'viem'
import { revertData } from './revert.js'

/** A node's answer to a request, by kind. `text` is the node's own wording (may name the RPC URL: not for clients). */
export class NodeError extends Error {
  override name = 'NodeError'
  readonly text: string

  constructor(text: string, options: { cause?: unknown } = {}) {
    super(
      `the node answered: ${text.slice(0, 200)}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.text = text
  }
}

/** The node has the transaction already (a re-broadcast of a variant it holds). */
export class AlreadyKnownError extends NodeError {
  override name = 'AlreadyKnownError'
  static readonly nodeMessage = /already known|known transaction|already imported|already exists|alreadyknown/i
}

/** The node could not be reached or did not answer (network, timeout, HTTP, a non-execution JSON-RPC error). */
export class NodeUnreachableError extends NodeError {
  override name = 'NodeUnreachableError'

  static matches(error: unknown): boolean {
    if (!(error instanceof BaseError)) return false
    const found = error.walk(
      (e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof SocketClosedError,
    )
    if (found) return true
    // A JSON-RPC error that is not an execution revert (e.g. method not found, rate limited). Not
    // -32003 either (EIP-1474 "transaction rejected"): the node answered and refused, as anvil does
    // with "nonce too low"; the sender must handle that refusal, not wait for the node to come back.
    const rpc = error.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null
    return (
      rpc !== null && rpc.code !== 3 && rpc.code !== -32000 && rpc.code !== -32003 && revertData(error) === undefined
    )
  }
}

/** The nonce is used already: mined, replaced, or spent outside the journal. */
export class NonceTooLowError extends NodeError {
  override name = 'NonceTooLowError'
  static readonly nodeMessage = /nonce too low|oldnonce|nonce has already been used/i
}

/** The nonce is past the account's next one: a gap to fill. */
export class NonceTooHighError extends NodeError {
  override name = 'NonceTooHighError'
  static readonly nodeMessage = /nonce too high|gapped/i
}

/** A variant at this nonce is in the pool with fees the new one does not beat by enough. */
export class ReplacementUnderpricedError extends NodeError {
  override name = 'ReplacementUnderpricedError'
  static readonly nodeMessage = /underpriced|replacement/i
}

/** The relayer key cannot pay for the transaction. */
export class InsufficientFundsError extends NodeError {
  override name = 'InsufficientFundsError'
  static readonly nodeMessage = /insufficient funds/i
}

/** Any other refusal: the node answered and will not take this transaction. */
export class TransactionRejectedError extends NodeError {
  override name = 'TransactionRejectedError'
}

/** True when the error is about reaching the node (network, timeout, HTTP), not about the call reverting. */
export function isTransportError(error: unknown): boolean {
  return NodeUnreachableError.matches(error)
}

const byMessage = [NonceTooLowError, NonceTooHighError, ReplacementUnderpricedError, InsufficientFundsError] as const

/** The one place a node error is told apart; an "already known" answer wins over everything, then reachability. */
export function classifyNodeError(error: unknown): NodeError {
  const text = errorText(error)
  const options = { cause: error }
  if (AlreadyKnownError.nodeMessage.test(text)) return new AlreadyKnownError(text, options)
  if (NodeUnreachableError.matches(error)) return new NodeUnreachableError(text, options)
  for (const Kind of byMessage) if (Kind.nodeMessage.test(text)) return new Kind(text, options)
  return new TransactionRejectedError(text, options)
}

function errorText(error: unknown): string {
  if (error instanceof BaseError) return `${error.shortMessage} ${error.details ?? ''} ${error.message}`
  return error instanceof Error ? error.message : String(error)
}
