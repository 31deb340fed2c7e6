// The local Solana ledger's blockhashes behave as a validator's: a new one per slot (and after each
// landed transaction), any of the last 150 slots' accepted, older ones refused; a replayed signature
// is refused by the ledger's history.
import {
  AccountRole,
  type Address,
  appendTransactionMessageInstruction,
  type Blockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from '@solana/kit'
import { afterEach, describe, expect, it } from 'vitest'
import { type SolanaRpcInstance, seedSolanaDevLedger, startSolanaRpc } from '../src/solana.js'
import { solanaDevKeyPair } from '../src/solana-accounts.js'

const SYSTEM_PROGRAM = '11111111111111111111111111111111' as Address

let node: SolanaRpcInstance | undefined
afterEach(async () => {
  await node?.stop()
  node = undefined
})

async function rpc<T>(method: string, params: unknown[] = []): Promise<{ result?: T; error?: { message: string } }> {
  const response = await fetch(node?.rpcUrl ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return (await response.json()) as { result?: T; error?: { message: string } }
}

const latest = async () =>
  (await rpc<{ value: { blockhash: string; lastValidBlockHeight: number } }>('getLatestBlockhash')).result?.value
const valid = async (blockhash: string) =>
  (await rpc<{ value: boolean }>('isBlockhashValid', [blockhash])).result?.value

/** A signed transfer of `amount` lamports from the dev visitor to the creator with `blockhash`, base64. */
async function transfer(blockhash: string, amount = 1_000n): Promise<string> {
  const visitor = await solanaDevKeyPair('visitor')
  const creator = await solanaDevKeyPair('creator')
  const data = new Uint8Array(12)
  const view = new DataView(data.buffer)
  view.setUint32(0, 2, true) // SystemInstruction::Transfer
  view.setBigUint64(4, amount, true)
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(visitor.signer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash({ blockhash: blockhash as Blockhash, lastValidBlockHeight: 0n }, m),
    (m) =>
      appendTransactionMessageInstruction(
        {
          programAddress: SYSTEM_PROGRAM,
          accounts: [
            { address: visitor.address as Address, role: AccountRole.WRITABLE_SIGNER, signer: visitor.signer },
            { address: creator.address as Address, role: AccountRole.WRITABLE },
          ],
          data,
        },
        m,
      ),
  )
  return getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message))
}

const send = (tx: string) => rpc<string>('sendTransaction', [tx, { encoding: 'base64' }])

describe('the local Solana ledger: blockhashes as on a validator', () => {
  it('hands out a new blockhash once a transaction lands, and the previous one still lands a transaction', async () => {
    node = await startSolanaRpc({ slotMs: 0 })
    await seedSolanaDevLedger(node.svm)
    const first = await latest()
    if (!first) throw new Error('no blockhash')
    expect(await latest()).toEqual(first) // a still clock: nothing moves by itself
    expect((await send(await transfer(first.blockhash))).result).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)

    const second = await latest()
    expect(second?.blockhash).not.toBe(first.blockhash)
    expect(second?.lastValidBlockHeight).toBeGreaterThan(first.lastValidBlockHeight)
    // The same transfer signed again over the new blockhash is a new transaction: it lands.
    expect((await send(await transfer(second?.blockhash ?? ''))).result).toBeTypeOf('string')
    // A blockhash a few slots old is still valid, as on a cluster.
    expect(await valid(first.blockhash)).toBe(true)
    const late = await transfer(first.blockhash, 2_000n)
    expect((await send(late)).result).toBeTypeOf('string')
    // The very same signed bytes again: the ledger's history refuses them.
    expect((await send(late)).error?.message).toMatch(/AlreadyProcessed/)
  })

  it('accepts a blockhash for 150 slots and refuses it from the 151st on', async () => {
    node = await startSolanaRpc({ slotMs: 0 })
    await seedSolanaDevLedger(node.svm)
    const start = await latest()
    if (!start) throw new Error('no blockhash')
    const issuedAt = node.svm.getClock().slot
    node.svm.warpToSlot(issuedAt + 150n)
    expect(await valid(start.blockhash)).toBe(true)
    expect(BigInt(start.lastValidBlockHeight)).toBe(issuedAt + 150n)
    node.svm.warpToSlot(issuedAt + 151n)
    expect(await valid(start.blockhash)).toBe(false)
    const tx = await transfer(start.blockhash)
    expect(
      (await rpc<{ value: { err: unknown } }>('simulateTransaction', [tx, { encoding: 'base64' }])).result?.value.err,
    ).toBe('BlockhashNotFound')
    expect((await send(tx)).error?.message).toMatch(/Blockhash not found/)
  })

  it('expireBlockhash() makes every blockhash handed out so far stale', async () => {
    node = await startSolanaRpc({ slotMs: 0 })
    await seedSolanaDevLedger(node.svm)
    const before = await latest()
    if (!before) throw new Error('no blockhash')
    node.expireBlockhash()
    expect(await valid(before.blockhash)).toBe(false)
    const after = await latest()
    expect(after?.blockhash).not.toBe(before.blockhash)
    expect(await valid(after?.blockhash ?? '')).toBe(true)
    expect((await send(await transfer(before.blockhash))).error?.message).toMatch(/Blockhash not found/)
  })

  it('with its clock running, an idle ledger moves on to new slots and blockhashes', async () => {
    node = await startSolanaRpc({ slotMs: 5 })
    const first = await latest()
    await expect.poll(async () => (await latest())?.blockhash, { timeout: 10_000 }).not.toBe(first?.blockhash)
    expect(await valid(first?.blockhash ?? '')).toBe(true)
  })
})
