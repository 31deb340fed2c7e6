import type { StageEvent } from '@tokentags/ledger'
import type { ResolvedSite } from '../config.js'
import type { SolanaRequestRecord } from '../solana/store.js'
import type { StoredRequest } from '../store/types.js'
import { describeSolanaCall } from './solanaCall.js'

/** Names a request's function by its site's policy (`claim(uint256)`), when the policy names it. */
export type FunctionNamer = (request: StoredRequest) => string | undefined

export function functionNamer(sites: ReadonlyMap<string, ResolvedSite>): FunctionNamer {
  return (r) => {
    const selector = r.request.data.slice(0, 10).toLowerCase()
    const target = sites.get(r.siteKey)?.targets.find((t) => t.address.toLowerCase() === r.request.to.toLowerCase())
    for (const [key, allowed] of target?.functions ?? []) {
      if (key.toLowerCase() === selector) return allowed.signature
    }
    return undefined
  }
}

/** The row fields of an EVM request, as its stages carry them. */
export function evmFields(r: StoredRequest, name?: FunctionNamer): Omit<StageEvent, 'stage' | 'at'> {
  const functionName = name?.(r)
  return {
    requestId: r.id,
    kind: 'evm',
    site: r.siteKey,
    chain: String(r.chainId),
    sender: r.request.from.toLowerCase(),
    target: r.request.to.toLowerCase(),
    ...(r.request.data.length >= 10 ? { selector: r.request.data.slice(0, 10).toLowerCase() } : {}),
    ...(functionName ? { functionName } : {}),
    gas: r.request.gas.toString(),
  }
}

export function solanaFields(r: SolanaRequestRecord, chain: string): Omit<StageEvent, 'stage' | 'at'> {
  return {
    requestId: r.id,
    kind: 'solana',
    site: r.siteKey,
    chain,
    sender: r.wallet,
    ...describeSolanaCall(r.transaction),
    lamports: r.lamports.toString(),
    txHash: r.signature,
  }
}
