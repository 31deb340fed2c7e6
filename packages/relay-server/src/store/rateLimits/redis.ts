import { RateLimiterRedis } from 'rate-limiter-flexible'
import type { RedisDriver } from '../redisDriver.js'
import { wrapLimiter } from './limiter.js'
import type { RateLimitStore } from './types.js'

/**
 * Rate limits on Redis: rate-limiter-flexible's own script and algorithm, sent through the driver
 * with its one key declared (`{prefix}rl:<key>`): on a cluster it runs on the node serving that
 * key's slot, which is what its cluster mode does; TCP Redis and Upstash alike.
 */
export function createRedisRateLimitStore(driver: RedisDriver, prefix: string): RateLimitStore {
  return {
    rateLimiter(options) {
      // Its node-redis calling convention is the simplest to adapt.
      const client = {
        isReady: true,
        eval: (script: string, call: { keys: string[]; arguments: string[] }) =>
          driver.eval(script, [`${prefix}rl:${call.keys[0]}`], call.arguments),
      }
      return wrapLimiter(
        new RateLimiterRedis({
          storeClient: client,
          useRedisPackage: true,
          keyPrefix: options.keyPrefix,
          points: options.points,
          duration: options.durationSeconds,
        }),
      )
    },
  }
}
