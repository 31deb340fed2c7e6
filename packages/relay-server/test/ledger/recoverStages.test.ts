// A relay killed between journaling a batch's transaction and pushing its stages to the ledger outbox
// (issue 16): the next relay recovers the key from the journal and sends `submitted` and `replaced`
// again, with the times they were sent; when nothing was lost, sending them again writes no second row.
import { PGlite } from '@electric-sql/pglite'
import { createPgliteLedger, type Ledger, type LedgerEntry, type StageEvent } from '@tokentags/ledger'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRedisOutbox, type LedgerOutbox } from '../../src/ledger/outbox.js'
import type { RunningRelay } from '../../src/relay.js'
import { createRedisStore } from '../../src/store/redis.js'
import type { SentTransaction } from '../../src/store/types.js'
import {
  anvilRpc,
  CHAIN_ID,
  claimData,
  eventually,
  postRequest,
  relayer,
  relayerKey,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from '../helpers.js'
import { type RedisInstance, startRedis } from '../support/redis.js'

let chain: TestChain
let redis: RedisInstance
let db: PGlite
let ledger: Ledger
let next = 0
// A short drain lock: the drainer of a relay that is gone holds the outbox's lock until it runs out.
const DRAIN = { idleMs: 100, leaseMs: 1000, minBackoffMs: 100, maxBackoffMs: 400 }
const relays: RunningRelay[] = []

beforeAll(async () => {
  ;[chain, redis, db] = await Promise.all([setupChain(), startRedis(), PGlite.create()])
  ledger = await createPgliteLedger({ instance: db })
}, 120_000)

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()))
  await anvilRpc(chain, 'evm_setAutomine', [true])
})

afterAll(async () => {
  await ledger?.close()
  await Promise.all([redis?.stop(), chain?.anvil.stop()])
})

/** One ledger for both relays of a test: a relay's `close` closes its ledger, this one outlives them. */
function sharedLedger(): Ledger {
  return new Proxy(ledger, {
    get(target, property) {
      if (property === 'close') return async () => {}
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** A relay's Redis outbox that keeps a copy of what it was given, and refuses what `refuse` picks. */
interface WatchedOutbox extends LedgerOutbox {
  pushed: StageEvent[]
  refused: StageEvent[]
}

async function watchedOutbox(prefix: string, refuse: (e: StageEvent) => boolean = () => false) {
  const outbox = await createRedisOutbox({ url: redis.url, prefix })
  const watched: WatchedOutbox = {
    ...outbox,
    pushed: [],
    refused: [],
    async push(events: readonly LedgerEntry[]) {
      const stages = events as StageEvent[]
      watched.pushed.push(...stages)
      // What the relay was killed before pushing: the sink logs the refusal and the request goes on.
      if (stages.some(refuse)) {
        watched.refused.push(...stages)
        throw new Error('outbox push lost: the relay died before it')
      }
      return outbox.push(events)
    },
  }
  return watched
}

async function relayOn(prefix: string, outbox: LedgerOutbox, replaceAfterMs: number) {
  const relay = await startTestRelay(chain, {
    store: await createRedisStore({ url: redis.url, prefix }),
    ledger: { ledger: sharedLedger(), outbox, drain: DRAIN },
    chains: [
      {
        chainId: CHAIN_ID,
        rpcUrl: chain.anvil.rpcUrl,
        forwarder: chain.forwarder,
        relayerPrivateKeys: [relayerKey],
        replaceAfterMs,
      },
    ],
    batch: { maxSize: 10, maxWaitMs: 50, pollIntervalMs: 50, keyLeaseMs: 2000 },
  })
  relays.push(relay)
  return relay
}

/** A signed gasless claim of a fresh user's vested schedule (created while blocks are still mined). */
async function claimBody() {
  const account = privateKeyToAccount(generatePrivateKey())
  const id = await chain.createVestedSchedule(account.address, 1000n)
  return signedBody({ account, forwarder: chain.forwarder, to: chain.vestingVault, data: claimData(id), nonce: 0n })
}

/** The journaled transactions of the relayer key's only entry, read past the ledger's observation. */
async function journaled(prefix: string): Promise<SentTransaction[]> {
  const store = await createRedisStore({ url: redis.url, prefix })
  try {
    const entries = await store.journal(CHAIN_ID, relayer.address)
    expect(entries).toHaveLength(1)
    return entries[0]?.transactions ?? []
  } finally {
    await store.close()
  }
}

const stagesOf = async (id: string) => (await ledger.timeline(id))?.stages ?? []

/** Kills relay A after its batch is journaled (and `variants` times sent), then relay B takes the key. */
async function crashAndRecover(prefix: string, variants: number, refuse?: (e: StageEvent) => boolean) {
  const body = await claimBody()
  // Nothing is mined from here: the batch stays in flight, journaled, when A goes.
  await anvilRpc(chain, 'evm_setAutomine', [false])
  const outboxA = await watchedOutbox(prefix, refuse)
  const a = await relayOn(prefix, outboxA, variants > 1 ? 300 : 600_000)
  const { status, json } = await postRequest(a, body)
  expect(status).toBe(202)
  const id = json.id as string
  await eventually(
    async () =>
      outboxA.pushed.filter((e) => e.requestId === id && (e.stage === 'submitted' || e.stage === 'replaced')).length >=
      variants,
    20_000,
    `${variants} journaled transaction(s) of the batch`,
  )
  await a.close()
  relays.splice(relays.indexOf(a), 1)
  const sent = await journaled(prefix)
  expect(sent.length).toBeGreaterThanOrEqual(variants)

  // Mined while no relay runs: B finds the receipt of what it recovers from the journal.
  await anvilRpc(chain, 'evm_setAutomine', [true])
  await anvilRpc(chain, 'evm_mine')
  const outboxB = await watchedOutbox(prefix)
  const b = await relayOn(prefix, outboxB, 600_000)
  expect(await waitForFinal(b, id, 30_000)).toMatchObject({ status: 'confirmed' })
  await eventually(
    async () => (await stagesOf(id)).some((s) => s.stage === 'settled'),
    30_000,
    'the settled stage in the ledger',
  )
  return { id, sent, outboxA, outboxB }
}

describe('stages of a journaled transaction across a relay crash', () => {
  it('writes submitted and replaced, lost at the crash, once each with their original times', async () => {
    const prefix = `rs${next++}:`
    const lostStage = (e: StageEvent) => e.stage === 'submitted' || e.stage === 'replaced'
    const { id, sent, outboxA } = await crashAndRecover(prefix, 2, lostStage)
    // The loss happened: A's outbox never kept a submitted or replaced stage of the request.
    expect(outboxA.refused.filter((e) => e.requestId === id && e.stage === 'submitted')).toHaveLength(1)
    // A may journal one more variant while it stops: what counts is that the ledger ends with all of them.
    expect(outboxA.refused.filter((e) => e.requestId === id && e.stage === 'replaced').length).toBeGreaterThanOrEqual(1)

    const stages = await stagesOf(id)
    const submitted = stages.filter((s) => s.stage === 'submitted')
    expect(submitted.map((s) => s.at)).toEqual([sent[0]?.sentAt])
    expect(submitted[0]?.detail).toMatchObject({
      relayer: relayer.address,
      maxFeePerGas: String(sent[0]?.maxFeePerGas),
    })
    expect(stages.filter((s) => s.stage === 'replaced').map((s) => ({ seq: s.seq, at: s.at }))).toEqual(
      sent.slice(1).map((t, i) => ({ seq: i + 1, at: t.sentAt })),
    )
    expect(stages.map((s) => s.stage).filter((s) => s !== 'replaced')).toEqual([
      'received',
      'simulated',
      'admitted',
      'batched',
      'submitted',
      'confirmed',
      'settled',
    ])
  }, 120_000)

  it('writes no second submitted stage when nothing was lost before the crash', async () => {
    const prefix = `rs${next++}:`
    const { id, sent, outboxA, outboxB } = await crashAndRecover(prefix, 1)
    // Both relays sent it (A when journaling, B when recovering); the ledger holds it once.
    const submittedBy = (o: WatchedOutbox) => o.pushed.filter((e) => e.requestId === id && e.stage === 'submitted')
    expect(submittedBy(outboxA).map((e) => e.at)).toEqual([sent[0]?.sentAt])
    expect(submittedBy(outboxB).map((e) => e.at)).toEqual([sent[0]?.sentAt])
    const stages = await stagesOf(id)
    expect(stages.filter((s) => s.stage === 'submitted').map((s) => s.at)).toEqual([sent[0]?.sentAt])
    expect(stages.filter((s) => s.stage === 'replaced')).toEqual([])
    expect(stages.map((s) => s.stage)).toEqual([
      'received',
      'simulated',
      'admitted',
      'batched',
      'submitted',
      'confirmed',
      'settled',
    ])
  }, 120_000)
})
