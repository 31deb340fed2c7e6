// What every concern's conformance suite shares: accounts, a request and a journal entry maker,
// and the backend factory each adapter's test file passes in.

import type { Address, Hex } from 'viem'
import type { JournalEntry, NewRequest, Stores } from '../../src/index.js'

export interface ConformanceStoreOptions {
  finalRetentionMs?: number
}

/** Fresh stores on one backend (a new key prefix on Redis), as `createStores` builds them. */
export type StoresFactory = (options?: ConformanceStoreOptions) => Promise<Stores> | Stores

export const ALICE: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
export const BOB: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
export const TARGET: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

let counter = 0
/** How many requests `newRequest` made so far: a suffix no earlier test used. */
export const requestCount = () => counter
export function newRequest(from: Address, nonce: bigint, chainId = 31337, extra: Partial<NewRequest> = {}): NewRequest {
  counter++
  return {
    // Ids name their chain (`newRequestId`): the Redis stores find a record's slot by it.
    id: `${extra.chainId ?? chainId}-req-${counter}`,
    chainId,
    siteKey: 'pk_test',
    request: { from, to: TARGET, value: 0n, gas: 100_000n, nonce, deadline: 2_000_000_000n, data: '0x379607f5' },
    signature: `0x${'11'.repeat(65)}` as Hex,
    ...extra,
  }
}

export const RELAYER: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export function journalEntry(nonce: number, requestIds: string[], hash = `0x${'cd'.repeat(32)}` as Hex): JournalEntry {
  return {
    chainId: 31337,
    relayer: RELAYER,
    nonce,
    kind: 'batch',
    requestIds,
    gas: 123_456n,
    transactions: [
      { hash, raw: '0x02f8', maxFeePerGas: 2n ** 70n + 1n, maxPriorityFeePerGas: 1n, sentAt: 1_700_000_000_000 },
    ],
    createdAt: 1_700_000_000_000,
  }
}
