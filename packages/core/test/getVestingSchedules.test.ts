import { createServer, type Server } from 'node:http'
import { vestingVaultAbi } from '@tokentags/contracts'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { parseEther, toFunctionSelector } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenTagsClient, getVestingSchedules, type TokenTagsClient, type VestingSummary } from '../src/index.js'
import { schedulesOfAbi } from '../src/internal/vesting.js'
import { type Chain, startChain } from './utils.js'

const beneficiary = (ANVIL_DEV_ACCOUNTS[1] as { address: `0x${string}` }).address
let chain: Chain
let client: TokenTagsClient
let t0: bigint
const ids: Record<'beforeCliff' | 'linear' | 'tiny', bigint> = { beforeCliff: 0n, linear: 0n, tiny: 0n }
const S = {
  beforeCliff: { total: parseEther('4000'), startOffset: 100n, cliff: 1_000n, duration: 4_000n },
  linear: { total: parseEther('1000'), startOffset: -1_000n, cliff: 0n, duration: 10_000n },
  // 7 base units over 1000 s: the vested amount steps up every ~143 s, and is still 0 at the cliff.
  tiny: { total: 7n, startOffset: 100n, cliff: 50n, duration: 1_000n },
}

beforeAll(async () => {
  chain = await startChain()
  t0 = await chain.now()
  for (const key of Object.keys(S) as (keyof typeof S)[]) {
    const s = S[key]
    ids[key] = await chain.createSchedule({
      beneficiary,
      total: s.total,
      start: t0 + s.startOffset,
      cliff: s.cliff,
      duration: s.duration,
    })
  }
  client = createTokenTagsClient({ chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }] })
})

afterAll(async () => {
  await chain?.stop()
})

const read = () => readWith(client)
const readWith = (c: TokenTagsClient, who: `0x${string}` = beneficiary) =>
  getVestingSchedules(c, { chainId: chain.anvil.chainId, vault: chain.contracts.vestingVault, beneficiary: who })

type RpcCall = { id: number; method: string; params?: unknown[] }
const SCHEDULES_OF = toFunctionSelector('schedulesOf(address)')

/**
 * A fresh client whose RPC goes through a loopback proxy to anvil that records each HTTP request's JSON-RPC methods
 * (one entry per round trip). `withoutSchedulesOf` answers schedulesOf as a vault deployed before it does (a revert
 * without data); `mineAfterBlockRead` mines a block 100 s later right after the next block read, once.
 */
async function withProxy(
  options: { withoutSchedulesOf?: boolean; mineAfterBlockRead?: boolean },
  run: (counted: TokenTagsClient, batches: string[][]) => Promise<void>,
) {
  const batches: string[][] = []
  const upstream = async (body: unknown) => {
    const response = await fetch(chain.anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return response.json()
  }
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as RpcCall | RpcCall[]
      const calls = Array.isArray(body) ? body : [body]
      batches.push(calls.map((c) => c.method))
      const answers: unknown[] = []
      for (const call of calls) {
        const data = (call.params?.[0] as { data?: string } | undefined)?.data
        if (options.withoutSchedulesOf && call.method === 'eth_call' && data?.startsWith(SCHEDULES_OF)) {
          answers.push({ jsonrpc: '2.0', id: call.id, error: { code: 3, message: 'execution reverted', data: '0x' } })
          continue
        }
        answers.push(await upstream(call))
        if (options.mineAfterBlockRead && call.method === 'eth_getBlockByNumber') {
          options.mineAfterBlockRead = false
          await chain.mineAt((await chain.now()) + 100n)
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]))
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const { port } = proxy.address() as { port: number }
  try {
    await run(
      createTokenTagsClient({ chains: [{ id: chain.anvil.chainId, rpcUrl: `http://127.0.0.1:${port}` }] }),
      batches,
    )
  } finally {
    await new Promise((resolve) => proxy.close(resolve))
  }
}

async function contractClaimableTotal(): Promise<bigint> {
  let sum = 0n
  for (const id of Object.values(ids))
    sum += await chain.publicClient.readContract({
      address: chain.contracts.vestingVault,
      abi: vestingVaultAbi,
      functionName: 'claimable',
      args: [id],
    })
  return sum
}

/** Checks the summary against the contract at its block, and nextUnlock by mining just before and at it. */
async function checkAgainstContract(summary: VestingSummary) {
  for (const s of summary.schedules) {
    const [claimable, vested] = await Promise.all([
      chain.publicClient.readContract({
        address: chain.contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'claimable',
        args: [s.id],
      }),
      chain.publicClient.readContract({
        address: chain.contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'vestedAmount',
        args: [s.id, BigInt(summary.timestamp)],
      }),
    ])
    expect(s.claimable, `claimable of ${s.id}`).toBe(claimable)
    expect(s.vested, `vested of ${s.id}`).toBe(vested)
  }
  expect(summary.claimable).toBe(await contractClaimableTotal())
  const next = summary.nextUnlock
  if (!next) return
  expect(next.timestamp).toBeGreaterThan(summary.timestamp)
  expect(next.amount).toBeGreaterThan(0n)
  const snapshot = await chain.testClient.snapshot()
  try {
    if (next.timestamp - 1 > summary.timestamp) {
      await chain.mineAt(BigInt(next.timestamp - 1))
      expect(await contractClaimableTotal(), 'nothing more one second before nextUnlock').toBe(summary.claimable)
    }
    await chain.mineAt(BigInt(next.timestamp))
    expect(await contractClaimableTotal(), 'nextUnlock.amount more at nextUnlock').toBe(summary.claimable + next.amount)
  } finally {
    await chain.testClient.revert({ id: snapshot })
  }
}

describe('getVestingSchedules', () => {
  it('reads token metadata and every schedule of the beneficiary', async () => {
    const summary = await read()
    expect(summary.token).toEqual({ address: chain.contracts.token, symbol: 'TAG', decimals: 18 })
    expect(summary.schedules.map((s) => s.id)).toEqual([ids.beforeCliff, ids.linear, ids.tiny])
    expect(summary.total).toBe(S.beforeCliff.total + S.linear.total + S.tiny.total)
    const before = summary.schedules[0]
    expect(before).toMatchObject({
      start: Number(t0 + 100n),
      cliff: 1000,
      duration: 4000,
      cliffEnd: Number(t0 + 1100n),
      end: Number(t0 + 4100n),
      released: 0n,
    })
  })

  it('during linear vesting, nextUnlock is the next second', async () => {
    const summary = await read()
    await checkAgainstContract(summary)
    expect(summary.nextUnlock?.timestamp).toBe(summary.timestamp + 1)
  })

  it('a schedule still at 0 after its cliff unlocks at its first whole base unit', async () => {
    await chain.mineAt(t0 + 160n)
    const summary = await read()
    const tiny = summary.schedules.find((s) => s.id === ids.tiny)
    expect(tiny?.claimable).toBe(0n)
    // floor(7 * e / 1000) >= 1 first at e = 143 s after start.
    expect(tiny?.nextUnlock).toEqual({ timestamp: Number(t0 + 100n + 143n), amount: 1n })
    await checkAgainstContract(summary)
  })

  it('before a cliff: nothing claimable on that schedule, its nextUnlock is the cliff end', async () => {
    await chain.mineAt(t0 + 600n)
    const summary = await read()
    const before = summary.schedules.find((s) => s.id === ids.beforeCliff)
    expect(before?.claimable).toBe(0n)
    expect(before?.vested).toBe(0n)
    expect(before?.nextUnlock).toEqual({
      timestamp: Number(t0 + 1100n),
      amount: (S.beforeCliff.total * 1000n) / 4000n,
    })
    await checkAgainstContract(summary)
  })

  it('mid-way through every schedule', async () => {
    await chain.mineAt(t0 + 2_000n)
    const summary = await read()
    await checkAgainstContract(summary)
    expect(summary.schedules.every((s) => s.claimable > 0n)).toBe(true)
  })

  it('after every end: everything claimable, no nextUnlock', async () => {
    await chain.mineAt(t0 + 20_000n)
    const summary = await read()
    await checkAgainstContract(summary)
    expect(summary.claimable).toBe(summary.total)
    expect(summary.nextUnlock).toBeUndefined()
    expect(summary.schedules.every((s) => s.nextUnlock === undefined)).toBe(true)
  })

  it('a beneficiary with no schedules gets an empty summary', async () => {
    const summary = await getVestingSchedules(client, {
      chainId: chain.anvil.chainId,
      vault: chain.contracts.vestingVault,
      beneficiary: (ANVIL_DEV_ACCOUNTS[5] as { address: `0x${string}` }).address,
    })
    expect(summary).toMatchObject({ schedules: [], total: 0n, claimable: 0n, nextUnlock: undefined })
  })

  it('one HTTP round trip a read once the vault is known (schedulesOf), two for the first (token metadata)', async () => {
    await withProxy({}, async (counted, batches) => {
      const first = await readWith(counted)
      expect(first.schedules).toHaveLength(3)
      expect(batches, 'first read: schedules with the token address, then its symbol and decimals').toHaveLength(2)
      batches.length = 0
      const again = await readWith(counted)
      // Read id by id (scheduleIdsOf, then getSchedule and claimable per id) this is two dependent round trips.
      expect(batches, 'later reads: one round trip').toEqual([['eth_getBlockByNumber', 'eth_call']])
      expect(again).toEqual(first)
      expect(again.token).toEqual({ address: chain.contracts.token, symbol: 'TAG', decimals: 18 })
      await checkAgainstContract(again)
    })
  })

  it('reads a vault without schedulesOf (deployed before it) id by id, with the same result', async () => {
    const direct = await read()
    await withProxy({ withoutSchedulesOf: true }, async (counted, batches) => {
      const summary = await readWith(counted)
      expect(batches.length, 'block, then ids, then the schedules (with the token metadata)').toBe(3)
      expect(summary).toEqual(direct)
    })
  })

  it('a block that lands between the block read and schedulesOf: read again at the block, amounts agree', async () => {
    // Vesting linearly now, so that the amounts at the two blocks differ.
    const who = (ANVIL_DEV_ACCOUNTS[6] as { address: `0x${string}` }).address
    const start = (await chain.now()) - 1_000n
    await chain.createSchedule({ beneficiary: who, total: parseEther('500'), start, cliff: 0n, duration: 50_000n })
    const options = { mineAfterBlockRead: false }
    await withProxy(options, async (counted, batches) => {
      await readWith(counted, who)
      batches.length = 0
      options.mineAfterBlockRead = true
      const summary = await readWith(counted, who)
      expect(summary.claimable, 'mid-vesting').toBeGreaterThan(0n)
      expect(options.mineAfterBlockRead, 'a block was mined in the middle of the batch').toBe(false)
      expect(batches, 'schedulesOf again, pinned to the block read').toEqual([
        ['eth_getBlockByNumber', 'eth_call'],
        ['eth_call'],
      ])
      for (const s of summary.schedules) {
        const at = { address: chain.contracts.vestingVault, abi: vestingVaultAbi, blockNumber: summary.blockNumber }
        const claimable = await chain.publicClient.readContract({ ...at, functionName: 'claimable', args: [s.id] })
        const vested = await chain.publicClient.readContract({
          ...at,
          functionName: 'vestedAmount',
          args: [s.id, BigInt(summary.timestamp)],
        })
        expect(s.claimable, `claimable of ${s.id} at the summary's block`).toBe(claimable)
        expect(s.vested, `vested of ${s.id} at the summary's time`).toBe(vested)
      }
    })
  })

  it('core bundles schedulesOf in the shape of VestingVault in @tokentags/contracts', () => {
    const full = vestingVaultAbi.find((x) => x.type === 'function' && x.name === 'schedulesOf')
    expect(full).toBeDefined()
    const shape = (item: unknown) =>
      JSON.parse(JSON.stringify(item, ['type', 'name', 'inputs', 'outputs', 'components']))
    expect(shape(schedulesOfAbi[0])).toEqual(shape(full))
  })

  it('fails with READ_FAILED when the vault is not a vault, INVALID_PARAMETER for a bad address', async () => {
    await expect(
      getVestingSchedules(client, { chainId: chain.anvil.chainId, vault: beneficiary, beneficiary }),
    ).rejects.toMatchObject({ code: 'READ_FAILED' })
    await expect(
      getVestingSchedules(client, { chainId: chain.anvil.chainId, vault: '0x1234' as `0x${string}`, beneficiary }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER' })
    await expect(
      getVestingSchedules(client, { chainId: 1, vault: chain.contracts.vestingVault, beneficiary }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER' })
  })
})
