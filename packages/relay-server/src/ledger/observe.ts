import type { LedgerStatus, StageEvent } from '@tokentags/ledger'
import type { SolanaStore } from '../solana/store.js'
import type { JournalEntry, StatusUpdate, StoredRequest, Stores } from '../store/types.js'
import { evmFields, type FunctionNamer, solanaFields } from './events.js'

/** Takes stage events to the outbox; never rejects (a ledger problem must not fail a request). */
export type StageSink = (events: StageEvent[]) => Promise<void>

export interface ObserveOptions {
  sink: StageSink
  now?: () => number
  functionName?: FunctionNamer
}

/** Stages of an EVM status change, once the store applied it (`after`). */
function updateStages(
  fields: Omit<StageEvent, 'stage' | 'at'>,
  update: Pick<StatusUpdate, 'status' | 'txHash' | 'error'> & { fee?: bigint },
  after: { status: string },
  at: number,
): StageEvent[] {
  // A late second final update changes nothing in the store: it writes no stage either.
  if (after.status !== update.status) return []
  const base = { ...fields, at, ...(update.txHash ? { txHash: update.txHash } : {}) }
  const fee = update.fee === undefined ? {} : { fee: update.fee.toString() }
  switch (update.status) {
    case 'submitted':
      return [{ ...base, stage: 'submitted', status: 'submitted' }]
    case 'confirmed':
      return [
        { ...base, stage: 'confirmed', status: 'confirmed' },
        ...(update.fee === undefined
          ? []
          : [{ ...base, ...fee, stage: 'settled' as const, status: 'confirmed' as const }]),
      ]
    case 'failed':
    case 'rejected': {
      const status = update.status as LedgerStatus
      const error = update.error
        ? { code: update.error.code, detail: { message: update.error.message.slice(0, 300) } }
        : {}
      return [
        { ...base, ...error, stage: 'failed', status },
        ...(update.fee === undefined ? [] : [{ ...base, ...fee, stage: 'settled' as const, status }]),
      ]
    }
    default:
      // Back to `queued` (a claim that ran out): no stage of its own, the next `batched` is the same one.
      return []
  }
}

/** Stages of an entry's transaction `index`: `submitted` for the first, `replaced` (seq = index) after. */
function transactionStages(entry: JournalEntry, index: number): StageEvent[] {
  const sent = entry.transactions[index]
  if (!sent) return []
  const detail = { relayer: entry.relayer, nonce: entry.nonce, maxFeePerGas: sent.maxFeePerGas.toString() }
  return entry.requestIds.map((requestId) => ({
    requestId,
    kind: 'evm' as const,
    chain: String(entry.chainId),
    at: sent.sentAt,
    txHash: sent.hash,
    detail,
    ...(index === 0
      ? { stage: 'submitted' as const, status: 'submitted' as const }
      : { stage: 'replaced' as const, seq: index, status: 'submitted' as const }),
  }))
}

/** The concern stores whose changes are stages of a request. */
export type ObservedConcerns = Pick<Stores, 'admission' | 'queue' | 'journal' | 'requests'>

/**
 * The relay's concern stores, unchanged, with their state changes also sent to `sink`: admission
 * (`simulated`, `admitted`), queue claims (`batched`), journaled transactions (`submitted`,
 * `replaced`; sent again when the journal is read to recover a relayer key), request updates to a
 * final status (`confirmed`/`failed`, `settled` with the wei charged). Every other member of `stores`
 * and of each observed store passes through as is, members added later included. The Solana store is
 * observed on its own (`observeSolanaStore`).
 */
export function observeStores<S extends ObservedConcerns>(stores: S, options: ObserveOptions): S {
  const now = options.now ?? Date.now
  const { sink } = options
  const fields = (r: StoredRequest) => evmFields(r, options.functionName)
  const { admission, queue, journal, requests } = stores
  const observed: Partial<ObservedConcerns> = {
    admission: passThrough(admission, {
      async enqueue(request) {
        const stored = await admission.enqueue(request)
        // The submit route simulates before it enqueues: an admitted request was simulated just before.
        const at = stored.createdAt
        await sink([
          { ...fields(stored), stage: 'simulated', at },
          { ...fields(stored), stage: 'admitted', at, status: 'queued' },
        ])
        return stored
      },
    }),
    queue: passThrough(queue, {
      async claimBatch(chainId, claim) {
        const claimed = await queue.claimBatch(chainId, claim)
        if (claimed.length > 0) {
          const at = now()
          await sink(claimed.map((r) => ({ ...fields(r), stage: 'batched', at, status: 'queued' })))
        }
        return claimed
      },
    }),
    journal: passThrough(journal, {
      async recordTransaction(entry, fence, claimOwner) {
        const result = await journal.recordTransaction(entry, fence, claimOwner)
        if (result.ok) await sink(transactionStages(entry, entry.transactions.length - 1))
        return result
      },
      async journal(chainId, relayer) {
        const entries = await journal.journal(chainId, relayer)
        // Read when a relayer key is taken, to recover its transactions: a relay killed between the
        // journal write and the outbox push lost these stages, and recovery never journals them again.
        // Sent again with their own times; the ledger keeps a stage it holds already once.
        await sink(entries.flatMap((entry) => entry.transactions.flatMap((_, i) => transactionStages(entry, i))))
        return entries
      },
    }),
    requests: passThrough(requests, {
      async update(id, update) {
        const after = await requests.update(id, update)
        // A repeated status (submitted again after a restart) is the same stage: the ledger keeps one row.
        await sink(
          updateStages(
            fields(after),
            { ...update, ...(update.spentWei === undefined ? {} : { fee: update.spentWei }) },
            after,
            after.updatedAt,
          ),
        )
        return after
      },
    }),
  }
  return passThrough(stores, observed as Partial<S>)
}

/** The Solana store, unchanged, with admissions and status changes also sent to `sink`. */
export function observeSolanaStore(
  store: SolanaStore,
  options: { sink: StageSink; now?: () => number; chain: string },
): SolanaStore {
  const { sink, chain } = options
  const observed: Partial<SolanaStore> = {
    async admit(request, limits) {
      const result = await store.admit(request, limits)
      if (result.ok) {
        const at = result.record.createdAt
        const fields = solanaFields(result.record, chain)
        await sink([
          { ...fields, stage: 'simulated', at },
          { ...fields, stage: 'admitted', at, status: 'queued' },
        ])
      }
      return result
    },
    async update(id, update) {
      const after = await store.update(id, update)
      // Solana charges the reservation (fee and funded rent) when the transaction lands.
      const fee = update.status === 'confirmed' ? { fee: after.lamports } : {}
      await sink(
        updateStages(
          solanaFields(after, chain),
          { status: update.status, ...(update.error ? { error: update.error } : {}), ...fee },
          after,
          after.updatedAt,
        ),
      )
      return after
    },
  }
  return passThrough(store, observed)
}

/** `target` with some members replaced; every other property read goes to `target` (bound to it). */
function passThrough<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(replaced, property)) return replaced[property as keyof T]
      const value = Reflect.get(object, property, object)
      return typeof value === 'function' ? value.bind(object) : value
    },
  })
}
