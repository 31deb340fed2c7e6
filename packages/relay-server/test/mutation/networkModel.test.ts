// The one request model (src/network/fromRecord.ts) where the mutation run found it unpinned (issue 12): a record
// without an error has no `error` key at all, and a network's view passes a pending request's status changes to
// its subscriber, in the model, until it unsubscribes (the status route's event stream of a request not final yet).

import { describe, expect, it } from 'vitest'
import { evmNetwork } from '../../src/evm/network.js'
import { createMemoryStores, newRequestId } from '../../src/index.js'
import { requestOf } from '../../src/network/fromRecord.js'
import type { RelayRequest } from '../../src/network/types.js'
import { ALICE, newRequest } from '../store/fixtures.js'

const TX_HASH = `0x${'ab'.repeat(32)}` as const

describe('requestOf', () => {
  it('leaves the error out of a record that has none, and keeps one that has it', () => {
    const record = { id: 'x', siteKey: 'pk', status: 'queued' as const, createdAt: 1, updatedAt: 2 }
    const network = { kind: 'evm' as const, chainId: 1 }
    expect(requestOf(record, network)).toStrictEqual({ ...record, network })
    expect('error' in requestOf(record, network)).toBe(false)
    const error = { code: 'NOT_EXECUTED', message: 'skipped' }
    expect(requestOf({ ...record, status: 'failed', error }, network)).toStrictEqual({
      ...record,
      status: 'failed',
      error,
      network,
    })
  })
})

describe('a network view over its store', () => {
  it('tells its subscriber each status change of a pending request, in the model, until it unsubscribes', async () => {
    const stores = createMemoryStores()
    try {
      const view = evmNetwork(stores.requests)
      const stored = await stores.admission.enqueue({ ...newRequest(ALICE, 0n), id: newRequestId(31337) })
      const seen: RelayRequest[] = []
      const unsubscribe = await view.subscribe(stored.id, (request) => seen.push(request))
      await stores.requests.update(stored.id, { status: 'submitted', txHash: TX_HASH })
      await unsubscribe()
      await stores.requests.update(stored.id, { status: 'confirmed', blockNumber: 5n })
      expect(seen).toHaveLength(1)
      expect(seen[0]).toMatchObject({
        id: stored.id,
        status: 'submitted',
        network: { kind: 'evm', chainId: 31337, txHash: TX_HASH },
      })
      expect(seen[0]?.network).not.toHaveProperty('blockNumber')
    } finally {
      await stores.close()
    }
  })
})
