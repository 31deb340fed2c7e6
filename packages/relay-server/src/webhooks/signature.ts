import { createHmac, timingSafeEqual } from 'node:crypto'

/** Header of every webhook delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-tokentags-signature'

/** How old a delivery's `t` may be before a receiver refuses it as a replay (default of the check). */
export const WEBHOOK_TOLERANCE_SECONDS = 300

export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const t = Math.floor(unixSeconds)
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')
  return `t=${t},v1=${v1}`
}

export type WebhookVerification = { ok: true; t: number } | { ok: false; reason: 'MALFORMED' | 'STALE' | 'MISMATCH' }

/**
 * The receiver's check (docs/interfaces.md): the header parses, `t` is within `toleranceSeconds` of
 * the receiver's clock (either way: a captured delivery replayed later is refused), and `v1` is the
 * HMAC of `<t>.<raw body>`, compared in constant time. Verify the raw bytes, never re-serialised JSON.
 */
export function verifyWebhookSignature(options: {
  header: string | undefined
  body: string
  secret: string
  nowSeconds?: number
  toleranceSeconds?: number
}): WebhookVerification {
  const parts = new Map(
    (options.header ?? '').split(',').map((p) => {
      const i = p.indexOf('=')
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const
    }),
  )
  const tText = parts.get('t')
  const v1 = parts.get('v1')
  if (!tText || !/^[0-9]{1,12}$/.test(tText) || !v1 || !/^[0-9a-f]{64}$/.test(v1))
    return { ok: false, reason: 'MALFORMED' }
  const t = Number(tText)
  const now = options.nowSeconds ?? Date.now() / 1000
  if (Math.abs(now - t) > (options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return { ok: false, reason: 'STALE' }
  const expected = Buffer.from(webhookSignature(options.secret, options.body, t).slice(`t=${t},v1=`.length), 'hex')
  const given = Buffer.from(v1, 'hex')
  return timingSafeEqual(expected, given) ? { ok: true, t } : { ok: false, reason: 'MISMATCH' }
}
