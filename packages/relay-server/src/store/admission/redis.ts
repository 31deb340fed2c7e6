import { chainOfRequestId } from '../records.js'
import type { RedisContext } from '../redisContext.js'
import { type Flat, toRecord } from '../redisRecord.js'
import * as scripts from './scripts.js'
import {
  type AdmissionStore,
  BudgetExceededError,
  DuplicateNonceError,
  IpInFlightError,
  QuotaExceededError,
  SenderInFlightError,
  SitePausedError,
} from './types.js'

/**
 * Admission on Redis, in two scripts of two slots: the site's (`ADMIT`: pause, quota, budget
 * reservation), then the chain's (`ENQUEUE`: duplicate nonce, in-flight caps, the record and its
 * queue place). A request the chain's step refuses gives its admission back (`UNADMIT`).
 */
export function createRedisAdmissionStore(ctx: RedisContext): AdmissionStore {
  const { driver, keys, run } = ctx
  return {
    async enqueue(input) {
      const { request } = input
      const sender = request.from.toLowerCase()
      const reqKey = keys.request(input.id)
      if (chainOfRequestId(input.id) !== input.chainId || !reqKey) {
        throw new Error(`request id ${input.id} does not start with its chain id ${input.chainId} (newRequestId)`)
      }
      const fields = [
        ['id', input.id],
        ['chainId', String(input.chainId)],
        ['siteKey', input.siteKey],
        ['sender', sender],
        ['from', request.from],
        ['to', request.to],
        ['value', String(request.value)],
        ['gas', String(request.gas)],
        ['nonce', String(request.nonce)],
        ['deadline', String(request.deadline)],
        ['data', request.data],
        ['signature', input.signature],
        ...(input.measuredGas === undefined ? [] : [['measuredGas', String(input.measuredGas)]]),
      ].flat()
      const { quota, reservation } = input
      if (reservation && reservation.amountWei > reservation.limitWei) {
        throw new BudgetExceededError(`the site's daily gas budget is used up`)
      }
      const c = keys.chain(input.chainId)
      // Two slots, two steps: the site's (pause, quota, budget) admits, the chain's stores. A
      // request the chain's step refuses gives its admission back; a crash in between leaves at
      // most one request's reservation counted until its day ends (never a request over budget).
      const s = keys.site(input.siteKey)
      const siteKeys = [`${s}site`, `${s}quota:${quota?.key ?? ''}`, `${s}budget:${reservation?.day ?? ''}`]
      const quotaOn = quota ? '1' : ''
      const budgetOn = reservation ? '1' : ''
      const amount = String(reservation?.amountWei ?? 0n)
      const admitted = String(
        await run(
          scripts.ADMIT,
          siteKeys,
          s,
          quotaOn,
          quota?.limit ?? 0,
          quota?.ttlSeconds ?? 0,
          budgetOn,
          String(reservation?.limitWei ?? 0n),
          amount,
        ),
      )
      switch (admitted) {
        case 'OK':
          break
        case 'QUOTA':
          throw new QuotaExceededError(`the sender used its quota of ${quota?.limit} requests`)
        case 'BUDGET':
          throw new BudgetExceededError(`the site's daily gas budget is used up`)
        default:
          throw new SitePausedError(`site ${input.siteKey} is paused`)
      }
      // Replicated before the 202: a master dying right after cannot take an accepted request with it.
      const limits = input.inFlight
      const ipKey = limits?.ipKey ?? ''
      const result = (await driver.eval(
        scripts.ENQUEUE,
        [reqKey, `${c}nonces:${sender}`, `${c}ready`, `${c}seq`, `${c}ipflight:${ipKey}`],
        [
          c,
          input.id,
          String(request.nonce),
          reservation?.day ?? '',
          amount,
          limits?.maxPerSender === undefined ? '' : String(limits.maxPerSender),
          ipKey,
          limits?.maxPerIp === undefined ? '' : String(limits.maxPerIp),
          ...fields,
        ],
        { replicate: true },
      )) as [string, Flat?]
      if (result[0] === 'OK') return toRecord(result[1])
      await run(scripts.UNADMIT, siteKeys.slice(1), s, quotaOn, budgetOn, amount)
      if (result[0] === 'DUPLICATE') {
        throw new DuplicateNonceError(`nonce ${request.nonce} of ${request.from} is already pending`)
      }
      if (result[0] === 'SENDER_LIMIT') {
        throw new SenderInFlightError(`the sender has ${limits?.maxPerSender} requests in flight already`)
      }
      if (result[0] === 'IP_LIMIT') {
        throw new IpInFlightError(`the address has ${limits?.maxPerIp} requests in flight already`)
      }
      throw new Error(`request id ${input.id} already exists`)
    },

    async siteState(siteKey, day) {
      const s = keys.site(siteKey)
      const declared = [`${s}site`, `${s}budget:${day}`, `${s}spent:${day}`, keys.solanaBudget(siteKey, day)]
      const [paused, used, spent, lamports] = (await run(scripts.SITE_STATE, declared, s)) as string[]
      return {
        paused: String(paused) === '1',
        usedWei: BigInt(used ?? '0'),
        spentWei: BigInt(spent ?? '0'),
        usedLamports: BigInt(lamports ?? '0'),
      }
    },

    async setSitePaused(siteKey, paused) {
      const s = keys.site(siteKey)
      await run(scripts.SET_PAUSED, [`${s}site`], s, paused ? '1' : '0')
    },
  }
}
