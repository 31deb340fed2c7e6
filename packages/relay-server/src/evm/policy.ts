// The rules a forward request must meet before any I/O (value, deadline window, allowed target and
// function, gas cap), as one pure decision; the submit route only asks it.
import type { Hex } from 'viem'
import type { ResolvedSite } from '../config.js'
import type { ForwardRequest } from '../store/types.js'
import { DEFAULT_MAX_ARGUMENT_WORDS, judgeCalldata, judgeLegacyCalldata } from './functionRules.js'

export type PolicyCode =
  | 'VALUE_NOT_ALLOWED'
  | 'EXPIRED'
  | 'DEADLINE_TOO_FAR'
  | 'TARGET_NOT_ALLOWED'
  | 'SELECTOR_NOT_ALLOWED'
  | 'CALLDATA_NOT_ALLOWED'
  | 'ARGUMENT_NOT_ALLOWED'
  | 'GAS_TOO_HIGH'

export interface PolicyRefusal {
  code: PolicyCode
  message: string
}

export interface PolicyInput {
  request: ForwardRequest
  site: Pick<ResolvedSite, 'targets'>
  chainId: number
  maxGasPerRequest: bigint
  /** Now, in unix seconds. */
  nowSeconds: bigint
  maxDeadlineSeconds: number
}

/** The first rule the request breaks, in the order clients see them, or undefined when it meets all. */
export function judgeRequestPolicy(input: PolicyInput): PolicyRefusal | undefined {
  const { request, site, chainId, maxGasPerRequest, nowSeconds, maxDeadlineSeconds } = input
  if (request.value !== 0n)
    return { code: 'VALUE_NOT_ALLOWED', message: 'the relay does not sponsor requests that send value' }
  if (request.deadline <= nowSeconds) return { code: 'EXPIRED', message: `the deadline ${request.deadline} has passed` }
  if (request.deadline > nowSeconds + BigInt(maxDeadlineSeconds)) {
    return { code: 'DEADLINE_TOO_FAR', message: `the deadline is more than ${maxDeadlineSeconds} s away` }
  }
  const to = request.to.toLowerCase()
  const target = site.targets.find(
    (t) => t.address.toLowerCase() === to && (t.chainId === undefined || t.chainId === chainId),
  )
  if (!target) return { code: 'TARGET_NOT_ALLOWED', message: `contract ${request.to} is not allowed for this site` }
  const selector = request.data.length >= 10 ? (request.data.slice(0, 10).toLowerCase() as Hex) : undefined
  const fn = selector ? target.functions?.get(selector) : undefined
  if (fn) {
    const calldata = judgeCalldata(fn, request.data)
    if (calldata) return calldata
  } else if (selector && target.selectors.has(selector)) {
    const calldata = judgeLegacyCalldata(request.data, target.maxArgumentWords ?? DEFAULT_MAX_ARGUMENT_WORDS)
    if (calldata) return calldata
  } else {
    return {
      code: 'SELECTOR_NOT_ALLOWED',
      message: `function ${selector ?? '(none)'} is not allowed on ${request.to}`,
    }
  }
  if (request.gas > maxGasPerRequest) {
    return { code: 'GAS_TOO_HIGH', message: `gas ${request.gas} is above the cap of ${maxGasPerRequest}` }
  }
  return undefined
}
