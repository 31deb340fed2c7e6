import { RateLimiterMemory } from 'rate-limiter-flexible'
import { wrapLimiter } from './limiter.js'
import type { RateLimitStore } from './types.js'

/** Rate limits in this process (rate-limiter-flexible's memory limiter). */
export function createMemoryRateLimitStore(): RateLimitStore {
  return {
    rateLimiter(options) {
      return wrapLimiter(
        new RateLimiterMemory({
          keyPrefix: options.keyPrefix,
          points: options.points,
          duration: options.durationSeconds,
        }),
      )
    },
  }
}
