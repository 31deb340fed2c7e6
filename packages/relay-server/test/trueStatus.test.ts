// Issue 13, finding 4: executions were matched on signer and nonce only. A signer who signs a
// second request with the same nonce and has it executed directly on the forwarder made the relay
// mark its held request `confirmed` with the other's transaction. Now the executed request must be
// the stored one; a nonce consumed by another request ends it `failed` with NOT_EXECUTED.
import { forwarderAbi, tagTokenAbi } from '@tokentags/contracts'
import { createWalletClient, encodeFunctionData, type Hex, http, type LocalAccount } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningRelay } from '../src/index.js'
import {
  anvilRpc,
  deployer,
  eventually,
  getStatus,
  postRequest,
  relayConfig,
  SITE_KEY,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from './helpers.js'
import { fundedUsers, SINK, transferSelector } from './support/load.js'

let chain: TestChain
let relay: RunningRelay
let users: LocalAccount[]

beforeAll(async () => {
  chain = await setupChain()
  users = await fundedUsers(chain, 3, 100n)
  const base = relayConfig(chain)
  relay = await startTestRelay(chain, {
    sites: {
      ...base.sites,
      [SITE_KEY]: {
        origins: base.sites[SITE_KEY]?.origins ?? [],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    // The relay holds a lone request this long: the window in which the signer acts elsewhere.
    batch: { maxSize: 10, maxWaitMs: 4000, pollIntervalMs: 200 },
    limits: { perIp: false, perSender: false },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await chain?.anvil.stop()
})

const transfer = (amount: bigint) =>
  encodeFunctionData({ abi: tagTokenAbi, functionName: 'transfer', args: [SINK, amount] })

async function signed(account: LocalAccount, amount: bigint) {
  return signedBody({
    account,
    forwarder: chain.forwarder,
    to: chain.token,
    data: transfer(amount),
    nonce: 0n,
    gas: 80_000n,
  })
}

/** Someone (the deployer) sends `execute` to the forwarder with a signed body, outside the relay. */
async function sendExecute(
  body: Awaited<ReturnType<typeof signed>>,
  fees: { maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint; gas?: bigint } = {},
) {
  const wallet = createWalletClient({ account: deployer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
  const r = body.request
  return wallet.writeContract({
    ...fees,
    address: chain.forwarder,
    abi: forwarderAbi,
    functionName: 'execute',
    args: [
      {
        from: r.from,
        to: r.to,
        value: 0n,
        gas: BigInt(r.gas),
        deadline: Number(r.deadline),
        data: r.data,
        signature: body.signature,
      },
    ],
  })
}

async function executeDirectly(body: Awaited<ReturnType<typeof signed>>): Promise<Hex> {
  const hash = await sendExecute(body)
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return hash
}

describe('a nonce used outside the relay', () => {
  it('by another request of the signer: the held request ends failed NOT_EXECUTED, never confirmed', async () => {
    const [signer] = users as [LocalAccount]
    const held = await signed(signer, 1n)
    const other = await signed(signer, 2n)
    const accepted = await postRequest(relay, held)
    expect(accepted.status).toBe(202)
    const otherTx = await executeDirectly(other)
    const final = await waitForFinal(relay, accepted.json.id, 30_000)
    expect(final.status).toBe('failed')
    expect(final.error?.code).toBe('NOT_EXECUTED')
    expect(final.error?.message).toContain(otherTx)
    expect(final.txHash).not.toBe(otherTx)
  })

  it('by the very request the relay holds (a third party sent it): confirmed with that transaction', async () => {
    const [, signer] = users as [LocalAccount, LocalAccount]
    const held = await signed(signer, 1n)
    const accepted = await postRequest(relay, held)
    expect(accepted.status).toBe(202)
    const tx = await executeDirectly(held)
    const final = await waitForFinal(relay, accepted.json.id, 30_000)
    expect(final).toMatchObject({ status: 'confirmed', txHash: tx })
  })

  it("in the relay's own batch's block, ahead of it: the batch skips it, failed NOT_EXECUTED, not the other's transaction", async () => {
    const [, , signer] = users as [LocalAccount, LocalAccount, LocalAccount]
    const held = await signed(signer, 1n)
    const other = await signed(signer, 2n)
    await anvilRpc(chain, 'evm_setAutomine', [false])
    let otherTx: Hex | undefined
    try {
      const accepted = await postRequest(relay, held)
      expect(accepted.status).toBe(202)
      // The relay's batch waits in the pool; the other request outbids it into the same block.
      await eventually(async () => (await getStatus(relay, accepted.json.id)).status === 'submitted', 20_000)
      otherTx = await sendExecute(other, {
        maxFeePerGas: 100_000_000_000n,
        maxPriorityFeePerGas: 50_000_000_000n,
        gas: 300_000n,
      })
      await anvilRpc(chain, 'evm_mine')
      const receipt = await chain.publicClient.waitForTransactionReceipt({ hash: otherTx })
      expect(receipt.status).toBe('success')
      await anvilRpc(chain, 'evm_setAutomine', [true])
      const final = await waitForFinal(relay, accepted.json.id, 30_000)
      expect(final.status).toBe('failed')
      expect(final.error?.code).toBe('NOT_EXECUTED')
      expect(final.txHash).not.toBe(otherTx)
    } finally {
      await anvilRpc(chain, 'evm_setAutomine', [true])
    }
  })
})
