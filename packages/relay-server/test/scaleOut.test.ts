// Three relay processes on one Redis (and on a three-master Redis Cluster), 600 requests spread
// across them: all confirmed exactly once, and no client ever sees a nonce error.

import { forwarderAbi } from '@tokentags/contracts'
import { freePort } from '@tokentags/testkit'
import { type Address, type LocalAccount, parseEventLogs } from 'viem'
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
} from './support/load.js'
import { type RelayProcess, relayProcess } from './support/relayProcess.js'
import { SHARED_STORES, type StoreBackend, startStoreBackend } from './support/storeBackend.js'

const USERS = 30
const PER_USER = 20
const TOKENS = 100n

describe.each(SHARED_STORES)('scale-out on %s', (kind) => {
  let chain: TestChain
  let backend: StoreBackend
  let relays: RelayProcess[] = []
  let users: LocalAccount[]

  beforeAll(async () => {
    ;[chain, backend] = await Promise.all([setupChain(), startStoreBackend(kind)])
    users = await fundedUsers(chain, USERS, TOKENS)
    const config = {
      chains: [
        {
          chainId: CHAIN_ID,
          rpcUrl: chain.anvil.rpcUrl,
          forwarder: chain.forwarder,
          relayerPrivateKeys: relayerKeys(3),
        },
      ],
      sites: {
        [SITE_KEY]: {
          origins: [ORIGIN],
          targets: [{ address: chain.token, selectors: [transferSelector] }],
          dailyBudgetWei: 'unlimited',
        },
      },
      batch: { maxSize: 25, maxWaitMs: 150, pollIntervalMs: 100, keyLeaseMs: 3000 },
      // 600 submissions to one site in well under a minute: the default site limit would be the ceiling.
      limits: {
        perIp: false,
        perSender: { points: 1000, durationSeconds: 60 },
        perSite: { points: 10_000, durationSeconds: 60 },
      },
    }
    relays = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => relayProcess({ port: await freePort(), env: backend.env, config, name })),
    )
    await Promise.all(relays.map((r) => r.start()))
  }, 120_000)

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()))
    await backend?.stop()
    await chain?.anvil.stop()
  })

  it('confirms 600 requests sent to three processes exactly once, with no nonce error', async () => {
    const answers = new Map<string, number>()
    const acked: { id: string; relay: RelayProcess }[] = []
    let turn = 0
    // Each user's consecutive nonces go to different processes, one after the other.
    await Promise.all(
      users.map(async (user) => {
        for (let nonce = 0n; nonce < BigInt(PER_USER); nonce++) {
          const relay = relays[turn++ % relays.length] as RelayProcess
          // A generous timeout: on a loaded machine a slow answer is not a failure, and a retry
          // after an abort could not tell "stored" from "not stored".
          const body = await transferBody(chain, user, nonce)
          const { status, json } = await post(relay.url, body, SITE_KEY, ORIGIN, 60_000)
          const key = `${status}${json.error ? ` ${json.error.code}` : ''}`
          answers.set(key, (answers.get(key) ?? 0) + 1)
          if (status !== 202 || !json.id) throw new Error(`nonce ${nonce}: ${status} ${JSON.stringify(json)}`)
          acked.push({ id: json.id, relay })
        }
      }),
    )
    expect([...answers]).toEqual([['202', USERS * PER_USER]])

    const finals = new Map<string, { status: string; txHash?: string; error?: { code: string } }>()
    const until = Date.now() + 90_000
    while (finals.size < acked.length && Date.now() < until) {
      for (const [i, { id }] of acked.entries()) {
        if (finals.has(id)) continue
        // Any process answers for any request: the store is shared.
        const view = await getJson(`${(relays[i % 3] as RelayProcess).url}/v1/requests/${id}`)
        if (view && ['confirmed', 'failed', 'rejected'].includes(view.status)) finals.set(id, view)
      }
      if (finals.size < acked.length) await new Promise((r) => setTimeout(r, 250))
    }
    expect(finals.size).toBe(USERS * PER_USER)
    expect([...finals.values()].filter((f) => f.status !== 'confirmed')).toEqual([])

    const { keys, successes } = await executions(chain)
    expect(keys.length).toBe(new Set(keys).size)
    expect(successes).toBe(USERS * PER_USER)
    for (const user of users) {
      expect(await forwarderNonce(chain, user.address)).toBe(BigInt(PER_USER))
      expect(await tokenBalance(chain, user.address)).toBe(TOKENS - BigInt(PER_USER))
    }
    expect(await tokenBalance(chain, SINK)).toBe(BigInt(USERS * PER_USER))

    // Every relayer key sent, each from one process only (its lease holder), nonces without gaps.
    const hashes = [...new Set([...finals.values()].map((f) => f.txHash as `0x${string}`))]
    const senders = new Map<Address, number[]>()
    for (const hash of hashes) {
      const tx = await chain.publicClient.getTransaction({ hash })
      const receipt = await chain.publicClient.getTransactionReceipt({ hash })
      expect(parseEventLogs({ abi: forwarderAbi, logs: receipt.logs }).length).toBeGreaterThan(0)
      senders.set(tx.from, [...(senders.get(tx.from) ?? []), tx.nonce])
    }
    expect(senders.size).toBeGreaterThanOrEqual(2)
    for (const nonces of senders.values()) expect(new Set(nonces).size).toBe(nonces.length)
    const stats = await Promise.all(
      relays.map(async (r) =>
        (await fetch(`${r.url}/metrics`)).text().then((t) => /batches_total\{[^}]*outcome="sent"\} (\d+)/.exec(t)?.[1]),
      ),
    )
    // Keys spread over the instances: each process sent batches with the key it holds.
    expect(stats.map((n) => Number(n ?? 0) > 0)).toEqual([true, true, true])
    console.info(
      `scale-out on ${kind}: ${hashes.length} batches from ${senders.size} keys; sent per process ${stats.join(', ')}`,
    )
  }, 240_000)
})
