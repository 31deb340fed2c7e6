// Issue 13, findings 3, 6 and 9, as attacks on running relays over a real Redis and anvil:
// reservations from measured gas at today's fee (padding declared gas no longer locks a budget),
// settlement by measured share (two identical transfers pay the same), in-flight caps per sender
// and per client address (IPv6 by /64) shared by two instances, and the L1 data fee reserved from
// the OP-stack GasPriceOracle.
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { type Hex, hexToBytes, type LocalAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BATCH_FIXED_GAS } from '../src/evm/gas.js'
import { GAS_PRICE_ORACLE, reservationFeePerGas } from '../src/evm/reservation.js'
import {
  batchGasLimit,
  createMemoryStore,
  createRedisStore,
  type RelayConfig,
  type RunningRelay,
} from '../src/index.js'
import {
  anvilRpc,
  CHAIN_ID,
  claimData,
  ORIGIN,
  relayConfig,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
} from './helpers.js'
import { fundedUsers, relayerKeys, transferBody } from './support/load.js'
import { type RedisInstance, startRedis } from './support/redis.js'

const SITE = 'pk_reserve'
const CEILING = 100_000_000_000n // 100 gwei: the ceiling the old reservations were priced at
const BUDGET = 500_000_000_000_000_000n // 0.5 ETH: four 1,000,000-gas requests at the ceiling
const ORACLE_FEE = 7_000_000_000_000n // what the stub GasPriceOracle quotes, wei
// PUSH6 ORACLE_FEE, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN: answers every call with ORACLE_FEE.
const ORACLE_STUB: Hex = `0x65${ORACLE_FEE.toString(16).padStart(12, '0')}60005260206000f3`

let chain: TestChain
let redis: RedisInstance
let relay: RunningRelay
let users: LocalAccount[]
let next = 0
const fresh = () => users[next++] as LocalAccount
/**
 * A fresh sender whose address has no zero byte. The measured gas includes the calldata of the call with the sender
 * appended (4 gas per zero byte, 16 per other): two random senders' otherwise identical requests differ by 12 gas per
 * zero byte of their addresses (about 1 sender in 13), a real difference in what each costs.
 */
const freshNoZeroByte = (): LocalAccount => {
  for (;;) {
    const account = fresh()
    if (!hexToBytes(account.address).includes(0)) return account
  }
}

function siteConfig() {
  return {
    origins: [ORIGIN],
    targets: [
      { address: chain.token, functions: ['transfer(address to, uint256 amount)'] },
      { address: chain.vestingVault, functions: ['claim(uint256 id)'] },
    ],
    dailyBudgetWei: BUDGET,
  }
}

function chainConfig(keys: Hex[], extra: Record<string, unknown> = {}) {
  return {
    chainId: CHAIN_ID,
    rpcUrl: chain.anvil.rpcUrl,
    forwarder: chain.forwarder,
    relayerPrivateKeys: keys,
    maxFeePerGas: CEILING,
    ...extra,
  }
}

async function post(target: RunningRelay, body: unknown, forwardedFor?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-tokentags-site': SITE,
    origin: ORIGIN,
  }
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor
  const response = await fetch(`${target.url}/v1/evm/${CHAIN_ID}/requests`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
  return { status: response.status, json: (await response.json()) as { id: string; error?: { code: string } } }
}

/** Transfers of 1 unit to SINK declaring `gas`. */
async function transfer(account: LocalAccount, nonce: bigint, gas: bigint) {
  const body = await transferBody(chain, account, nonce)
  if (gas === BigInt(body.request.gas)) return body
  return signedBody({
    account,
    forwarder: chain.forwarder,
    to: chain.token,
    data: body.request.data as Hex,
    nonce,
    gas,
  })
}

async function finals(target: RunningRelay, ids: string[]) {
  const until = Date.now() + 30_000
  for (;;) {
    const records = await Promise.all(ids.map((id) => target.store.get(id)))
    if (records.every((r) => r && ['confirmed', 'failed', 'rejected'].includes(r.status))) {
      return records.map((r) => r as NonNullable<typeof r>)
    }
    if (Date.now() > until) throw new Error(`not final: ${records.map((r) => r?.status).join(', ')}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const mineAll = async () => {
  await anvilRpc(chain, 'evm_setAutomine', [true])
  await anvilRpc(chain, 'evm_mine')
}

beforeAll(async () => {
  ;[chain, redis] = await Promise.all([setupChain(), startRedis()])
  users = await fundedUsers(chain, 40, 10n)
  relay = await startTestRelay(chain, {
    store: await createRedisStore({ url: redis.url }),
    chains: [chainConfig(relayerKeys(2))],
    sites: { ...relayConfig(chain).sites, [SITE]: siteConfig() },
    // Pairs: two requests sent together leave in one batch.
    batch: { maxSize: 2, maxWaitMs: 1000, pollIntervalMs: 100 },
    limits: { perIp: false, perSender: false },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await redis?.stop()
  await chain?.anvil.stop()
})

describe('reservations from measured gas (finding 3)', () => {
  it('ten requests declaring 1,000,000 gas no longer lock an honest visitor out', async () => {
    // No blocks: every reservation stays held while the honest visitor arrives.
    await anvilRpc(chain, 'evm_setAutomine', [false])
    const padded = await Promise.all(Array.from({ length: 10 }, () => transfer(fresh(), 0n, 1_000_000n)))
    const attack = await Promise.all(padded.map((b) => post(relay, b)))
    expect(attack.map((r) => r.status)).toEqual(Array(10).fill(202))
    const honest = await post(relay, await transfer(fresh(), 0n, 80_000n))
    expect(honest.status).toBe(202)

    const ids = [...attack.map((r) => r.json.id), honest.json.id]
    const held = await Promise.all(ids.map((id) => relay.store.get(id)))
    const day = new Date().toISOString().slice(0, 10)
    const used = (await relay.store.siteState(SITE, day)).usedWei
    // Before: each padded request reserved its declared gas at the ceiling (~0.113 ETH).
    const worstCase = batchGasLimit([{ request: { gas: 1_000_000n, data: padded[0]?.request.data as Hex } }]) * CEILING
    for (const record of held) {
      expect(record?.measuredGas).toBeGreaterThan(40_000n)
      expect(record?.measuredGas).toBeLessThan(100_000n)
      expect((record?.reservedWei ?? worstCase) * 100n).toBeLessThan(worstCase)
    }
    expect(used).toBe(held.reduce((sum, r) => sum + (r?.reservedWei ?? 0n), 0n))

    await mineAll()
    const settled = await finals(relay, ids)
    expect(settled.map((r) => r.status)).toEqual(Array(11).fill('confirmed'))
    // The reservation covered what each request really cost: settled to the wei of the receipts.
    let onChain = 0n
    for (const hash of new Set(settled.map((r) => r.txHash as Hex))) {
      const receipt = await chain.publicClient.getTransactionReceipt({ hash })
      onChain += receipt.gasUsed * receipt.effectiveGasPrice
    }
    for (const r of settled) expect(r.spentWei).toBeLessThanOrEqual(r.reservedWei as bigint)
    expect(settled.reduce((sum, r) => sum + (r.spentWei ?? 0n), 0n)).toBe(onChain)
    expect((await relay.store.siteState(SITE, day)).usedWei).toBe(
      used - held.reduce((s, r) => s + (r?.reservedWei ?? 0n), 0n) + onChain,
    )
  }, 60_000)
})

describe('settlement by measured share (finding 6)', () => {
  it('charges two identical transfers in one batch the same, whatever gas each declared', async () => {
    await anvilRpc(chain, 'evm_setAutomine', [false])
    const [small, large] = await Promise.all([
      transfer(freshNoZeroByte(), 0n, 80_000n),
      transfer(freshNoZeroByte(), 0n, 1_000_000n),
    ])
    const answers = await Promise.all([post(relay, small), post(relay, large)])
    expect(answers.map((a) => a.status)).toEqual([202, 202])
    await mineAll()
    const [a, b] = await finals(
      relay,
      answers.map((x) => x.json.id),
    )
    expect(a?.status).toBe('confirmed')
    expect(b?.txHash).toBe(a?.txHash)
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: a?.txHash as Hex })
    const [x = 0n, y = 0n] = [a?.spentWei, b?.spentWei]
    expect(x > y ? x - y : y - x).toBeLessThanOrEqual(1n)
    expect(x + y).toBe(receipt.gasUsed * receipt.effectiveGasPrice)
  }, 60_000)
})

describe('the measured gas of a request alone in its batch (issue 12: measured in the one simulation call)', () => {
  it('covers what its batch of one used, within a few hundred gas: a transfer and a vault claim', async () => {
    await anvilRpc(chain, 'evm_setAutomine', [true])
    const claimer = freshNoZeroByte()
    const id = await chain.createVestedSchedule(claimer.address, 1_000n)
    const bodies = [
      await transfer(freshNoZeroByte(), 0n, 80_000n),
      await signedBody({
        account: claimer,
        forwarder: chain.forwarder,
        to: chain.vestingVault,
        data: claimData(id),
        nonce: 0n,
      }),
    ]
    // One at a time: each leaves alone in its batch (maxWaitMs 1000 with nothing else queued).
    for (const [i, body] of bodies.entries()) {
      const answer = await post(relay, body)
      expect(answer.status).toBe(202)
      const [record] = await finals(relay, [answer.json.id])
      expect(record?.status).toBe('confirmed')
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: record?.txHash as Hex })
      const reserved = (record?.measuredGas ?? 0n) + BATCH_FIXED_GAS
      expect(reserved).toBeGreaterThanOrEqual(receipt.gasUsed)
      // A transfer: 267 over (gas.ts); a claim also gets a 4,800 storage refund the meter does not see.
      expect(reserved - receipt.gasUsed).toBeLessThanOrEqual(i === 0 ? 1_000n : 6_000n)
    }
  }, 60_000)
})

describe('in-flight caps, shared by two instances (finding 3)', () => {
  let one: RunningRelay
  let two: RunningRelay
  beforeAll(async () => {
    const config: Partial<RelayConfig> = {
      chains: [chainConfig(relayerKeys(2))],
      sites: { ...relayConfig(chain).sites, [SITE]: siteConfig() },
      batch: { maxSize: 10, maxWaitMs: 100, pollIntervalMs: 100 },
      limits: { perIp: false, perSender: false, inFlightPerSender: 2, inFlightPerIp: 3 },
      trustProxy: ['loopback'],
    }
    one = await startTestRelay(chain, { ...config, store: await createRedisStore({ url: redis.url }) })
    two = await startTestRelay(chain, { ...config, store: await createRedisStore({ url: redis.url }) })
  })
  afterAll(async () => {
    await one?.close()
    await two?.close()
  })

  it('refuses a sender past its requests in flight, whichever instance it asks, until one is final', async () => {
    await anvilRpc(chain, 'evm_setAutomine', [false])
    const sender = fresh()
    const ip = '198.51.100.7'
    expect((await post(one, await transfer(sender, 0n, 80_000n), ip)).status).toBe(202)
    const second = await post(two, await transfer(sender, 1n, 80_000n), ip)
    expect(second.status).toBe(202)
    const third = await post(one, await transfer(sender, 2n, 80_000n), ip)
    expect(third.status).toBe(429)
    expect(third.json.error?.code).toBe('SENDER_IN_FLIGHT_LIMIT')
    // Another signer from the same address is not this sender's business.
    expect((await post(two, await transfer(fresh(), 0n, 80_000n), ip)).status).toBe(202)

    await mineAll()
    await finals(one, [second.json.id])
    const again = await post(two, await transfer(sender, 2n, 80_000n), ip)
    expect(again.status).toBe(202)
    await finals(two, [again.json.id])
  }, 60_000)

  it('refuses an IPv6 /64 past its requests in flight on either instance, and frees it once final', async () => {
    await anvilRpc(chain, 'evm_setAutomine', [false])
    const accepted: string[] = []
    for (const [target, ip] of [
      [one, '2001:db8:1:2::1'],
      [two, '2001:db8:1:2::2'],
      [one, '2001:db8:1:2:ffff:ffff:ffff:3'],
    ] as const) {
      const answer = await post(target, await transfer(fresh(), 0n, 80_000n), ip)
      expect(answer.status).toBe(202)
      accepted.push(answer.json.id)
    }
    const over = await post(two, await transfer(fresh(), 0n, 80_000n), '2001:db8:1:2::4')
    expect(over.status).toBe(429)
    expect(over.json.error?.code).toBe('IP_IN_FLIGHT_LIMIT')
    // The next /64 is another client.
    expect((await post(two, await transfer(fresh(), 0n, 80_000n), '2001:db8:1:3::4')).status).toBe(202)

    await mineAll()
    await finals(one, accepted)
    const freed = await post(two, await transfer(fresh(), 0n, 80_000n), '2001:db8:1:2::5')
    expect(freed.status).toBe(202)
    await finals(two, [freed.json.id])
  }, 60_000)
})

describe('OP-stack L1 data fee (finding 9)', () => {
  it('reserves the GasPriceOracle quote times the margin on top of the gas', async () => {
    // anvil --optimism has no GasPriceOracle: a stub at the predeploy answers every call with ORACLE_FEE.
    await anvilRpc(chain, 'anvil_setCode', [GAS_PRICE_ORACLE, ORACLE_STUB])
    const opRelay = await startTestRelay(chain, {
      store: createMemoryStore(),
      // A key of its own: this relay's leases live in its own memory store.
      chains: [chainConfig([ANVIL_DEV_ACCOUNTS[5]?.privateKey as Hex], { opStack: true, reserveFeeMultiplier: 2 })],
      sites: { ...relayConfig(chain).sites, [SITE]: siteConfig() },
      limits: { perIp: false, perSender: false },
    })
    try {
      await anvilRpc(chain, 'evm_setAutomine', [false])
      const answer = await post(opRelay, await transfer(fresh(), 0n, 80_000n))
      expect(answer.status).toBe(202)
      const record = await opRelay.store.get(answer.json.id)
      const runtime = opRelay.chains.get(CHAIN_ID)
      if (!record?.measuredGas || !runtime) throw new Error('no measured record')
      const feePerGas = await reservationFeePerGas(runtime)
      expect(record.reservedWei).toBe((record.measuredGas + BATCH_FIXED_GAS) * feePerGas + 2n * ORACLE_FEE)

      // An OP-stack chain whose oracle does not answer cannot price a request: 503, nothing stored.
      await anvilRpc(chain, 'anvil_setCode', [GAS_PRICE_ORACLE, '0x'])
      const refused = await post(opRelay, await transfer(fresh(), 0n, 80_000n))
      expect(refused.status).toBe(503)
      expect(refused.json.error?.code).toBe('UPSTREAM_UNAVAILABLE')
      await mineAll()
      await finals(opRelay, [answer.json.id])
    } finally {
      await anvilRpc(chain, 'evm_setAutomine', [true])
      await opRelay.close()
    }
  }, 60_000)
})
