import {
  AbortedError,
  NothingToClaimError,
  TokenTagsError,
  TransactionFailedError,
  UnknownError,
  UserRejectedError,
  WalletNotConnectedError,
} from '../errors.js'

interface ErrorLike {
  name?: unknown
  code?: unknown
  cause?: unknown
  shortMessage?: unknown
  message?: unknown
  data?: { errorName?: unknown } | unknown
}

/** The error and its causes, outermost first. */
export function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = []
  let current: unknown = error
  while (current && typeof current === 'object' && chain.length < 20) {
    chain.push(current as ErrorLike)
    current = (current as ErrorLike).cause
  }
  return chain
}

export function isUserRejection(error: unknown): boolean {
  return causeChain(error).some((e) => e.code === 4001 || e.name === 'UserRejectedRequestError')
}

export function isAbort(error: unknown): boolean {
  return causeChain(error).some((e) => e.name === 'AbortError')
}

/** The custom error name of a decoded contract revert (see internal/rpc.ts), if any. */
function revertErrorName(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const name = (e as { errorName?: unknown }).errorName
    if (typeof name === 'string') return name
  }
  return undefined
}

function shortMessageOf(error: unknown): string | undefined {
  const e = error as ErrorLike | undefined
  if (typeof e?.shortMessage === 'string') return e.shortMessage
  if (typeof e?.message === 'string') return e.message.split('\n')[0]
  return undefined
}

/** Maps anything a wallet, viem or wagmi throws during a write to a TokenTagsError. */
export function normalizeWriteError(error: unknown, context: { txHash?: `0x${string}` } = {}): TokenTagsError {
  if (error instanceof TokenTagsError) return error
  if (isUserRejection(error)) return new UserRejectedError({ cause: error })
  if (isAbort(error)) return new AbortedError({ cause: error })
  const names = causeChain(error).map((e) => e.name)
  if (names.includes('ConnectorNotConnectedError') || names.includes('ConnectorAccountNotFoundError'))
    return new WalletNotConnectedError({ cause: error })
  const errorName = revertErrorName(error)
  if (errorName === 'VestingVaultNothingToClaim') return new NothingToClaimError({ cause: error })
  if (errorName) return new TransactionFailedError({ txHash: context.txHash, reason: errorName, cause: error })
  // A wallet or node error (EIP-1193 / JSON-RPC code): the transaction could not be sent or would fail.
  if (causeChain(error).some((e) => typeof e.code === 'number'))
    return new TransactionFailedError({ txHash: context.txHash, reason: shortMessageOf(error), cause: error })
  return new UnknownError({ details: shortMessageOf(error), cause: error })
}
