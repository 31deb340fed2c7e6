// Relayer key locking (src/evm/batcher/keyLeases.ts) on the memory store, apart from any batcher (issue 12,
// mutation run): the fence a key's journal writes carry, taking and losing a key, handing it over, releasing it,
// renewal losing a key it can no longer prove it holds, and the sharing rule that spreads keys over instances.

import { pino } from 'pino'
import type { Address } from 'viem'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KeyLease, KeySharing } from '../../src/evm/batcher/keyLeases.js'
import { createMemoryStores, type Stores } from '../../src/index.js'
import { RelayMetrics } from '../../src/metrics.js'
import { sleep } from '../store/fixtures.js'

const CHAIN_ID = 31337
/** Anvil's dev account 1 (public test key), mixed case as viem gives it. */
const KEY: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const OTHER_KEY: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const FENCE = `relayer:${CHAIN_ID}:${KEY.toLowerCase()}`

let stores: Stores
beforeEach(() => {
  stores = createMemoryStores()
})
afterEach(async () => {
  await stores.close().catch(() => {})
})

function deps(keyLeaseMs: number) {
  return {
    stores,
    batch: { keyLeaseMs } as never,
    metrics: new RelayMetrics(),
    chain: { chainId: CHAIN_ID } as never,
    log: pino({ level: 'silent' }),
  }
}

/** A key's lease on `instance`, with that instance's sharing. */
function keyOf(instance: string, keyLeaseMs = 60_000, address = KEY) {
  const d = deps(keyLeaseMs)
  const sharing = new KeySharing(d, CHAIN_ID, instance)
  return { lease: new KeyLease(d, address, instance, sharing), sharing, metrics: d.metrics }
}

async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 10_000) throw new Error('timed out waiting for the lease to change')
    await sleep(20)
  }
}

describe('KeyLease', () => {
  it('fences with the chain and the lowercase key, owned by the instance', () => {
    expect(keyOf('a').lease.fence).toEqual({ name: FENCE, owner: 'a' })
  })

  it('takes a free key once, runs its recovery, and refuses it to another instance', async () => {
    const a = keyOf('a')
    let recovered = 0
    expect(a.lease.isHeld()).toBe(false)
    expect(await a.lease.take(async () => void recovered++)).toBe(true)
    expect(a.lease.isHeld()).toBe(true)
    expect(await stores.leases.leaseHolder(FENCE)).toBe('a')
    // Held already: no second recovery.
    expect(await a.lease.take(async () => void recovered++)).toBe(true)
    expect(recovered).toBe(1)
    const b = keyOf('b')
    expect(await b.lease.take(async () => void recovered++)).toBe(false)
    expect(b.lease.isHeld()).toBe(false)
    expect(recovered).toBe(1)
    expect(await a.metrics.render()).toContain(
      `tokentags_relay_lease_changes_total{chain_id="${CHAIN_ID}",relayer="${KEY}",event="acquired"} 1`,
    )
  })

  it('gives the key back when its recovery fails, and passes the failure on', async () => {
    const a = keyOf('a')
    const failure = new TypeError('recovery failed')
    await expect(
      a.lease.take(async () => {
        throw failure
      }),
    ).rejects.toBe(failure)
    expect(a.lease.isHeld()).toBe(false)
    expect(await stores.leases.leaseHolder(FENCE)).toBeUndefined()
    expect(await a.metrics.render()).not.toContain('event="acquired"} 1')
    // Counted as not held: this instance asks for a key again.
    await a.sharing.keyNotAcquired()
    expect(await stores.leases.leaseHolder(`want:${CHAIN_ID}`)).toBe('a')
  })

  it('loses a key once, counting it', async () => {
    const a = keyOf('a')
    expect(a.lease.lose('nothing held')).toBe(false)
    await a.lease.take(async () => {})
    expect(a.lease.lose('test')).toBe(true)
    expect(a.lease.isHeld()).toBe(false)
    expect(a.lease.lose('again')).toBe(false)
    expect(await a.metrics.render()).toContain(
      `tokentags_relay_lease_changes_total{chain_id="${CHAIN_ID}",relayer="${KEY}",event="lost"} 1`,
    )
  })

  it('hands a key over: released at once, and not taken back by this instance for two lease periods', async () => {
    const a = keyOf('a')
    await a.lease.take(async () => {})
    await a.lease.handOver()
    expect(a.lease.isHeld()).toBe(false)
    expect(await stores.leases.leaseHolder(FENCE)).toBeUndefined()
    expect(await a.lease.take(async () => {})).toBe(false)
    expect(await stores.leases.leaseHolder(FENCE)).toBeUndefined()
    expect(await keyOf('b').lease.take(async () => {})).toBe(true)
  })

  it('releases a held key on stop, and leaves a key it does not hold alone', async () => {
    const a = keyOf('a')
    await a.lease.take(async () => {})
    await a.lease.release()
    expect(a.lease.isHeld()).toBe(false)
    expect(await stores.leases.leaseHolder(FENCE)).toBeUndefined()
    const b = keyOf('b')
    await b.lease.take(async () => {})
    await a.lease.release()
    expect(await stores.leases.leaseHolder(FENCE)).toBe('b')
  })

  it('renews a held key past its lease time', async () => {
    // Renewed every 500 ms; a lease of 1.5 s leaves room for a timer late under load.
    const a = keyOf('a', 1_500)
    await a.lease.take(async () => {})
    a.lease.startRenewing()
    try {
      await sleep(3_200)
      expect(a.lease.isHeld()).toBe(true)
      expect(await stores.leases.leaseHolder(FENCE)).toBe('a')
    } finally {
      await a.lease.release()
    }
  })

  it('stops counting a key held once its renewal is refused (taken over)', async () => {
    const a = keyOf('a', 300)
    await a.lease.take(async () => {})
    a.lease.startRenewing()
    try {
      await stores.leases.releaseLease(FENCE, 'a')
      expect(await stores.leases.acquireLease(FENCE, 'b', 60_000)).toBe(true)
      await until(() => !a.lease.isHeld())
      expect(await stores.leases.leaseHolder(FENCE)).toBe('b')
    } finally {
      await a.lease.release()
    }
  })

  it('stops counting a key held when the store cannot renew it for most of a lease', async () => {
    const a = keyOf('a', 300)
    await a.lease.take(async () => {})
    a.lease.startRenewing()
    try {
      await stores.close()
      await until(() => !a.lease.isHeld())
    } finally {
      await a.lease.release()
    }
  })
})

describe('KeySharing', () => {
  it('asks for a key only while holding none, and stops asking once one is taken', async () => {
    const a = keyOf('a')
    await a.sharing.keyNotAcquired()
    expect(await stores.leases.leaseHolder(`want:${CHAIN_ID}`)).toBe('a')
    await a.sharing.keyAcquired()
    expect(await stores.leases.leaseHolder(`want:${CHAIN_ID}`)).toBeUndefined()
    a.sharing.keyHeld(KEY)
    await a.sharing.keyNotAcquired()
    expect(await stores.leases.leaseHolder(`want:${CHAIN_ID}`)).toBeUndefined()
  })

  it('yields a key only when holding two or more and another instance asks, at most once per third of a lease', async () => {
    const a = keyOf('a')
    const b = keyOf('b')
    await b.sharing.keyNotAcquired()
    a.sharing.keyHeld(KEY)
    expect(await a.sharing.shouldYield()).toBe(false)
    a.sharing.keyHeld(OTHER_KEY)
    expect(await a.sharing.shouldYield()).toBe(true)
    // Asked again within a third of the lease: not yet.
    expect(await a.sharing.shouldYield()).toBe(false)
    // Its own ask is no reason to yield; one key left is never yielded.
    const c = keyOf('c')
    await stores.leases.releaseLease(`want:${CHAIN_ID}`, 'b')
    await c.sharing.keyNotAcquired()
    c.sharing.keyHeld(KEY)
    c.sharing.keyHeld(OTHER_KEY)
    expect(await c.sharing.shouldYield()).toBe(false)
    const e = keyOf('e')
    await stores.leases.releaseLease(`want:${CHAIN_ID}`, 'c')
    await keyOf('d').sharing.keyNotAcquired()
    e.sharing.keyHeld(KEY)
    expect(await e.sharing.shouldYield()).toBe(false)
  })

  it('yields nothing when no instance asks', async () => {
    const a = keyOf('a')
    a.sharing.keyHeld(KEY)
    a.sharing.keyHeld(OTHER_KEY)
    expect(await a.sharing.shouldYield()).toBe(false)
  })
})
