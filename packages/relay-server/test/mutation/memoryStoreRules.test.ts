import { describe, expect, it } from 'vitest'
import { createMemoryStores } from '../../src/index.js'
import { AdmissionCounters } from '../../src/store/admission/rules.js'
import { ALICE, newRequest } from '../store/fixtures.js'
import { describeStoreRules } from './storeRules.js'

describeStoreRules('memory', (options) => createMemoryStores(options))

describe('memory queue on its own clock', () => {
  it('ends a claim at its lease end exactly, as the Lua scripts do (scores up to now are expired)', async () => {
    let clock = 1_000
    const stores = createMemoryStores({ now: () => clock })
    try {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      expect(await stores.queue.claimBatch(31337, { max: 1, leaseMs: 100, owner: 'first' })).toHaveLength(1)
      clock = 1_099
      expect(await stores.queue.queueStats(31337)).toStrictEqual({ depth: 0 })
      expect(await stores.queue.claimBatch(31337, { max: 1, leaseMs: 100, owner: 'second' })).toEqual([])
      clock = 1_100
      expect(await stores.queue.queueStats(31337)).toStrictEqual({ depth: 1, oldestAt: 1_000 })
      expect(
        (await stores.queue.claimBatch(31337, { max: 1, leaseMs: 100, owner: 'second' })).map((r) => r.id),
      ).toEqual([a.id])
    } finally {
      await stores.close()
    }
  })
})

describe('admission counters in memory', () => {
  it('drops every counter on clear (a new day), budgets and quotas alike', () => {
    const counters = new AdmissionCounters()
    expect(counters.reserve('budget:pk:day', 7n, 10n)).toBe(true)
    counters.countQuota('quota:wallet')
    counters.clear()
    expect(counters.get('budget:pk:day')).toBe(0n)
    expect(counters.quotaFull('quota:wallet', 1)).toBe(false)
    expect(counters.reserve('budget:pk:day', 10n, 10n)).toBe(true)
  })
})
