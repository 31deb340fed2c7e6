// Which forward request consumed a signer's nonce. `ExecutedForwardRequest` names only the signer
// and the nonce: a signer can sign two different requests with one nonce and have the other run
// elsewhere, so a stored request is `confirmed` only when the transaction that emitted the event
// carried exactly it.
import { forwarderAbi } from '@tokentags/contracts'
import { decodeFunctionData, type Hex, isAddressEqual } from 'viem'
import type { ForwardRequest, StoredRequest } from '../../store/types.js'
import { type ForwarderDomain, recoverForwardRequestSigner } from '../hotPath/signature.js'

/** One `ForwardRequestData` of an `execute` or `executeBatch` call (no nonce: the forwarder supplies it). */
export interface CalledRequest {
  from: Hex
  to: Hex
  value: bigint
  gas: bigint
  deadline: bigint
  data: Hex
  signature: Hex
}

/** The forward requests in a transaction's input when it calls the forwarder directly; undefined otherwise. */
export function calledRequests(input: Hex): CalledRequest[] | undefined {
  try {
    const call = decodeFunctionData({ abi: forwarderAbi, data: input })
    if (call.functionName === 'execute') return [toCalled(call.args[0])]
    if (call.functionName === 'executeBatch') return call.args[0].map(toCalled)
  } catch {
    // Not a forwarder call: a contract in between, or anything else.
  }
  return undefined
}

function toCalled(r: { from: Hex; to: Hex; value: bigint; gas: bigint; deadline: number; data: Hex; signature: Hex }) {
  return { ...r, deadline: BigInt(r.deadline) }
}

/**
 * The request that ran at `nonce` for `signer` among `called`, as the forwarder picks it: the first
 * of the signer's whose signature is valid for that nonce and whose deadline has not passed.
 */
export async function executedAt(
  called: readonly CalledRequest[],
  signer: Hex,
  nonce: bigint,
  blockTimestamp: bigint,
  domain: ForwarderDomain,
): Promise<CalledRequest | undefined> {
  for (const c of called) {
    if (!isAddressEqual(c.from, signer) || c.deadline < blockTimestamp) continue
    const request: ForwardRequest = { ...c, from: c.from, to: c.to, nonce } as ForwardRequest
    try {
      if (isAddressEqual(await recoverForwardRequestSigner(domain, request, c.signature), signer)) return c
    } catch {
      // An unrecoverable signature never ran.
    }
  }
  return undefined
}

/** Whether `called` is the stored request: same target, value, gas, deadline, data and signature. */
export function isStoredRequest(called: CalledRequest, stored: Pick<StoredRequest, 'request' | 'signature'>): boolean {
  const r = stored.request
  return (
    isAddressEqual(called.from, r.from) &&
    isAddressEqual(called.to, r.to) &&
    called.value === r.value &&
    called.gas === r.gas &&
    called.deadline === r.deadline &&
    called.data.toLowerCase() === r.data.toLowerCase() &&
    called.signature.toLowerCase() === stored.signature.toLowerCase()
  )
}
