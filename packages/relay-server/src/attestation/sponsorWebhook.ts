// The sponsorship webhook: the relay asks the site owner, request by request, whether to pay for
// it. Only an explicit `200 {"sponsor": true}` is a yes; silence, a timeout or any other answer is
// a no (fail closed).
import { createHmac } from 'node:crypto'
import { decodeFunctionData, type Hex } from 'viem'
import type { ResolvedSite } from '../config.js'
import { redactUrl } from '../errors.js'
import { toJson } from '../json.js'
import type { ForwardRequest } from '../store/types.js'
import type { ResolvedSponsorWebhook } from './config.js'
import { AttestationRefusedError, AttestationUnavailableError } from './errors.js'

const SPONSOR_SIGNATURE_HEADER = 'x-tokentags-signature'

/** What the site owner's endpoint receives (integers as decimal strings). */
export interface SponsorPayload {
  network: 'evm'
  site: string
  chainId: number
  from: string
  to: string
  selector: Hex
  /** Canonical signature when the site lists the function by signature, else null. */
  function: string | null
  /** Decoded arguments, by position, when `function` is known, else null. */
  args: unknown[] | null
  value: bigint
  gas: bigint
  nonce: bigint
  deadline: bigint
  origin: string | null
  ip: string | null
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp lets the receiver refuse old replays. */
function signSponsorBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')
  return `t=${unixSeconds},v1=${mac}`
}

export function sponsorPayload(input: {
  site: ResolvedSite
  chainId: number
  request: ForwardRequest
  origin: string | undefined
  ip: string | undefined
}): SponsorPayload {
  const { site, chainId, request } = input
  const selector = request.data.slice(0, 10).toLowerCase() as Hex
  const target = site.targets.find(
    (t) => t.address === request.to && (t.chainId === undefined || t.chainId === chainId),
  )
  const fn = target?.functions?.get(selector)
  let args: unknown[] | null = null
  if (fn) {
    try {
      args = [...(decodeFunctionData({ abi: [fn.abi], data: request.data }).args ?? [])]
    } catch {
      // The policy already refused calldata that does not decode; null rather than a guess.
      args = null
    }
  }
  return {
    network: 'evm',
    site: site.key,
    chainId,
    from: request.from,
    to: request.to,
    selector,
    function: fn?.signature ?? null,
    args,
    value: request.value,
    gas: request.gas,
    nonce: request.nonce,
    deadline: request.deadline,
    origin: input.origin ?? null,
    ip: input.ip ?? null,
  }
}

/**
 * Throws `AttestationRefusedError` (`SPONSOR_DECLINED`) unless the endpoint answers `200 {"sponsor": true}`, or
 * `AttestationUnavailableError` (`SPONSOR_UNAVAILABLE`) when it cannot be reached or does not answer in time. `payload` is an EVM
 * `SponsorPayload` or a Solana one (`solanaSponsor.ts`): its `network` field tells them apart.
 */
export async function requireSponsorship(
  webhook: ResolvedSponsorWebhook,
  payload: { network: 'evm' | 'solana' },
  nowMs: number,
): Promise<void> {
  const body = toJson(payload)
  let response: Response
  let answer: unknown
  try {
    response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SPONSOR_SIGNATURE_HEADER]: signSponsorBody(webhook.secret, body, Math.floor(nowMs / 1000)),
      },
      body,
      // Never follow a redirect: the signed request goes to the configured URL or nowhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(webhook.timeoutMs),
    })
    if (response.status !== 200) {
      await response.body?.cancel()
      throw declined(webhook, `answered status ${response.status}`)
    }
    const text = await response.text()
    try {
      answer = JSON.parse(text)
    } catch (error) {
      throw declined(webhook, 'answered something that is not JSON', error)
    }
  } catch (error) {
    if (error instanceof AttestationRefusedError) throw error
    throw new AttestationUnavailableError(
      'SPONSOR_UNAVAILABLE',
      `the site's sponsorship endpoint at ${redactUrl(webhook.url)} did not answer in time; the request is not sponsored`,
      { cause: error },
    )
  }
  if (typeof answer !== 'object' || answer === null || (answer as { sponsor?: unknown }).sponsor !== true) {
    throw declined(webhook, 'did not answer {"sponsor": true}')
  }
}

function declined(webhook: ResolvedSponsorWebhook, why: string, cause?: unknown): AttestationRefusedError {
  return new AttestationRefusedError(
    'SPONSOR_DECLINED',
    `the site's sponsorship endpoint at ${redactUrl(webhook.url)} ${why}; the request is not sponsored`,
    { cause },
  )
}
