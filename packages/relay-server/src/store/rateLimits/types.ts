/** A fixed-window rate limiter backed by the store (rate-limiter-flexible). */
export interface RateLimiter {
  /** Resolves when allowed; rejects with {@link RateLimitedError} when the key is over its limit. */
  consume(key: string, points?: number): Promise<void>
}

export interface RateLimiterOptions {
  keyPrefix: string
  points: number
  durationSeconds: number
}

/** Thrown by a {@link RateLimiter} when a key is over its limit. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError'
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message)
  }
}

/** Rate limiters on the store's backend (shared by every instance on a shared store). */
export interface RateLimitStore {
  rateLimiter(options: RateLimiterOptions): RateLimiter
}
