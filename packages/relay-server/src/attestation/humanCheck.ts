// The human check: a Turnstile-compatible `siteverify` call per request. Fails closed: no answer,
// a bad answer or a timeout refuses the request. Nothing is remembered between requests: a token
// proves one visit, and the verifier refuses one it has seen before.
import { z } from 'zod'
import type { ResolvedSite } from '../config.js'
import { redactUrl } from '../errors.js'
import type { ResolvedHumanCheck } from './config.js'
import { AttestationRefusedError, AttestationUnavailableError } from './errors.js'

/** Body field of the submit routes that carries the widget's human-check token. */
const HUMAN_CHECK_FIELD = 'humanCheck'

// Turnstile tokens are at most 2,048 characters.
const tokenSchema = z.string().min(1).max(2048)

const siteverifyAnswerSchema = z.object({
  success: z.boolean(),
  hostname: z.string().optional(),
  'error-codes': z.array(z.string()).optional(),
})

export interface HumanCheckInput {
  check: ResolvedHumanCheck
  site: ResolvedSite
  /** The parsed JSON body; the token is its `humanCheck` field. */
  body: unknown
  /** The client's address as the relay sees it, passed on as `remoteip`. */
  remoteIp: string | undefined
}

/**
 * Throws `AttestationRefusedError` (`HUMAN_CHECK_REQUIRED`, `HUMAN_CHECK_FAILED`) or `AttestationUnavailableError`
 * (`HUMAN_CHECK_UNAVAILABLE`) unless the verifier says yes.
 */
export async function requireHuman({ check, site, body, remoteIp }: HumanCheckInput): Promise<void> {
  const raw =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[HUMAN_CHECK_FIELD] : undefined
  const token = tokenSchema.safeParse(raw)
  if (!token.success) {
    throw new AttestationRefusedError(
      'HUMAN_CHECK_REQUIRED',
      `this site requires a human check: send its token in the body field "${HUMAN_CHECK_FIELD}"`,
    )
  }
  const form = new URLSearchParams({ secret: check.secret, response: token.data })
  if (remoteIp) form.set('remoteip', remoteIp)
  let answer: unknown
  try {
    const response = await fetch(check.verifyUrl, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(check.timeoutMs),
    })
    if (!response.ok) throw new VerifierAnswerError(`status ${response.status}`)
    answer = await response.json()
  } catch (error) {
    throw unavailable(check, error)
  }
  const parsed = siteverifyAnswerSchema.safeParse(answer)
  if (!parsed.success) throw unavailable(check, new VerifierAnswerError('not a siteverify answer'))
  if (!parsed.data.success) {
    const codes = parsed.data['error-codes']?.join(', ')
    throw new AttestationRefusedError(
      'HUMAN_CHECK_FAILED',
      `the human check was refused${codes ? ` (${codes.slice(0, 200)})` : ''}`,
    )
  }
  const hostname = parsed.data.hostname
  if (hostname !== undefined && !hostnameAllowed(site, hostname)) {
    throw new AttestationRefusedError(
      'HUMAN_CHECK_FAILED',
      `the human check was solved on ${hostname.slice(0, 100)}, not on an origin of this site`,
    )
  }
}

/** A token solved on another site's page proves nothing here: its hostname must be one of the site's origins. */
function hostnameAllowed(site: ResolvedSite, hostname: string): boolean {
  if (site.anyOrigin) return true
  const wanted = hostname.toLowerCase()
  for (const origin of site.origins) {
    try {
      if (new URL(origin).hostname === wanted) return true
    } catch {
      // An origin that is no URL matches no hostname.
    }
  }
  return false
}

class VerifierAnswerError extends Error {
  override name = 'VerifierAnswerError'
}

function unavailable(check: ResolvedHumanCheck, cause: unknown): AttestationUnavailableError {
  return new AttestationUnavailableError(
    'HUMAN_CHECK_UNAVAILABLE',
    `the human-check verifier at ${redactUrl(check.verifyUrl)} did not answer; try again`,
    { cause },
  )
}
