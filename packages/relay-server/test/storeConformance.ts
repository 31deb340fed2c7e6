import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Stores } from '../src/index.js'
import { describeAdmissionConformance } from './store/admissionConformance.js'
import type { StoresFactory } from './store/fixtures.js'
import { describeJournalConformance } from './store/journalConformance.js'
import { describeLeaseConformance } from './store/leasesConformance.js'
import { describeQueueConformance } from './store/queueConformance.js'
import { describeRateLimitConformance } from './store/rateLimitsConformance.js'
import { describeRequestStoreConformance } from './store/requestsConformance.js'

export type { ConformanceStoreOptions, StoresFactory } from './store/fixtures.js'

/**
 * Every concern's conformance suite (`./store/*Conformance.ts`), run on one backend's `Stores`;
 * each adapter's test file calls this (the Solana store has its own, `./solanaStoreConformance.ts`).
 */
export function describeStoreConformance(name: string, createStores: StoresFactory) {
  describeAdmissionConformance(name, createStores)
  describeRequestStoreConformance(name, createStores)
  describeQueueConformance(name, createStores)
  describeLeaseConformance(name, createStores)
  describeJournalConformance(name, createStores)
  describeRateLimitConformance(name, createStores)
  describe(`Stores health: ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('answers ping while open', async () => {
      await expect(stores.ping()).resolves.toBeUndefined()
    })
  })
}
