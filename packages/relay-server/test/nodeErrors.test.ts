// Node errors told apart in one place, on a real node's answers: the batcher acts on the class only.

import { type AnvilInstance, startAnvil } from '@tokentags/testkit'
import { createPublicClient, http, type PublicClient } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AlreadyKnownError,
  classifyNodeError,
  InsufficientFundsError,
  isTransportError,
  NodeUnreachableError,
  NonceTooLowError,
  TransactionRejectedError,
} from '../src/evm/nodeErrors.js'
import { relayer } from './helpers.js'

let anvil: AnvilInstance
let client: PublicClient

beforeAll(async () => {
  anvil = await startAnvil()
  client = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl, { retryCount: 0 }) }) as PublicClient
})
afterAll(async () => {
  await anvil?.stop()
})

async function refusal(raw: `0x${string}`): Promise<unknown> {
  return client.sendRawTransaction({ serializedTransaction: raw }).then(
    () => undefined,
    (error: unknown) => error,
  )
}

async function signed(nonce: number, account = relayer, chainId = foundry.id) {
  return account.signTransaction({
    chainId,
    type: 'eip1559',
    to: account.address,
    value: 0n,
    gas: 21_000n,
    nonce,
    maxFeePerGas: 10_000_000_000n,
    maxPriorityFeePerGas: 1n,
  })
}

describe('classifyNodeError', () => {
  it('calls a used nonce a refusal (-32003), never the node unreachable', async () => {
    const nonce = await client.getTransactionCount({ address: relayer.address })
    await client.waitForTransactionReceipt({
      hash: await client.sendRawTransaction({ serializedTransaction: await signed(nonce) }),
    })
    const error = await refusal(await signed(nonce))
    expect(isTransportError(error)).toBe(false)
    const classified = classifyNodeError(error)
    expect(classified).toBeInstanceOf(NonceTooLowError)
    expect(classified.cause).toBe(error)
  })

  it('tells a transaction the node holds already', async () => {
    await client.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    try {
      const raw = await signed(await client.getTransactionCount({ address: relayer.address, blockTag: 'pending' }))
      await client.sendRawTransaction({ serializedTransaction: raw })
      expect(classifyNodeError(await refusal(raw))).toBeInstanceOf(AlreadyKnownError)
    } finally {
      await client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    }
  })

  it('tells a key that cannot pay', async () => {
    const empty = privateKeyToAccount(generatePrivateKey())
    expect(classifyNodeError(await refusal(await signed(0, empty)))).toBeInstanceOf(InsufficientFundsError)
  })

  it('calls any other refusal rejected', async () => {
    const error = await refusal(await signed(0, relayer, 1))
    expect(error).toBeDefined()
    expect(classifyNodeError(error)).toBeInstanceOf(TransactionRejectedError)
  })

  it('calls a node that does not answer unreachable', async () => {
    const closed = createPublicClient({ chain: foundry, transport: http('http://127.0.0.1:9', { retryCount: 0 }) })
    const error = await closed.sendRawTransaction({ serializedTransaction: await signed(0) }).catch((e: unknown) => e)
    expect(isTransportError(error)).toBe(true)
    expect(classifyNodeError(error)).toBeInstanceOf(NodeUnreachableError)
  })
})
