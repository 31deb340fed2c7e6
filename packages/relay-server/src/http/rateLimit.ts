import { RelayError } from '../errors.js'
import { RateLimitedError, type RateLimiter } from '../store/types.js'

/** Takes one point for `key`, or throws `429 RATE_LIMITED` (with its retry delay) naming `who`. */
export async function consumeOrRefuse(limiter: RateLimiter | undefined, key: string, who: string): Promise<void> {
  if (!limiter) return
  try {
    await limiter.consume(key)
  } catch (error) {
    if (error instanceof RateLimitedError) {
      throw new RelayError(429, 'RATE_LIMITED', `too many requests from ${who}; slow down`, {
        details: { retryAfterMs: error.retryAfterMs },
      })
    }
    throw error
  }
}
