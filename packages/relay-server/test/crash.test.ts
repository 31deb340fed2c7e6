// A relay process on Redis (and on a Redis Cluster) killed with SIGKILL at random points while 500
// requests flow, then restarted: every acknowledged request reaches a final state and nothing
// executes twice.
import { freePort } from '@tokentags/testkit'
import type { LocalAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHAIN_ID, ORIGIN, SITE_KEY, setupChain, type TestChain } from './helpers.js'
import {
  executions,
  forwarderNonce,
  fundedUsers,
  getJson,
  post,
  relayerKeys,
  SINK,
  tokenBalance,
  transferBody,
  transferSelector,
  UNIT,
} from './support/load.js'
import { type RelayProcess, relayProcess } from './support/relayProcess.js'
import { SHARED_STORES, type StoreBackend, startStoreBackend } from './support/storeBackend.js'

const USERS = 20
const PER_USER = 25
const TOKENS = 1000n

describe.each(SHARED_STORES)('crash safety on %s', (kind) => {
  let chain: TestChain
  let backend: StoreBackend
  let relay: RelayProcess
  let users: LocalAccount[]

  beforeAll(async () => {
    ;[chain, backend] = await Promise.all([setupChain(), startStoreBackend(kind)])
    users = await fundedUsers(chain, USERS, TOKENS)
    relay = relayProcess({
      port: await freePort(),
      env: backend.env,
      name: 'crash',
      config: {
        chains: [
          {
            chainId: CHAIN_ID,
            rpcUrl: chain.anvil.rpcUrl,
            forwarder: chain.forwarder,
            relayerPrivateKeys: relayerKeys(2),
            replaceAfterMs: 20_000,
          },
        ],
        sites: {
          [SITE_KEY]: {
            origins: [ORIGIN],
            targets: [{ address: chain.token, selectors: [transferSelector] }],
            dailyBudgetWei: 'unlimited',
          },
        },
        batch: { maxSize: 20, maxWaitMs: 100, pollIntervalMs: 100, claimLeaseMs: 2000, keyLeaseMs: 1500 },
        // 500 submissions plus retries to one site within a minute, counted in the shared store across restarts.
        limits: { perIp: false, perSender: false, perSite: { points: 10_000, durationSeconds: 60 } },
      },
    })
    await relay.start()
  }, 120_000)

  afterAll(async () => {
    await relay?.kill()
    await backend?.stop()
    await chain?.anvil.stop()
  })

  it('survives SIGKILLs at random points: every acknowledged request is final, none runs twice', async () => {
    const acked: string[] = []
    const outcomes = new Map<number, number>()
    let clientsDone = false

    // Each user sends nonces 0..24 in order; an unanswered POST is retried, a 409 means it was stored already.
    const client = async (user: LocalAccount) => {
      let nonce = 0n
      while (nonce < BigInt(PER_USER)) {
        const body = await transferBody(chain, user, nonce)
        const { status, json } = await post(relay.url, body, SITE_KEY, ORIGIN)
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1)
        if (status === 202 && json.id) {
          acked.push(json.id)
          nonce++
        } else if (status === 409 && json.error?.code === 'BAD_NONCE') {
          nonce++
        } else if (status === 0 || status === 503) {
          await new Promise((r) => setTimeout(r, 100))
        } else {
          throw new Error(`unexpected answer ${status} ${JSON.stringify(json)}`)
        }
      }
    }
    // Kills at random points of the clients' progress (not of the clock): a fast machine finishing the load in a
    // few seconds still sees three kills with requests in flight.
    const total = USERS * PER_USER
    const marks = [0.1, 0.35, 0.6].map((at) => Math.floor(total * (at + Math.random() * 0.15)))
    const killer = async () => {
      let kills = 0
      for (const mark of marks) {
        while (!clientsDone && acked.length < mark) await new Promise((r) => setTimeout(r, 10))
        if (clientsDone) break
        await relay.kill()
        kills++
        await new Promise((r) => setTimeout(r, Math.random() * 500))
        await relay.start()
      }
      return kills
    }
    const killing = killer()
    await Promise.all(users.map(client))
    clientsDone = true
    const kills = await killing
    expect(kills).toBeGreaterThanOrEqual(2)

    // One last kill with work in flight, then a restart that must finish it.
    await relay.kill()
    await relay.start()

    const finals = new Map<string, { status: string; error?: { code: string } }>()
    const until = Date.now() + 120_000
    while (finals.size < acked.length && Date.now() < until) {
      for (const id of acked) {
        if (finals.has(id)) continue
        const view = await getJson(`${relay.url}/v1/requests/${id}`)
        if (view && ['confirmed', 'failed', 'rejected'].includes(view.status)) finals.set(id, view)
      }
      if (finals.size < acked.length) await new Promise((r) => setTimeout(r, 300))
    }
    expect(finals.size).toBe(acked.length)
    const notConfirmed = [...finals.values()].filter((f) => f.status !== 'confirmed')
    expect(notConfirmed).toEqual([])

    // On chain: each user's 25 nonces ran exactly once, and the tokens moved exactly once each.
    const { keys, successes } = await executions(chain)
    expect(keys.length).toBe(new Set(keys).size)
    expect(successes).toBe(USERS * PER_USER)
    for (const user of users) {
      expect(await forwarderNonce(chain, user.address)).toBe(BigInt(PER_USER))
      expect(await tokenBalance(chain, user.address)).toBe(TOKENS - BigInt(PER_USER) * UNIT)
    }
    expect(await tokenBalance(chain, SINK)).toBe(BigInt(USERS * PER_USER) * UNIT)
    expect(acked.length).toBeGreaterThan(0)
    console.info(
      `crash test on ${kind}: ${kills + 1} kills, ${acked.length} acknowledged, answers ${JSON.stringify([...outcomes])}`,
    )
  }, 360_000)
})
