// How the nonce rule's inputs are read when the chain fails: an unreachable node is the chain being down
// (admission answers 503, nothing is known about the request), any other failure is the failure itself.
// Kills the mutation run's survivors in `readSenderNonces` (src/evm/nonces.ts).

import { type AnvilInstance, freePort, startAnvil } from '@tokentags/testkit'
import { ContractFunctionExecutionError, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChainRuntime } from '../../src/evm/chain.js'
import { ChainUnavailableError } from '../../src/evm/errors.js'
import { readSenderNonces } from '../../src/evm/nonces.js'
import { createMemoryStores, type Stores } from '../../src/index.js'

const CHAIN_ID = 31337
const SENDER: Hex = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
/** An address with no code: `nonces(from)` on it answers no data. */
const NO_CONTRACT: Hex = '0x00000000000000000000000000000000000000aa'

let anvil: AnvilInstance
let stores: Stores

beforeAll(async () => {
  anvil = await startAnvil()
  stores = createMemoryStores()
})

afterAll(async () => {
  await stores?.close()
  await anvil?.stop()
})

const runtime = (rpcUrl: string) =>
  createChainRuntime({ chainId: CHAIN_ID, rpcUrl, forwarder: NO_CONTRACT, relayerPrivateKeys: [] })

describe('readSenderNonces', () => {
  it('turns an unreachable node into ChainUnavailableError for that chain, keeping the cause', async () => {
    const down = runtime(`http://127.0.0.1:${await freePort()}`)
    const error = await readSenderNonces(stores.requests, down, SENDER).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainUnavailableError)
    expect((error as ChainUnavailableError).chainId).toBe(CHAIN_ID)
    expect((error as ChainUnavailableError).message).toBe(`cannot reach chain ${CHAIN_ID}`)
    expect((error as ChainUnavailableError).cause).toBeInstanceOf(ContractFunctionExecutionError)
  })

  it('lets a failure the node answered pass as it is (not a chain outage)', async () => {
    const error = await readSenderNonces(stores.requests, runtime(anvil.rpcUrl), SENDER).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ContractFunctionExecutionError)
    expect(error).not.toBeInstanceOf(ChainUnavailableError)
    expect((error as ContractFunctionExecutionError).shortMessage).toContain('returned no data ("0x")')
  })
})
