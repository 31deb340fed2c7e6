import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RateLimitedError, type Stores } from '../../src/index.js'
import type { StoresFactory } from './fixtures.js'

let limiters = 0

/**
 * The rate-limit store (`src/store/rateLimits/`):
 * what every backend's adapter must do. `describeStoreConformance` runs it on each backend.
 */
export function describeRateLimitConformance(name: string, createStores: StoresFactory) {
  describe(`RateLimitStore conformance: ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('rate-limits per key', async () => {
      const limiter = stores.rateLimits.rateLimiter({ keyPrefix: `ip${++limiters}`, points: 3, durationSeconds: 60 })
      for (let i = 0; i < 3; i++) await limiter.consume('1.2.3.4')
      await expect(limiter.consume('1.2.3.4')).rejects.toBeInstanceOf(RateLimitedError)
      await limiter.consume('5.6.7.8')
    })
  })
}
