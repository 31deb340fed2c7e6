import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Stores } from '../../src/index.js'
import { type StoresFactory, sleep } from './fixtures.js'

/**
 * The lease store (`src/store/leases/`):
 * what every backend's adapter must do. `describeStoreConformance` runs it on each backend.
 */
export function describeLeaseConformance(name: string, createStores: StoresFactory) {
  describe(`LeaseStore conformance: ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('leases: exclusive, renewable by their owner only, expiring, releasable', async () => {
      expect(await stores.leases.leaseHolder('relayer:1')).toBeUndefined()
      expect(await stores.leases.acquireLease('relayer:1', 'a', 1000)).toBe(true)
      expect(await stores.leases.leaseHolder('relayer:1')).toBe('a')
      expect(await stores.leases.acquireLease('relayer:1', 'b', 1000)).toBe(false)
      expect(await stores.leases.acquireLease('relayer:1', 'a', 1000)).toBe(true)
      expect(await stores.leases.renewLease('relayer:1', 'b', 1000)).toBe(false)
      expect(await stores.leases.renewLease('relayer:1', 'a', 400)).toBe(true)
      await sleep(450)
      expect(await stores.leases.renewLease('relayer:1', 'a', 150)).toBe(false)
      expect(await stores.leases.acquireLease('relayer:1', 'b', 60_000)).toBe(true)
      await stores.leases.releaseLease('relayer:1', 'a')
      expect(await stores.leases.acquireLease('relayer:1', 'a', 150)).toBe(false)
      await stores.leases.releaseLease('relayer:1', 'b')
      expect(await stores.leases.acquireLease('relayer:1', 'a', 150)).toBe(true)
    })
  })
}
