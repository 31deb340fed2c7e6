import { ConfigError } from '../configError.js'

/** As `LimitsConfig`'s (declared here: config.ts imports this file). */
interface RateLimitConfig {
  points: number
  durationSeconds: number
}

/** `RelayConfig.events`: the widgets' funnel (`POST /v1/events`); counted only when the relay keeps a ledger. */
export interface EventsConfig {
  /** Batches per client address (IPv6 by /64), default 120 per 60 s; `false` turns it off. */
  perIp?: RateLimitConfig | false
  /** Batches per site key, default 6,000 per 60 s; `false` turns it off. */
  perSite?: RateLimitConfig | false
  /** Most events in one batch (default 50). */
  maxEvents?: number
  /** Largest body in bytes (default 4 KiB). */
  maxBodyBytes?: number
}

export interface ResolvedEventsConfig {
  perIp: RateLimitConfig | false
  perSite: RateLimitConfig | false
  maxEvents: number
  maxBodyBytes: number
}

/**
 * A page sends a batch a few seconds after it loads and one when it is hidden: two a minute per tab
 * is the usual; 120 a minute leaves room for an office behind one address and none for a script.
 * The per-site bound caps what a leaked or scripted key can make the ledger count (100 batches a
 * second); a busier site sets its own.
 */
const DEFAULT_EVENTS: ResolvedEventsConfig = {
  perIp: { points: 120, durationSeconds: 60 },
  perSite: { points: 6000, durationSeconds: 60 },
  maxEvents: 50,
  maxBodyBytes: 4096,
}

export function resolveEvents(config: EventsConfig = {}): ResolvedEventsConfig {
  const { maxEvents, maxBodyBytes } = config
  if (maxEvents !== undefined && !(Number.isSafeInteger(maxEvents) && maxEvents >= 1)) {
    throw new ConfigError(`events.maxEvents must be a positive integer, got ${maxEvents}`)
  }
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 256)) {
    throw new ConfigError(`events.maxBodyBytes must be an integer of at least 256, got ${maxBodyBytes}`)
  }
  return {
    perIp: config.perIp ?? DEFAULT_EVENTS.perIp,
    perSite: config.perSite ?? DEFAULT_EVENTS.perSite,
    maxEvents: config.maxEvents ?? DEFAULT_EVENTS.maxEvents,
    maxBodyBytes: config.maxBodyBytes ?? DEFAULT_EVENTS.maxBodyBytes,
  }
}
