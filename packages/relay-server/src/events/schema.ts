import type { EventsBatch, FunnelEvent } from '@tokentags/core/protocol'
import { FUNNEL_KINDS, FUNNEL_WIDGETS, type FunnelCount } from '@tokentags/ledger'
import { z } from 'zod'
import { badRequest } from '../errors.js'
import { sameType } from '../http/wireSchemas.js'

// Strict: a field the widgets do not send (an address, a user id) is refused, never stored.
const eventSchema = z
  .object({
    widget: z.enum(FUNNEL_WIDGETS),
    kind: z.enum(FUNNEL_KINDS),
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'an error code such as USER_REJECTED')
      .optional(),
  })
  .strict()
  .refine((e) => e.code === undefined || e.kind === 'error', { message: 'only an error event has a code' })
sameType<z.input<typeof eventSchema>, FunnelEvent>()

// Each event is read on its own below, so a bad one is named by its index.
const batchSchema = z.object({ events: z.array(z.unknown()) }).strict()
sameType<keyof z.input<typeof batchSchema>, keyof EventsBatch>()

/**
 * The counts of one `POST /v1/events` body (`{ events: [{ widget, kind, code? }] }`, JSON as text:
 * `sendBeacon` sends `text/plain`). Throws `400 INVALID_JSON`, `INVALID_EVENTS` or `TOO_MANY_EVENTS`.
 */
export function parseEventBatch(text: string, maxEvents: number): { counts: FunnelCount[]; events: number } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    throw badRequest('INVALID_JSON', 'the body is not valid JSON', { cause: error })
  }
  const batch = batchSchema.safeParse(body)
  if (!batch.success) throw badRequest('INVALID_EVENTS', 'expected { "events": [{ "widget", "kind", "code"? }] }')
  const { events } = batch.data
  if (events.length === 0) throw badRequest('INVALID_EVENTS', 'events is empty')
  if (events.length > maxEvents) {
    throw badRequest('TOO_MANY_EVENTS', `at most ${maxEvents} events per batch, got ${events.length}`)
  }
  const counts = new Map<string, FunnelCount>()
  for (const [i, raw] of events.entries()) {
    const parsed = eventSchema.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const path = ['events', i, ...(issue?.path ?? [])].join('.')
      throw badRequest('INVALID_EVENTS', `${path}: ${issue?.message ?? 'invalid'}`)
    }
    const { widget, kind, code } = parsed.data
    const key = `${widget} ${kind} ${code ?? ''}`
    const count = counts.get(key)
    if (count) count.count++
    else counts.set(key, { widget, kind, ...(code === undefined ? {} : { code }), count: 1 })
  }
  return { counts: [...counts.values()], events: events.length }
}
