import { tagTokenAbi, vestingVaultAbi } from '@tokentags/contracts'
import { createWalletClient, http } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningRelay } from '../src/index.js'
import {
  claimData,
  deployer,
  postRequest,
  readEvents,
  relayer,
  seedDemoSchedules,
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
  relay = await startTestRelay(chain)
})

afterAll(async () => {
  await relay?.close()
  await chain?.anvil.stop()
})

describe('gasless claim', () => {
  it('queues, batches and confirms a claim paid by the relayer', async () => {
    const beneficiary = user(0)
    const walletClient = createWalletClient({ account: deployer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
    const schedules = await seedDemoSchedules({
      walletClient,
      publicClient: chain.publicClient,
      vestingVault: chain.vestingVault,
      token: chain.token,
      beneficiaries: [beneficiary.address],
    })
    const fullyVested = schedules.find((s) => s.kind === 'fullyVested')
    if (!fullyVested) throw new Error('no fully vested demo schedule')
    const claimable = await chain.publicClient.readContract({
      address: chain.vestingVault,
      abi: vestingVaultAbi,
      functionName: 'claimable',
      args: [fullyVested.id],
    })
    expect(claimable).toBe(fullyVested.total)

    const tokensBefore = await chain.publicClient.readContract({
      address: chain.token,
      abi: tagTokenAbi,
      functionName: 'balanceOf',
      args: [beneficiary.address],
    })
    const userEthBefore = await chain.publicClient.getBalance({ address: beneficiary.address })
    const relayerEthBefore = await chain.publicClient.getBalance({ address: relayer.address })

    const body = await signedBody({
      account: beneficiary,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(fullyVested.id),
      nonce: 0n,
    })
    const posted = await postRequest(relay, body)
    expect(posted.status).toBe(202)
    expect(posted.json).toEqual({ id: expect.any(String), status: 'queued' })
    expect(posted.headers.get('access-control-allow-origin')).toBe('http://shop.test')
    const { id } = posted.json

    const [events, final] = await Promise.all([readEvents(relay, id), waitForFinal(relay, id)])

    expect(final).toEqual({
      id,
      status: 'confirmed',
      txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      blockNumber: expect.stringMatching(/^[0-9]+$/),
    })
    expect(events.every((e) => e.event === 'status')).toBe(true)
    expect(events.at(-1)?.data).toEqual(final)
    const statuses = events.map((e) => e.data.status)
    expect(statuses.at(-1)).toBe('confirmed')
    expect(statuses).toEqual([...new Set(statuses)])

    // A stream opened after the end sends the final state and closes.
    expect(await readEvents(relay, id)).toEqual([{ event: 'status', data: final }])

    const receipt = await chain.publicClient.getTransactionReceipt({ hash: final.txHash })
    expect(receipt.from.toLowerCase()).toBe(relayer.address.toLowerCase())
    expect(receipt.to?.toLowerCase()).toBe(chain.forwarder.toLowerCase())
    expect(receipt.blockNumber.toString()).toBe(final.blockNumber)

    const tokensAfter = await chain.publicClient.readContract({
      address: chain.token,
      abi: tagTokenAbi,
      functionName: 'balanceOf',
      args: [beneficiary.address],
    })
    expect(tokensAfter - tokensBefore).toBe(fullyVested.total)
    expect(await chain.publicClient.getBalance({ address: beneficiary.address })).toBe(userEthBefore)
    expect(await chain.publicClient.getBalance({ address: relayer.address })).toBeLessThan(relayerEthBefore)
  })

  it('refuses the same signed request again with BAD_NONCE once it is confirmed', async () => {
    const beneficiary = user(0)
    const body = await signedBody({
      account: beneficiary,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(0n),
      nonce: 0n,
    })
    const { status, json } = await postRequest(relay, body)
    expect(status).toBe(409)
    expect(json.error.code).toBe('BAD_NONCE')
  })
})
