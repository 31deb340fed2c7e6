import { RateLimiterRes } from 'rate-limiter-flexible'
import { RateLimitedError, type RateLimiter } from './types.js'

/** Adapts a rate-limiter-flexible limiter to {@link RateLimiter}. */
export function wrapLimiter(limiter: { consume(key: string, points?: number): Promise<unknown> }): RateLimiter {
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points)
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          throw new RateLimitedError('rate limit exceeded', error.msBeforeNext)
        }
        throw error
      }
    },
  }
}
