// Faults of the outside world: a transaction dropped from the pool, a stuck transaction, a fee
// spike above the ceiling, a reorg under the confirmation depth, and the store going away.
import { pino } from 'pino'
import { createWalletClient, type Hex, http, keccak256, type LocalAccount } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RelayConfig, type RunningRelay } from '../src/index.js'
import {
  anvilRpc,
  CHAIN_ID,
  eventually,
  ORIGIN,
  relayConfig,
  relayer,
  SITE_KEY,
  setupChain,
  startTestRelay,
  type TestChain,
} from './helpers.js'
import {
  forwarderNonce,
  fundedUsers,
  getJson,
  post,
  relayerKeys,
  transferBody,
  transferSelector,
} from './support/load.js'
import { type RedisInstance, startRedis } from './support/redis.js'
import { type RpcProxy, startRpcProxy } from './support/rpcProxy.js'

const GWEI = 1_000_000_000n

let chain: TestChain
let redis: RedisInstance
let users: LocalAccount[]
let next = 0
const relays: RunningRelay[] = []
const proxies: RpcProxy[] = []

beforeAll(async () => {
  ;[chain, redis] = await Promise.all([setupChain(), startRedis()])
  users = await fundedUsers(chain, 16, 10n)
}, 60_000)

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()))
  await Promise.all(proxies.splice(0).map((p) => p.close()))
  await anvilRpc(chain, 'evm_setAutomine', [true])
})

afterAll(async () => {
  await redis?.stop()
  await chain?.anvil.stop()
})

async function relayWith(
  chainOverrides: Record<string, unknown> = {},
  prefix = `f${next}:`,
  batchOverrides: Record<string, unknown> = {},
  extra: Partial<RelayConfig> = {},
) {
  const base = relayConfig(chain)
  const relay = await startTestRelay(chain, {
    ...extra,
    store: await createRedisStore({ url: redis.url, prefix, commandTimeoutMs: 500 }),
    chains: [
      {
        chainId: CHAIN_ID,
        rpcUrl: chain.anvil.rpcUrl,
        forwarder: chain.forwarder,
        relayerPrivateKeys: relayerKeys(1),
        ...chainOverrides,
      },
    ],
    sites: {
      ...base.sites,
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxSize: 10, maxWaitMs: 50, pollIntervalMs: 100, keyLeaseMs: 2000, ...batchOverrides },
  })
  relays.push(relay)
  return relay
}

/** A relay whose RPC traffic goes through a recording proxy, and whose logs are kept. */
async function observedRelay(chainOverrides: Record<string, unknown> = {}) {
  const proxy = await startRpcProxy(chain.anvil.rpcUrl)
  proxies.push(proxy)
  const logs: { level: number; msg: string; nonce?: number }[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) })
  const relay = await relayWith({ rpcUrl: proxy.url, ...chainOverrides }, undefined, {}, { logger })
  return { relay, proxy, logs }
}

async function submit(relay: RunningRelay) {
  const user = users[next++] as LocalAccount
  const { status, json } = await post(relay.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
  expect(status, JSON.stringify(json)).toBe(202)
  return { id: json.id as string, user }
}

const view = (relay: RunningRelay, id: string) => getJson(`${relay.url}/v1/requests/${id}`)
const final = (relay: RunningRelay, id: string) =>
  eventually(
    async () => {
      const v = await view(relay, id)
      return v && ['confirmed', 'failed', 'rejected'].includes(v.status) ? v : undefined
    },
    30_000,
    'a final status',
  )
const metric = async (relay: RunningRelay, name: string) => {
  const text = await (await fetch(`${relay.url}/metrics`)).text()
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)
  return Number(match?.[1] ?? 0)
}

describe('EVM faults', () => {
  it('re-sends a transaction dropped from the pool', async () => {
    const relay = await relayWith()
    await anvilRpc(chain, 'evm_setAutomine', [false])
    const { id, user } = await submit(relay)
    const submitted = await eventually(async () => {
      const v = await view(relay, id)
      return v?.status === 'submitted' && v.txHash ? v.txHash : undefined
    })
    await eventually(async () => (await anvilRpc(chain, 'eth_getTransactionByHash', [submitted])) !== null)
    await anvilRpc(chain, 'anvil_dropTransaction', [submitted])
    expect(await anvilRpc(chain, 'eth_getTransactionByHash', [submitted])).toBeNull()
    // The journaled raw transaction goes back to the pool, byte for byte.
    await eventually(async () => (await anvilRpc(chain, 'eth_getTransactionByHash', [submitted])) !== null, 10_000)
    expect(await metric(relay, 'tokentags_relay_rebroadcasts_total')).toBeGreaterThanOrEqual(1)
    await anvilRpc(chain, 'evm_mine')
    expect(await final(relay, id)).toMatchObject({ status: 'confirmed', txHash: submitted })
    expect(await forwarderNonce(chain, user.address)).toBe(1n)
  })

  it('replaces a stuck transaction with bumped fees; exactly one variant runs', async () => {
    const relay = await relayWith({ replaceAfterMs: 400, maxFeePerGas: 100n * GWEI })
    await anvilRpc(chain, 'evm_setAutomine', [false])
    const { id, user } = await submit(relay)
    const first = await eventually(async () => {
      const v = await view(relay, id)
      return v?.status === 'submitted' ? v.txHash : undefined
    })
    const replaced = await eventually(async () => {
      const v = await view(relay, id)
      return v?.txHash && v.txHash !== first ? v.txHash : undefined
    }, 10_000)
    // The replacement is journaled (and so shown) before it is broadcast: wait until the node has it.
    await eventually(async () => (await anvilRpc(chain, 'eth_getTransactionByHash', [replaced])) !== null, 10_000)
    const [a, b] = (await Promise.all(
      [first, replaced].map((hash) => anvilRpc(chain, 'eth_getTransactionByHash', [hash])),
    )) as ({ nonce: Hex; maxFeePerGas: Hex; maxPriorityFeePerGas: Hex } | null)[]
    // The pool holds only the replacement, at the same nonce, with fees up at least 10%.
    expect(a).toBeNull()
    expect(b).not.toBeNull()
    expect(await metric(relay, 'tokentags_relay_replacements_total')).toBeGreaterThanOrEqual(1)
    await anvilRpc(chain, 'evm_mine')
    const done = await final(relay, id)
    expect(done.status).toBe('confirmed')
    const mined = await chain.publicClient.getTransaction({ hash: done.txHash as Hex })
    const original = await chain.publicClient.getTransactionReceipt({ hash: first as Hex }).catch(() => undefined)
    expect(original).toBeUndefined()
    expect(mined.maxFeePerGas).toBeLessThanOrEqual(100n * GWEI)
    expect(await forwarderNonce(chain, user.address)).toBe(1n)
  })

  it('holds while the base fee is above the ceiling, then completes', async () => {
    const { relay, proxy } = await observedRelay({ maxFeePerGas: 5n * GWEI })
    const relayerNonce = await chain.publicClient.getTransactionCount({ address: relayer.address })
    await anvilRpc(chain, 'anvil_setNextBlockBaseFeePerGas', [`0x${(50n * GWEI).toString(16)}`])
    await anvilRpc(chain, 'evm_mine')
    const holdsBefore = await metric(relay, 'tokentags_relay_fee_holds_total')
    const { id, user } = await submit(relay)
    // Proof the batcher has looked at the queued request and decided, twice, to hold it: only
    // then does "nothing was sent" mean anything.
    await eventually(
      async () =>
        (await metric(relay, 'tokentags_relay_fee_holds_total')) >= holdsBefore + 2 ||
        proxy.sends().length > 0 ||
        (await view(relay, id))?.status !== 'queued',
      15_000,
      'two fee holds (or a send)',
    )
    expect((await view(relay, id))?.status).toBe('queued')
    expect(proxy.sends()).toEqual([])
    expect(await chain.publicClient.getTransactionCount({ address: relayer.address })).toBe(relayerNonce)
    await anvilRpc(chain, 'anvil_setNextBlockBaseFeePerGas', [`0x${GWEI.toString(16)}`])
    await anvilRpc(chain, 'evm_mine')
    const done = await final(relay, id)
    expect(done.status).toBe('confirmed')
    const tx = await chain.publicClient.getTransaction({ hash: done.txHash as Hex })
    expect(tx.maxFeePerGas).toBeLessThanOrEqual(5n * GWEI)
    expect(await forwarderNonce(chain, user.address)).toBe(1n)
  })

  it('tracks a receipt again when a reorg removes it before the confirmation depth', async () => {
    const { relay, proxy } = await observedRelay({ confirmations: 2 })
    const snapshot = await anvilRpc(chain, 'evm_snapshot')
    const { id, user } = await submit(relay)
    const first = await eventually(async () => {
      const v = await view(relay, id)
      if (!v?.txHash) return undefined
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: v.txHash }).catch(() => undefined)
      return receipt && { hash: v.txHash.toLowerCase(), blockHash: receipt.blockHash }
    })
    const firstBlock = first.blockHash
    // Mined once, but one block short of the depth: the relay has read that receipt twice (so it
    // has judged its depth), and the request is still submitted.
    const receiptReads = () =>
      proxy.calls.filter(
        (c) =>
          c.method === 'eth_getTransactionReceipt' &&
          String(c.params[0]).toLowerCase() === first.hash &&
          c.result !== null &&
          c.result !== undefined,
      ).length
    await eventually(
      async () => receiptReads() >= 2 || (await view(relay, id))?.status !== 'submitted',
      10_000,
      'the relay reading the receipt twice',
    )
    expect((await view(relay, id))?.status).toBe('submitted')
    await anvilRpc(chain, 'evm_revert', [snapshot])
    expect(await forwarderNonce(chain, user.address)).toBe(0n)
    // The relay notices the receipt is gone and sends the same transaction again.
    const second = await eventually(async () => {
      const v = await view(relay, id)
      const receipt = v?.txHash
        ? await chain.publicClient.getTransactionReceipt({ hash: v.txHash }).catch(() => undefined)
        : undefined
      return receipt && receipt.blockHash !== firstBlock ? receipt : undefined
    }, 15_000)
    await anvilRpc(chain, 'evm_mine')
    const done = await final(relay, id)
    expect(done).toMatchObject({ status: 'confirmed', blockNumber: String(second.blockNumber) })
    expect(await metric(relay, 'tokentags_relay_reorgs_total')).toBeGreaterThanOrEqual(1)
    expect(await forwarderNonce(chain, user.address)).toBe(1n)
  })
})

describe('a transaction the node refuses', () => {
  it('fails its requests with SEND_FAILED after three refusals and reuses the nonce', async () => {
    // A long batch wait leaves time to shrink the block gas limit between acceptance and sending:
    // anvil then refuses the batch ("tx.gas_limit > env.block.gas_limit"), a refusal no retry can fix.
    const relay = await relayWith({}, undefined, { maxWaitMs: 1500 })
    const relayerNonce = await chain.publicClient.getTransactionCount({ address: relayer.address })
    const { id, user } = await submit(relay)
    const { gasLimit } = await chain.publicClient.getBlock()
    await anvilRpc(chain, 'anvil_setBlockGasLimit', ['0xea60']) // 60,000
    try {
      const done = await final(relay, id)
      expect(done).toMatchObject({ status: 'failed', error: { code: 'SEND_FAILED' } })
      expect(done.error?.message).toMatch(/refused/)
      expect(await forwarderNonce(chain, user.address)).toBe(0n)
      const metrics = await (await fetch(`${relay.url}/metrics`)).text()
      expect(metrics).toMatch(/^tokentags_relay_batches_total\{[^}]*outcome="send_failed"[^}]*\} 1$/m)
    } finally {
      await anvilRpc(chain, 'anvil_setBlockGasLimit', [`0x${gasLimit.toString(16)}`])
    }
    // The user may sign the same forwarder nonce again; the relayer's abandoned nonce is reused,
    // so the next batch lands at it with no gap and no filler.
    const again = await post(relay.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
    expect(again.status, JSON.stringify(again.json)).toBe(202)
    const done = await final(relay, again.json.id as string)
    expect(done.status).toBe('confirmed')
    expect(await forwarderNonce(chain, user.address)).toBe(1n)
    const tx = await chain.publicClient.getTransaction({ hash: done.txHash as Hex })
    expect(tx.nonce).toBe(relayerNonce)
    expect(await chain.publicClient.getTransactionCount({ address: relayer.address })).toBe(relayerNonce + 1)
  })
})

describe('relayer nonce drift', () => {
  it('resyncs when the relayer key is used outside the relay, without failing a request', async () => {
    const { relay, proxy, logs } = await observedRelay()
    const { id: warm } = await submit(relay)
    expect((await final(relay, warm)).status).toBe('confirmed')
    const stale = await chain.publicClient.getTransactionCount({ address: relayer.address })
    // Someone else spends two nonces of the relayer key: the relay's next nonce is stale.
    const wallet = createWalletClient({ account: relayer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
    for (let i = 0; i < 2; i++) {
      await chain.publicClient.waitForTransactionReceipt({
        hash: await wallet.sendTransaction({ to: relayer.address, value: 0n }),
      })
    }
    const sendsBefore = proxy.sends().length
    const { id, user } = await submit(relay)
    const done = await final(relay, id)
    expect(done.status).toBe('confirmed')
    expect(await forwarderNonce(chain, user.address)).toBe(1n)
    const tx = await chain.publicClient.getTransaction({ hash: done.txHash as Hex })
    expect(tx.from.toLowerCase()).toBe(relayer.address.toLowerCase())

    // The mechanism, from the node's side: one send at the stale nonce, refused as too low, then
    // straight to the chain's next nonce. Not one send per stale nonce, no filler, no gap.
    const sends = proxy.sends().slice(sendsBefore)
    expect(sends.map((t) => t.nonce)).toEqual([stale, stale + 2])
    expect(sends[0]?.error).toMatch(/nonce too low/i)
    expect(sends[1]).toMatchObject({ hash: done.txHash })
    expect(sends[1]?.error).toBeUndefined()
    expect(tx.nonce).toBe(stale + 2)
    const [latest, pending] = await Promise.all(
      (['latest', 'pending'] as const).map((blockTag) =>
        chain.publicClient.getTransactionCount({ address: relayer.address, blockTag }),
      ),
    )
    expect({ latest, pending }).toEqual({ latest: stale + 3, pending: stale + 3 })
    await eventually(
      async () => (await relay.store.journal(CHAIN_ID, relayer.address)).length === 0,
      10_000,
      'an empty journal',
    )
    // Read as drift at once (a resync), never as the node refusing the batch.
    const resyncs = logs.filter((l) => l.msg === 'relayer nonce used by a transaction outside the journal; resyncing')
    expect(resyncs.map((l) => l.nonce)).toEqual([stale])
    const misread = ['node refused the transaction', 'node unreachable while broadcasting; will retry']
    expect(logs.filter((l) => misread.includes(l.msg))).toEqual([])
  })
})

describe('journal recovery', () => {
  it('re-sends a journaled transaction after a restart and fills the nonce gap below it', async () => {
    const prefix = 'gap:'
    const store = await createRedisStore({ url: redis.url, prefix })
    const chainNonce = await chain.publicClient.getTransactionCount({ address: relayer.address })
    // A crashed instance left nonce chainNonce + 1 journaled but never broadcast, and nothing at chainNonce.
    const fence = { name: `relayer:${CHAIN_ID}:${relayer.address.toLowerCase()}`, owner: 'crashed-instance' }
    expect(await store.acquireLease(fence.name, fence.owner, 300)).toBe(true)
    const fees = { maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI }
    const raw = await relayer.signTransaction({
      chainId: CHAIN_ID,
      type: 'eip1559',
      to: relayer.address,
      value: 0n,
      gas: 21_000n,
      nonce: chainNonce + 1,
      ...fees,
    })
    const hash = keccak256(raw)
    const entry = {
      chainId: CHAIN_ID,
      relayer: relayer.address,
      nonce: chainNonce + 1,
      kind: 'filler' as const,
      requestIds: [],
      gas: 21_000n,
      transactions: [{ hash, raw, ...fees, sentAt: Date.now() }],
      createdAt: Date.now(),
    }
    expect(await store.recordTransaction(entry, fence)).toEqual({ ok: true })
    await eventually(async () => (await store.leaseHolder(fence.name)) === undefined, 5_000, 'the lease to lapse')
    await store.close()

    const relay = await relayWith({}, prefix)
    await eventually(
      async () => (await chain.publicClient.getTransactionCount({ address: relayer.address })) === chainNonce + 2,
      15_000,
      'both nonces mined',
    )
    expect((await chain.publicClient.getTransactionReceipt({ hash })).status).toBe('success')
    // The gap was filled with an empty self-transfer.
    const block = await chain.publicClient.getBlock({ includeTransactions: true })
    const all = [
      block,
      ...(await Promise.all(
        [1n, 2n, 3n].map((d) =>
          chain.publicClient.getBlock({ blockNumber: block.number - d, includeTransactions: true }),
        ),
      )),
    ]
    const filler = all
      .flatMap((b) => b.transactions)
      .find((t) => t.from.toLowerCase() === relayer.address.toLowerCase() && t.nonce === chainNonce)
    expect(filler).toMatchObject({ to: relayer.address.toLowerCase(), value: 0n })
    await eventually(
      async () => (await relay.store.journal(CHAIN_ID, relayer.address)).length === 0,
      10_000,
      'an empty journal',
    )
    // And the key works normally afterwards.
    const { id } = await submit(relay)
    expect((await final(relay, id)).status).toBe('confirmed')
  })
})

describe('store outage', () => {
  it('answers 503 (never a 202 not stored) while Redis hangs, and recovers when it returns', async () => {
    const relay = await relayWith()
    redis.pause()
    try {
      const user = users[next++] as LocalAccount
      const { status, json } = await post(relay.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
      expect({ status, code: json.error?.code }).toEqual({ status: 503, code: 'STORE_UNAVAILABLE' })
      const health = await fetch(`${relay.url}/v1/health`)
      expect(health.status).toBe(503)
      expect((await health.json()).store).toEqual({ kind: 'redis', ok: false })
    } finally {
      redis.resume()
    }
    const { id } = await submit(relay)
    expect((await final(relay, id)).status).toBe('confirmed')
  })

  it('answers 503 while Redis is down, then reconnects to a restarted server', async () => {
    const relay = await relayWith({}, 'outage:')
    const { id } = await submit(relay)
    expect((await final(relay, id)).status).toBe('confirmed')
    const port = redis.port
    await redis.stop(true)
    try {
      const user = users[next++] as LocalAccount
      const { status, json } = await post(relay.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
      expect({ status, code: json.error?.code }).toEqual({ status: 503, code: 'STORE_UNAVAILABLE' })
      expect((await fetch(`${relay.url}/v1/requests/${id}`)).status).toBe(503)
    } finally {
      redis = await startRedis(port)
    }
    const again = await eventually(async () => {
      const user = users[next] as LocalAccount
      const { status, json } = await post(relay.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
      return status === 202 ? json.id : undefined
    }, 15_000)
    next++
    expect((await final(relay, again as string)).status).toBe('confirmed')
  })
})
