import { forwarderAbi, tagTokenAbi, vestingVaultAbi } from '@tokentags/contracts'
import { createWalletClient, type Hex, http, parseEventLogs } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningRelay } from '../src/index.js'
import {
  anvilRpc,
  claimData,
  eventually,
  postRequest,
  relayer,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  user,
  waitForFinal,
} from './helpers.js'

let chain: TestChain
let relay: RunningRelay

beforeAll(async () => {
  chain = await setupChain()
  relay = await startTestRelay(chain, { batch: { maxSize: 10, maxWaitMs: 1000, pollIntervalMs: 200 } })
})

afterAll(async () => {
  await relay?.close()
  await chain?.anvil.stop()
})

const AMOUNT = 10n ** 18n

const balanceOf = (address: Hex) =>
  chain.publicClient.readContract({
    address: chain.token,
    abi: tagTokenAbi,
    functionName: 'balanceOf',
    args: [address],
  })
const forwarderNonce = (address: Hex) =>
  chain.publicClient.readContract({
    address: chain.forwarder,
    abi: forwarderAbi,
    functionName: 'nonces',
    args: [address],
  })

describe('batching', () => {
  it('sends 25 requests from 5 users in a few batches, each executed exactly once', async () => {
    const senders = [0, 1, 2, 3, 4].map(user)
    const schedules = new Map<Hex, bigint[]>()
    for (const user of senders) {
      const ids: bigint[] = []
      for (let i = 0; i < 5; i++) ids.push(await chain.createVestedSchedule(user.address, AMOUNT))
      schedules.set(user.address, ids)
    }
    const before = new Map(
      await Promise.all(senders.map(async (u) => [u.address, await balanceOf(u.address)] as const)),
    )

    // Users in parallel; each user's consecutive nonces one after the other (the next is valid once the previous is stored).
    const ids = (
      await Promise.all(
        senders.map(async (user) => {
          const accepted: string[] = []
          for (const [nonce, scheduleId] of (schedules.get(user.address) ?? []).entries()) {
            const body = await signedBody({
              account: user,
              forwarder: chain.forwarder,
              to: chain.vestingVault,
              data: claimData(scheduleId),
              nonce: BigInt(nonce),
            })
            const { status, json } = await postRequest(relay, body)
            expect(status, JSON.stringify(json)).toBe(202)
            accepted.push(json.id)
          }
          return accepted
        }),
      )
    ).flat()
    expect(ids).toHaveLength(25)

    const finals = await Promise.all(ids.map((id) => waitForFinal(relay, id)))
    for (const final of finals) expect(final.status).toBe('confirmed')

    const txHashes = [...new Set(finals.map((f) => f.txHash as Hex))]
    expect(txHashes.length).toBeGreaterThanOrEqual(3)
    expect(txHashes.length).toBeLessThan(25)

    const executed: string[] = []
    for (const hash of txHashes) {
      const receipt = await chain.publicClient.getTransactionReceipt({ hash })
      expect(receipt.from.toLowerCase()).toBe(relayer.address.toLowerCase())
      const events = parseEventLogs({ abi: forwarderAbi, eventName: 'ExecutedForwardRequest', logs: receipt.logs })
      for (const event of events) {
        expect(event.args.success).toBe(true)
        executed.push(`${event.args.signer}:${event.args.nonce}`)
      }
    }
    expect(executed).toHaveLength(25)
    expect(new Set(executed).size).toBe(25)

    for (const user of senders) {
      expect(await forwarderNonce(user.address)).toBe(5n)
      expect((await balanceOf(user.address)) - (before.get(user.address) ?? 0n)).toBe(5n * AMOUNT)
      for (const id of schedules.get(user.address) ?? []) {
        const claimable = await chain.publicClient.readContract({
          address: chain.vestingVault,
          abi: vestingVaultAbi,
          functionName: 'claimable',
          args: [id],
        })
        expect(claimable).toBe(0n)
      }
    }

    const metrics = await (await fetch(`${relay.url}/metrics`)).text()
    expect(metrics).toMatch(/tokentags_relay_requests_total\{chain_id="31337",status="confirmed"\} 25/)
    expect(metrics).toMatch(/tokentags_relay_batch_size_count\{chain_id="31337"\} \d+/)
  })

  it('fails only the request that reverts on chain and confirms the rest of its batch', async () => {
    const [alice, bob] = [user(5), user(6)]
    const aliceSchedule = await chain.createVestedSchedule(alice.address, AMOUNT)
    const bobSchedule = await chain.createVestedSchedule(bob.address, AMOUNT)
    const sign = (account: typeof alice, scheduleId: bigint, nonce: bigint) =>
      signedBody({ account, forwarder: chain.forwarder, to: chain.vestingVault, data: claimData(scheduleId), nonce })

    // A claim that simulates fine at admission and reverts on chain: Alice drains her schedule
    // herself while the relay's batch waits in the pool. (Claiming it twice through the relay is
    // refused at admission now: the second is simulated after the first, test/sequential.test.ts.)
    await anvilRpc(chain, 'evm_setAutomine', [false])
    try {
      const first = await postRequest(relay, await sign(alice, aliceSchedule, 0n))
      const other = await postRequest(relay, await sign(bob, bobSchedule, 0n))
      for (const r of [first, other]) expect(r.status, JSON.stringify(r.json)).toBe(202)
      const twice = await postRequest(relay, await sign(alice, aliceSchedule, 1n))
      expect(twice.status).toBe(422)
      expect(twice.json.error.message).toContain('VestingVaultNothingToClaim')

      const wallet = createWalletClient({ account: alice, chain: foundry, transport: http(chain.anvil.rpcUrl) })
      // A tip far above the relay's: anvil orders the block by tip, so her claim runs first.
      await wallet.writeContract({
        address: chain.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'claim',
        args: [aliceSchedule],
        maxPriorityFeePerGas: 50_000_000_000n,
        maxFeePerGas: 100_000_000_000n,
      })
      await eventually(async () => {
        const pool = (await anvilRpc(chain, 'txpool_content')) as { pending: Record<string, unknown> }
        return Object.keys(pool.pending).some((a) => a.toLowerCase() === relayer.address.toLowerCase())
      })
      await anvilRpc(chain, 'evm_mine')
      await anvilRpc(chain, 'evm_setAutomine', [true])

      const [a0, b0] = await Promise.all([first, other].map((r) => waitForFinal(relay, r.json.id)))
      expect(b0.status).toBe('confirmed')
      expect(a0).toEqual({
        id: first.json.id,
        status: 'failed',
        txHash: b0.txHash,
        blockNumber: b0.blockNumber,
        error: { code: 'EXECUTION_REVERTED', message: expect.stringContaining('VestingVaultNothingToClaim') },
      })
      // The failed call still used Alice's nonce; she received the tokens once, from her own claim.
      expect(await forwarderNonce(alice.address)).toBe(1n)
      expect(await balanceOf(alice.address)).toBe(AMOUNT)
    } finally {
      await anvilRpc(chain, 'evm_setAutomine', [true])
    }
  })

  it('queues exactly one of several identical requests sent at the same moment', async () => {
    const carol = user(7)
    const schedule = await chain.createVestedSchedule(carol.address, AMOUNT)
    const body = await signedBody({
      account: carol,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(schedule),
      nonce: 0n,
    })
    const results = await Promise.all([1, 2, 3, 4].map(() => postRequest(relay, body)))
    const accepted = results.filter((r) => r.status === 202)
    expect(accepted).toHaveLength(1)
    for (const r of results.filter((r) => r.status !== 202)) {
      expect({ status: r.status, code: r.json.error.code }).toEqual({ status: 409, code: 'BAD_NONCE' })
    }
    const [winner] = accepted
    expect((await waitForFinal(relay, winner?.json.id ?? '')).status).toBe('confirmed')
    expect(await forwarderNonce(carol.address)).toBe(1n)
    expect(await balanceOf(carol.address)).toBe(AMOUNT)
  })
})
