// What a site may require before the relay sponsors it (issue 13): a human check and a sponsorship
// webhook. Both off by default; secrets are named by environment variable, never written in the config.
import { z } from 'zod'
import { ConfigError } from '../configError.js'

/** Cloudflare Turnstile's verification endpoint, the default `verifyUrl`. */
const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'
const DEFAULT_HUMAN_CHECK_TIMEOUT_MS = 5000
const DEFAULT_SPONSOR_WEBHOOK_TIMEOUT_MS = 3000

interface HumanCheckConfig {
  /** Name of the environment variable holding the verifier's secret key. */
  secretEnv: string
  /** A Turnstile-compatible `siteverify` endpoint (default Cloudflare's). */
  verifyUrl?: string
  /** How long to wait for the verifier before refusing with 503 (default 5,000 ms). */
  timeoutMs?: number
}

interface SponsorWebhookConfig {
  /** The site owner's endpoint; it answers `200 {"sponsor": true}` to sponsor. */
  url: string
  /** Name of the environment variable holding the HMAC-SHA256 key shared with the site owner. */
  secretEnv: string
  /** How long to wait for the answer before refusing (default 3,000 ms). */
  timeoutMs?: number
}

/** `sites.<key>.attestation`. */
export interface AttestationConfig {
  humanCheck?: HumanCheckConfig
  sponsorWebhook?: SponsorWebhookConfig
}

export interface ResolvedHumanCheck {
  secret: string
  verifyUrl: string
  timeoutMs: number
}

export interface ResolvedSponsorWebhook {
  url: string
  secret: string
  timeoutMs: number
}

export interface ResolvedAttestation {
  humanCheck?: ResolvedHumanCheck
  sponsorWebhook?: ResolvedSponsorWebhook
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable')
const timeout = z.number().int().min(100).max(60_000)

export const attestationConfigFileSchema = z.strictObject({
  humanCheck: z
    .strictObject({ secretEnv: envName, verifyUrl: z.url().optional(), timeoutMs: timeout.optional() })
    .optional(),
  sponsorWebhook: z.strictObject({ url: z.url(), secretEnv: envName, timeoutMs: timeout.optional() }).optional(),
})

/**
 * Reads each secret from `env`; a named variable that is unset or empty stops the relay at start
 * (an attestation silently off would sponsor what the site meant to gate).
 */
export function resolveAttestation(
  siteKey: string,
  config: AttestationConfig | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedAttestation | undefined {
  if (!config || (!config.humanCheck && !config.sponsorWebhook)) return undefined
  const secret = (name: string, field: string) => {
    const value = env[name]
    if (!value) {
      throw new ConfigError(`sites.${siteKey}.attestation.${field}.secretEnv names ${name}, which is not set`)
    }
    return value
  }
  const resolved: ResolvedAttestation = {}
  if (config.humanCheck) {
    resolved.humanCheck = {
      secret: secret(config.humanCheck.secretEnv, 'humanCheck'),
      verifyUrl: config.humanCheck.verifyUrl ?? TURNSTILE_VERIFY_URL,
      timeoutMs: config.humanCheck.timeoutMs ?? DEFAULT_HUMAN_CHECK_TIMEOUT_MS,
    }
  }
  if (config.sponsorWebhook) {
    resolved.sponsorWebhook = {
      url: config.sponsorWebhook.url,
      secret: secret(config.sponsorWebhook.secretEnv, 'sponsorWebhook'),
      timeoutMs: config.sponsorWebhook.timeoutMs ?? DEFAULT_SPONSOR_WEBHOOK_TIMEOUT_MS,
    }
  }
  return resolved
}
