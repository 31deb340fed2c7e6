// Settlement rules the mutation run found unpinned (src/evm/batcher/settlement.ts, issue 12): the L1 fee read
// from a receipt, the largest-remainder split on ties and on batches long enough for a merge sort, and
// settleFromReceipt's cases beside those of ../settlementOutcomes.test.ts (anvil and a real forwarder; receipts
// written here so each case is exact).

import { forwarderAbi } from '@tokentags/contracts'
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
import type { KeyState } from '../../src/evm/batcher/keyState.js'
import { receiptL1Fee, receiptShares, settleFromReceipt } from '../../src/evm/batcher/settlement.js'
import { createChainRuntime, nonceStorageKey, toWord } from '../../src/evm/chain.js'
import { createMemoryStore, type RelayStore, type StoredRequest } from '../../src/index.js'
import { RelayMetrics } from '../../src/metrics.js'
import { anvilRpc, claimData, deployer, setupChain, signedBody, type TestChain, user } from '../helpers.js'

const share = (weight: bigint) => ({ request: { gas: 0n, data: '0x' as Hex }, measuredGas: weight })

/** Largest remainder written out plainly: floors, then one wei each to the largest remainders, lowest index first. */
function referenceShares(total: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n)
  const shares = weights.map((w) => (total * w) / sum)
  let left = total - shares.reduce((a, b) => a + b, 0n)
  const order = weights.map((_, i) => i)
  const rest = (i: number) => (total * (weights[i] ?? 0n)) % sum
  for (let i = 1; i < order.length; i++) {
    for (let j = i; j > 0; j--) {
      const a = order[j] as number
      const b = order[j - 1] as number
      if (rest(a) > rest(b)) [order[j], order[j - 1]] = [b, a]
      else break
    }
  }
  for (const i of order) {
    if (left === 0n) break
    shares[i] = (shares[i] ?? 0n) + 1n
    left--
  }
  return shares
}

describe('receiptL1Fee', () => {
  it('reads only a bigint or a whole hex or decimal string; anything else adds nothing', () => {
    expect(receiptL1Fee({ l1Fee: '0x3e8' })).toBe(1_000n)
    expect(receiptL1Fee({ l1Fee: '1000' })).toBe(1_000n)
    expect(receiptL1Fee({ l1Fee: '0x3e8zz' })).toBe(0n)
    expect(receiptL1Fee({ l1Fee: '1000 wei' })).toBe(0n)
    expect(receiptL1Fee({ l1Fee: 1_000 })).toBe(0n)
    expect(receiptL1Fee({})).toBe(0n)
  })
})

describe('receiptShares', () => {
  it('charges nothing to requests that weigh nothing', () => {
    expect(receiptShares({ gasUsed: 10n, effectiveGasPrice: 1n }, [share(0n), share(0n)])).toEqual([0n, 0n])
  })

  it('gives the leftover wei to the largest remainder, not the largest weight', () => {
    // 2 wei over weights 1 and 2: floors 0 and 1, remainders 2/3 and 1/3.
    expect(receiptShares({ gasUsed: 2n, effectiveGasPrice: 1n }, [share(1n), share(2n)])).toEqual([1n, 1n])
  })

  it('breaks ties between equal remainders by order: the first requests get the wei', () => {
    expect(receiptShares({ gasUsed: 2n, effectiveGasPrice: 1n }, [share(1n), share(1n), share(1n)])).toEqual([
      1n,
      1n,
      0n,
    ])
  })

  it('splits a batch of 300 as the plain largest-remainder rule does, to the wei', () => {
    // Long enough that the sort merges runs rather than only inserting; many equal remainders.
    const weights = Array.from({ length: 300 }, (_, i) => BigInt(((i * 7919) % 13) + 1))
    for (const total of [1_000n, 123_457n, 999_999_937n]) {
      const shares = receiptShares({ gasUsed: total, effectiveGasPrice: 1n }, weights.map(share))
      expect(shares).toEqual(referenceShares(total, weights))
    }
  })
})

describe('settleFromReceipt', () => {
  let chain: TestChain
  beforeAll(async () => {
    chain = await setupChain()
  })
  afterAll(async () => {
    await chain?.anvil.stop()
  })

  const TX_HASH = `0x${'ab'.repeat(32)}` as Hex
  const BLOCK_HASH = `0x${'cd'.repeat(32)}` as Hex
  const stranger = (i: number) => `0x${'6'.repeat(38)}${i.toString(16).padStart(2, '0')}` as Address

  function keyState(store: RelayStore, lines: Record<string, unknown>[] = [], seenNonces = new Map<string, bigint>()) {
    const runtime = createChainRuntime({
      chainId: 31337,
      rpcUrl: chain.anvil.rpcUrl,
      forwarder: chain.forwarder,
      relayerPrivateKeys: [],
    })
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) })
    return {
      deps: { chain: runtime, stores: { requests: store }, metrics: new RelayMetrics(), logger: log, errorAbis: [] },
      log,
      seenNonces,
    } as unknown as KeyState
  }

  function receipt(
    status: 'success' | 'reverted',
    logs: Log<bigint, number, false>[],
    blockNumber: bigint,
    transactionHash: Hex = TX_HASH,
  ): TransactionReceipt {
    return {
      status,
      logs,
      transactionHash,
      blockHash: BLOCK_HASH,
      blockNumber,
      gasUsed: 100_000n,
      effectiveGasPrice: 3n,
      cumulativeGasUsed: 100_000n,
      from: stranger(99),
      to: chain.forwarder,
      contractAddress: null,
      logsBloom: '0x',
      transactionIndex: 0,
      type: 'eip1559',
    }
  }

  function forwarderLog(topics: Hex[], data: Hex): Log<bigint, number, false> {
    return {
      address: chain.forwarder,
      topics: topics as [Hex, ...Hex[]],
      data,
      blockHash: BLOCK_HASH,
      blockNumber: 1n,
      logIndex: 0,
      transactionHash: TX_HASH,
      transactionIndex: 0,
      removed: false,
    }
  }

  const executedLog = (signer: Address, nonce: bigint, success: boolean) =>
    forwarderLog(
      encodeEventTopics({ abi: forwarderAbi, eventName: 'ExecutedForwardRequest', args: { signer } }) as Hex[],
      encodeAbiParameters([{ type: 'uint256' }, { type: 'bool' }], [nonce, success]),
    )

  let counter = 0
  const enqueue = (store: RelayStore, from: Address, nonce: bigint, to: Address = chain.vestingVault) =>
    store.enqueue({
      id: `31337-mutation-${++counter}`,
      chainId: 31337,
      siteKey: 'pk_test',
      request: { from, to, value: 0n, gas: 100_000n, nonce, deadline: 2n ** 40n, data: claimData(1n) },
      signature: `0x${'11'.repeat(65)}`,
    })

  it('logs a reverted batch with its transaction', async () => {
    const store = createMemoryStore()
    const lines: Record<string, unknown>[] = []
    await settleFromReceipt(
      keyState(store, lines),
      [await enqueue(store, stranger(1), 0n)],
      receipt('reverted', [], 3n),
    )
    expect(lines.find((l) => l.msg === 'batch transaction reverted')).toMatchObject({ level: 50, txHash: TX_HASH })
  })

  it('reads only the forwarder’s ExecutedForwardRequest events among its logs', async () => {
    const store = createMemoryStore()
    const signer = stranger(2)
    const request = await enqueue(store, signer, 0n)
    const domainChanged = forwarderLog(
      encodeEventTopics({ abi: forwarderAbi, eventName: 'EIP712DomainChanged' }) as Hex[],
      '0x',
    )
    await settleFromReceipt(
      keyState(store),
      [request],
      receipt('success', [domainChanged, executedLog(signer, 0n, true)], 1n),
    )
    expect(await store.get(request.id)).toMatchObject({ status: 'confirmed', txHash: TX_HASH })
  })

  it('leaves 10 000 remembered signers alone when an event repeats a nonce already remembered', async () => {
    const store = createMemoryStore()
    const signer = stranger(3)
    const seen = new Map<string, bigint>(
      Array.from({ length: 9_999 }, (_, i) => [`0x${i.toString(16).padStart(40, '0')}`, 1n] as const),
    )
    seen.set(signer.toLowerCase(), 4n)
    await settleFromReceipt(
      keyState(store, [], seen),
      [await enqueue(store, signer, 3n)],
      receipt('success', [executedLog(signer, 3n, true)], 1n),
    )
    expect(seen.size).toBe(10_000)
    expect(seen.get(signer.toLowerCase())).toBe(4n)
  })

  it('says only “the call reverted” when replaying the call names no reason', async () => {
    const store = createMemoryStore()
    const signer = stranger(4)
    // A call to an address without code succeeds on replay: there is no reason to name.
    const request = await enqueue(store, signer, 0n, stranger(50))
    const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 })
    await settleFromReceipt(keyState(store), [request], receipt('success', [executedLog(signer, 0n, false)], head))
    expect(await store.get(request.id)).toMatchObject({
      status: 'failed',
      error: { code: 'EXECUTION_REVERTED', message: 'the call reverted' },
    })
  })

  it('gives a skipped request the reverted outcome of the earlier batch that ran it, and only from another transaction', async () => {
    const account = user(1)
    // No schedule 999: the call reverts inside the batch, which goes on (a refund receiver is set).
    const body = await signedBody({
      account,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(999n),
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
    const wallet = createWalletClient({ account: deployer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
    const earlier = await wallet.writeContract({
      address: chain.forwarder,
      abi: forwarderAbi,
      functionName: 'executeBatch',
      args: [[{ ...request, deadline: Number(request.deadline), signature: body.signature }], deployer.address],
    })
    const mined = await chain.publicClient.waitForTransactionReceipt({ hash: earlier })
    expect(mined.status).toBe('success')
    const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 })
    const stored = async () => {
      const store = createMemoryStore()
      const r: StoredRequest = await store.enqueue({
        id: `31337-mutation-${++counter}`,
        chainId: 31337,
        siteKey: 'pk_test',
        request,
        signature: body.signature,
      })
      return { store, r }
    }

    const elsewhere = await stored()
    await settleFromReceipt(keyState(elsewhere.store), [elsewhere.r], receipt('success', [], head))
    expect(await elsewhere.store.get(elsewhere.r.id)).toMatchObject({
      status: 'failed',
      txHash: earlier,
      blockNumber: mined.blockNumber,
      error: { code: 'EXECUTION_REVERTED', message: 'the call reverted' },
    })

    // The receipt is of that very transaction (its event missing from the logs read): no outcome is borrowed.
    const same = await stored()
    await settleFromReceipt(keyState(same.store), [same.r], receipt('success', [], head, earlier))
    expect(await same.store.get(same.r.id)).toMatchObject({
      status: 'failed',
      txHash: earlier,
      blockNumber: head,
      error: { code: 'NOT_EXECUTED' },
    })
  })

  it('fails a skipped request whose nonce is used when no event shows where it ran (past the lookback)', async () => {
    const store = createMemoryStore()
    const signer = stranger(5)
    const request = await enqueue(store, signer, 0n)
    // The forwarder's nonce moved on with no ExecutedForwardRequest in reach, as when it ran long ago.
    const runtime = createChainRuntime({
      chainId: 31337,
      rpcUrl: chain.anvil.rpcUrl,
      forwarder: chain.forwarder,
      relayerPrivateKeys: [],
    })
    const slot = await runtime.nonceSlot()
    if (slot === null) throw new TypeError('the forwarder nonce slot was not found')
    await anvilRpc(chain, 'anvil_setStorageAt', [chain.forwarder, nonceStorageKey(slot, signer), toWord(1n)])
    expect(await runtime.readNonce(signer)).toBe(1n)
    const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 })
    await settleFromReceipt(keyState(store), [request], receipt('success', [], head))
    expect(await store.get(request.id)).toMatchObject({
      status: 'failed',
      txHash: TX_HASH,
      blockNumber: head,
      error: { code: 'NOT_EXECUTED' },
    })
  })
})
