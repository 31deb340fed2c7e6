import type { MemoryEntry, MemoryState } from '../memoryState.js'
import { type StoredRequest, utcDay } from '../records.js'
import { solanaBudgetCounter } from './rules.js'
import {
  type AdmissionStore,
  BudgetExceededError,
  DuplicateNonceError,
  IpInFlightError,
  QuotaExceededError,
  SenderInFlightError,
  SitePausedError,
} from './types.js'

/** Admission in process memory: each `enqueue` is one synchronous step, so it is atomic. */
export function createMemoryAdmissionStore(state: MemoryState): AdmissionStore {
  const { counters, entries, paused, pendingByNonce, ipInFlight } = state
  return {
    async enqueue(input) {
      state.assertOpen()
      state.pruneFinal()
      if (entries.has(input.id)) throw new Error(`request id ${input.id} already exists`)
      if (paused.has(input.siteKey)) throw new SitePausedError(`site ${input.siteKey} is paused`)
      const sender = state.senderKey(input.chainId, input.request.from)
      const nonces = pendingByNonce.get(sender) ?? new Map<bigint, string>()
      if (nonces.has(input.request.nonce)) {
        throw new DuplicateNonceError(`nonce ${input.request.nonce} of ${input.request.from} is already pending`)
      }
      const limits = input.inFlight
      if (limits?.maxPerSender !== undefined && nonces.size >= limits.maxPerSender) {
        throw new SenderInFlightError(
          `the sender has ${nonces.size} requests in flight (at most ${limits.maxPerSender})`,
        )
      }
      const ipKey = limits?.ipKey === undefined ? undefined : `${input.chainId}:${limits.ipKey}`
      const fromIp = ipKey === undefined ? 0 : (ipInFlight.get(ipKey) ?? 0)
      if (limits?.maxPerIp !== undefined && fromIp >= limits.maxPerIp) {
        throw new IpInFlightError(`the address has ${fromIp} requests in flight (at most ${limits.maxPerIp})`)
      }
      if (input.quota && counters.quotaFull(`quota:${input.quota.key}`, input.quota.limit)) {
        throw new QuotaExceededError(`the sender used its quota of ${input.quota.limit} requests`)
      }
      const { reservation } = input
      if (
        reservation &&
        !counters.reserve(`budget:${input.siteKey}:${reservation.day}`, reservation.amountWei, reservation.limitWei)
      ) {
        throw new BudgetExceededError(`the site's daily gas budget is used up`)
      }
      if (input.quota) counters.countQuota(`quota:${input.quota.key}`)
      const at = state.now()
      if (ipKey !== undefined) ipInFlight.set(ipKey, fromIp + 1)
      const { reservation: _r, quota: _q, inFlight: _f, ...rest } = input
      const record: StoredRequest = {
        ...state.copy(rest),
        status: 'queued',
        createdAt: at,
        updatedAt: at,
        ...(input.reservation ? { reservedWei: input.reservation.amountWei, budgetDay: input.reservation.day } : {}),
      }
      entries.set(record.id, { record, seq: ++state.seq, busy: false, ...(ipKey === undefined ? {} : { ipKey }) })
      nonces.set(input.request.nonce, record.id)
      pendingByNonce.set(sender, nonces)
      state.queueOf(record.chainId).add(record.id)
      return state.copy(record)
    },

    async siteState(siteKey, day) {
      return {
        paused: paused.has(siteKey),
        usedWei: counters.get(`budget:${siteKey}:${day}`),
        spentWei: counters.get(`spent:${siteKey}:${day}`),
        usedLamports: counters.get(solanaBudgetCounter(siteKey, day)),
      }
    },

    async setSitePaused(siteKey, value) {
      if (value) paused.add(siteKey)
      else paused.delete(siteKey)
    },
  }
}

/**
 * What a request gives back to admission when it becomes final: its in-flight counts, its nonce
 * (another request may use it), and the unspent rest of its budget reservation (settled once).
 */
export function settleAdmission(state: MemoryState, entry: MemoryEntry, spentWei: bigint | undefined): void {
  const record = entry.record
  if (entry.ipKey !== undefined) {
    const left = (state.ipInFlight.get(entry.ipKey) ?? 1) - 1
    if (left > 0) state.ipInFlight.set(entry.ipKey, left)
    else state.ipInFlight.delete(entry.ipKey)
  }
  const nonces = state.pendingByNonce.get(state.senderKey(record.chainId, record.request.from))
  if (nonces?.get(record.request.nonce) === record.id) nonces.delete(record.request.nonce)
  if (record.reservedWei !== undefined && record.budgetDay !== undefined) {
    const spent = spentWei ?? 0n
    const charged = spent < record.reservedWei ? spent : record.reservedWei
    state.counters.unreserve(`budget:${record.siteKey}:${record.budgetDay}`, record.reservedWei - charged)
    state.counters.add(`spent:${record.siteKey}:${record.budgetDay}`, charged)
    record.spentWei = charged
  } else if (spentWei !== undefined) {
    // No budget to settle against: the gas is still the site's, counted on the day it is paid.
    state.counters.add(`spent:${record.siteKey}:${utcDay(state.now())}`, spentWei)
    record.spentWei = spentWei
  }
}
