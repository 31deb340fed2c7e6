// `settleFromReceipt` on a real forwarder (anvil): each request's outcome and share read from a batch receipt —
// a reverted batch, executed and reverted calls, a request the forwarder skipped (or that ran earlier, or whose
// nonce another request used), an event from another contract that must not count, and the signer nonces it remembers (issue 11, settlement mutants). Receipts are written
// here so each case is exact; every read the settlement makes (forwarder nonces, the replayed call) goes to anvil.
import { forwarderAbi, vestingVaultAbi } from '@tokentags/contracts'
import { pino } from 'pino'
import {
  type Address,
  createWalletClient,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  http,
  type Log,
  type TransactionReceipt,
} from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KeyState } from '../src/evm/batcher/keyState.js'
import { receiptShares, settleFromReceipt } from '../src/evm/batcher/settlement.js'
import { createChainRuntime } from '../src/evm/chain.js'
import { createMemoryStore, type RelayStore, type StoredRequest } from '../src/index.js'
import { RelayMetrics } from '../src/metrics.js'
import { claimData, deployer, setupChain, signedBody, type TestChain, user } from './helpers.js'

let chain: TestChain
beforeAll(async () => {
  chain = await setupChain()
})
afterAll(async () => {
  await chain?.anvil.stop()
})

/** Signers that never used the forwarder: their on-chain nonce is 0. */
const signer = (i: number) => `0x${'5'.repeat(38)}${i.toString(16).padStart(2, '0')}` as Address
const TX_HASH = `0x${'ab'.repeat(32)}` as Hex
const BLOCK_HASH = `0x${'cd'.repeat(32)}` as Hex

/** A key state around the real chain runtime and a memory store; logs go to `lines`. */
function keyState(store: RelayStore, lines: Record<string, unknown>[], seenNonces = new Map<string, bigint>()) {
  const runtime = createChainRuntime({
    chainId: 31337,
    rpcUrl: chain.anvil.rpcUrl,
    forwarder: chain.forwarder,
    relayerPrivateKeys: [],
  })
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) })
  return {
    deps: {
      chain: runtime,
      stores: { requests: store },
      metrics: new RelayMetrics(),
      logger: log,
      errorAbis: [vestingVaultAbi],
    },
    log,
    seenNonces,
  } as unknown as KeyState
}

let counter = 0
async function enqueue(store: RelayStore, from: Address, nonce: bigint, data: Hex = claimData(1n)) {
  counter++
  return store.enqueue({
    id: `31337-settle-${counter}`,
    chainId: 31337,
    siteKey: 'pk_test',
    request: {
      from,
      to: chain.vestingVault,
      value: 0n,
      gas: 100_000n + BigInt(counter),
      nonce,
      deadline: 2n ** 40n,
      data,
    },
    signature: `0x${'11'.repeat(65)}`,
  })
}

function executedLog(emitter: Address, signer: Address, nonce: bigint, success: boolean): Log<bigint, number, false> {
  return {
    address: emitter,
    topics: encodeEventTopics({ abi: forwarderAbi, eventName: 'ExecutedForwardRequest', args: { signer } }) as [
      Hex,
      ...Hex[],
    ],
    data: encodeAbiParameters([{ type: 'uint256' }, { type: 'bool' }], [nonce, success]),
    blockHash: BLOCK_HASH,
    blockNumber: 1n,
    logIndex: 0,
    transactionHash: TX_HASH,
    transactionIndex: 0,
    removed: false,
  }
}

function receipt(
  status: 'success' | 'reverted',
  logs: Log<bigint, number, false>[],
  blockNumber: bigint,
): TransactionReceipt {
  return {
    status,
    logs,
    transactionHash: TX_HASH,
    blockHash: BLOCK_HASH,
    blockNumber,
    gasUsed: 250_001n,
    effectiveGasPrice: 3n,
    cumulativeGasUsed: 250_001n,
    from: signer(9),
    to: chain.forwarder,
    contractAddress: null,
    logsBloom: '0x',
    transactionIndex: 0,
    type: 'eip1559',
  }
}

describe('settleFromReceipt', () => {
  it('fails every request of a reverted batch, each with its share of the gas', async () => {
    const store = createMemoryStore()
    const lines: Record<string, unknown>[] = []
    const requests = [await enqueue(store, signer(1), 0n), await enqueue(store, signer(2), 0n)]
    const r = receipt('reverted', [], 7n)
    await settleFromReceipt(keyState(store, lines), requests, r)
    const shares = receiptShares(r, requests)
    for (const [i, request] of requests.entries()) {
      expect(await store.get(request.id)).toMatchObject({
        status: 'failed',
        txHash: TX_HASH,
        blockNumber: 7n,
        spentWei: shares[i],
        error: { code: 'BATCH_REVERTED', message: 'the batch transaction reverted' },
      })
    }
  })

  it('settles executed, reverted and skipped requests, counting only the forwarder’s events', async () => {
    const store = createMemoryStore()
    const lines: Record<string, unknown>[] = []
    const [ok, reverted, skipped, impostor] = [1, 2, 3, 4].map(signer) as [Address, Address, Address, Address]
    const requests: StoredRequest[] = [
      await enqueue(store, ok, 0n),
      await enqueue(store, reverted, 5n, claimData(10n ** 9n)),
      await enqueue(store, skipped, 0n),
    ]
    const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 })
    const seen = new Map<string, bigint>([
      [reverted.toLowerCase(), 9n],
      [impostor.toLowerCase(), 1n],
    ])
    const k = keyState(store, lines, seen)
    const r = receipt(
      'success',
      [
        executedLog(chain.forwarder, ok, 0n, true),
        executedLog(chain.forwarder, reverted, 5n, false),
        // Another contract's copy of the event says the skipped request ran: it must not count.
        executedLog(chain.token, skipped, 0n, true),
      ],
      head,
    )
    await settleFromReceipt(k, requests, r)
    const shares = receiptShares(r, requests)
    expect(await store.get(requests[0]?.id ?? '')).toMatchObject({
      status: 'confirmed',
      txHash: TX_HASH,
      blockNumber: head,
      spentWei: shares[0],
    })
    const failed = await store.get(requests[1]?.id ?? '')
    expect(failed).toMatchObject({ status: 'failed', spentWei: shares[1], error: { code: 'EXECUTION_REVERTED' } })
    // The replayed call names the vault's error.
    expect(failed?.error?.message).toMatch(/^the call reverted: \w+/)
    expect(await store.get(requests[2]?.id ?? '')).toMatchObject({
      status: 'failed',
      txHash: TX_HASH,
      spentWei: shares[2],
      error: {
        code: 'NOT_EXECUTED',
        message: 'the forwarder skipped the request (deadline passed, nonce used or signature mismatch)',
      },
    })
    // Nonces seen executed move forward only; another signer's entry stays.
    expect(Object.fromEntries(seen)).toEqual({
      [ok.toLowerCase()]: 1n,
      [reverted.toLowerCase()]: 9n,
      [impostor.toLowerCase()]: 1n,
    })
    expect(lines.find((l) => l.msg === 'batch settled')).toMatchObject({
      txHash: TX_HASH,
      size: 3,
      executed: 2,
      requestIds: requests.map((q) => q.id),
    })
  })

  it('gives a skipped request the outcome of the earlier transaction that ran it, or fails it if another request used its nonce', async () => {
    const account = user(1)
    const schedule = await chain.createVestedSchedule(account.address, 10n ** 18n)
    const body = await signedBody({
      account,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(schedule),
      nonce: 0n,
    })
    const request = {
      from: account.address,
      to: chain.vestingVault,
      value: 0n,
      gas: BigInt(body.request.gas),
      nonce: 0n,
      deadline: BigInt(body.request.deadline),
      data: body.request.data,
    }
    // Another relay instance ran it first, in its own transaction.
    const wallet = createWalletClient({ account: deployer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
    const earlier = await wallet.writeContract({
      address: chain.forwarder,
      abi: forwarderAbi,
      functionName: 'execute',
      args: [{ ...request, deadline: Number(request.deadline), signature: body.signature }],
    })
    const mined = await chain.publicClient.waitForTransactionReceipt({ hash: earlier })
    expect(mined.status).toBe('success')
    const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 })

    const store = createMemoryStore()
    const ours = await store.enqueue({
      id: '31337-settle-ours',
      chainId: 31337,
      siteKey: 'pk_test',
      request,
      signature: body.signature,
    })
    let r = receipt('success', [], head)
    await settleFromReceipt(keyState(store, []), [ours], r)
    expect(await store.get(ours.id)).toMatchObject({
      status: 'confirmed',
      txHash: earlier,
      blockNumber: mined.blockNumber,
      spentWei: receiptShares(r, [ours])[0],
    })
    expect((await store.get(ours.id))?.error).toBeUndefined()

    // The same signer and nonce, another call: the nonce went to the request above, not this one.
    const other = createMemoryStore()
    const theirs = await other.enqueue({
      id: '31337-settle-theirs',
      chainId: 31337,
      siteKey: 'pk_test',
      request: { ...request, data: claimData(schedule + 1n) },
      signature: `0x${'22'.repeat(65)}`,
    })
    r = receipt('success', [], head)
    await settleFromReceipt(keyState(other, []), [theirs], r)
    expect(await other.get(theirs.id)).toMatchObject({
      status: 'failed',
      txHash: TX_HASH,
      blockNumber: head,
      spentWei: receiptShares(r, [theirs])[0],
      error: {
        code: 'NOT_EXECUTED',
        message: `nonce 0 was used by another request of the signer (transaction ${earlier})`,
      },
    })
  })

  it('forgets the remembered nonces once 10 000 signers are held', async () => {
    const store = createMemoryStore()
    const who = signer(5)
    const seen = new Map<string, bigint>(
      Array.from({ length: 10_000 }, (_, i) => [`0x${i.toString(16).padStart(40, '0')}`, 1n] as const),
    )
    const requests = [await enqueue(store, who, 3n)]
    await settleFromReceipt(
      keyState(store, [], seen),
      requests,
      receipt('success', [executedLog(chain.forwarder, who, 3n, true)], 1n),
    )
    expect([...seen]).toEqual([[who.toLowerCase(), 4n]])
    const below = new Map<string, bigint>(
      Array.from({ length: 9_999 }, (_, i) => [`0x${i.toString(16).padStart(40, '0')}`, 1n] as const),
    )
    await settleFromReceipt(
      keyState(store, [], below),
      [await enqueue(store, who, 4n)],
      receipt('success', [executedLog(chain.forwarder, who, 4n, true)], 1n),
    )
    expect(below.size).toBe(10_000)
    expect(below.get(who.toLowerCase())).toBe(5n)
  })
})

describe('receiptShares', () => {
  it('charges exactly the receipt when a share divides evenly', () => {
    const request = {
      request: {
        from: signer(6),
        to: signer(7),
        value: 0n,
        gas: 80_000n,
        nonce: 0n,
        deadline: 1n,
        data: '0xa9059cbb' as Hex,
      },
    }
    expect(receiptShares({ gasUsed: 100_000n, effectiveGasPrice: 3n }, [request])).toEqual([300_000n])
  })
})
