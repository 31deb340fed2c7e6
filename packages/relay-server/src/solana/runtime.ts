import { randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { getBase58Decoder } from '@solana/kit'
import type { Logger } from 'pino'
import { safeError } from '../errors.js'
import type { RelayMetrics } from '../metrics.js'
import type { AdmissionStore } from '../store/admission/types.js'
import { isFinalStatus as isFinal } from '../store/status.js'
import { BudgetExceededError, QuotaExceededError, type RelayStore, SitePausedError, utcDay } from '../store/types.js'
import {
  type ResolvedSolanaConfig,
  type ResolvedSolanaSitePolicy,
  resolveSolanaConfig,
  type SolanaRelayConfig,
  type SolanaSites,
} from './config.js'
import { createEd25519Signer, type Ed25519Signer, publicKeyOf } from './ed25519.js'
import {
  type CheckedSolanaTransaction,
  checkSolanaTransaction,
  coSign,
  solanaError,
  verifyTokenAccounts,
} from './policy.js'
import { createSolanaRpc, type SolanaRpc, SolanaRpcError, SolanaTransportError, SolanaUnavailableError } from './rpc.js'
import { createMemorySolanaStore, type SolanaRequestRecord, type SolanaStore } from './store.js'
import { type AccountRead, checkToken2022Mints } from './token2022.js'

/** Rent-exempt minimum of a 165-byte SPL token account on every cluster today (used until the RPC answers). */
const TOKEN_ACCOUNT_RENT = 2_039_280n
/** One entry of `getSignatureStatuses`. */
interface SignatureStatus {
  slot: number
  err: unknown
  confirmationStatus?: string | null
}

/** Ids of Solana Pay requests: built by the relay, sent by the visitor's wallet (see `follow`). */
export const SOLANA_PAY_ID_PREFIX = 'sol_pay_'

/** Give up following a transaction after this long even if the RPC never answers. */
const MAX_TRACK_MS = 180_000

export interface SolanaRuntimeOptions {
  logger: Logger
  /** Where Solana counters and the fee payer's balance go (the relay's `/metrics`). */
  metrics?: RelayMetrics
  store?: SolanaStore
  now?: () => number
  /** The relay's `sites`: each one's `solana` policy overrides the section's defaults (none: defaults for all). */
  sites?: SolanaSites
  /**
   * Where the sites' pause flags live (the relay's admission store, the one the admin route pauses):
   * a paused site is refused before any transaction of it is co-signed or simulated, even when the
   * Solana store is one of its own (`solana.store`). The Solana store's `admit` checks the flag again,
   * atomically, where it shares the backend.
   */
  admission?: Pick<AdmissionStore, 'siteState'>
  /**
   * Leases on the store the instances share: a pending request is followed only by the instance
   * holding its lease (`solana:<id>`), and instances look for pending requests nobody follows every
   * `ttlMs`, so one left by a dead instance is taken over. Without it, this instance follows all.
   */
  leases?: {
    store: Pick<RelayStore, 'acquireLease' | 'renewLease' | 'releaseLease'>
    owner: string
    ttlMs: number
  }
}

/** A checked and co-signed transaction, ready to simulate and send. */
export interface PreparedSolanaTransaction extends CheckedSolanaTransaction {
  /** Base64 of the co-signed wire transaction. */
  transaction: string
  /** Base58 transaction signature. */
  signature: string
}

/** The `solana` block of `GET /v1/config`. */
export interface SolanaPublicConfig {
  chain: string
  feePayer: string
  programs: string[]
  /** Whether the relay creates some token accounts (of `fundedRecipients`, for `fundedMints`). */
  payForTokenAccounts: boolean
  /** The mints whose token accounts the relay funds. */
  fundedMints?: string[]
  /** The owners whose token accounts the relay funds: a tip to anyone else creates the account at the tipper's cost. */
  fundedRecipients?: string[]
  /** Mint → the smallest transfer (base units) into a token account the relay funds. */
  minimumTransfers?: Record<string, bigint>
  maxComputeUnits: number
  maxComputeUnitPrice: bigint
  maxTransactionBytes: number
  maxSigners: number
}

export class SolanaRuntime {
  readonly config: ResolvedSolanaConfig
  readonly signer: Ed25519Signer
  readonly rpc: SolanaRpc
  readonly store: SolanaStore
  private readonly logger: Logger
  private readonly metrics: RelayMetrics | undefined
  private readonly now: () => number
  private readonly tracking = new Map<string, Promise<void>>()
  private tokenAccountRent = TOKEN_ACCOUNT_RENT
  private rentFetched = false
  private stopped = false
  private readonly stopController = new AbortController()
  private readonly statusWaiters = new Map<string, ((result: SignatureStatus | null | Error) => void)[]>()
  private statusTimer: NodeJS.Timeout | undefined
  private readonly leases: SolanaRuntimeOptions['leases']
  private readonly admission: SolanaRuntimeOptions['admission']
  private rescanTimer: NodeJS.Timeout | undefined

  constructor(config: SolanaRelayConfig, options: SolanaRuntimeOptions) {
    this.config = resolveSolanaConfig(config, publicKeyOf, options.sites)
    this.signer = createEd25519Signer(this.config.feePayerPrivateKey)
    this.rpc = createSolanaRpc(this.config.rpcUrl)
    this.store = options.store ?? config.store ?? createMemorySolanaStore()
    this.logger = options.logger.child({ solana: true })
    this.metrics = options.metrics
    this.now = options.now ?? Date.now
    this.leases = options.leases
    this.admission = options.admission
    // Every tracked request waits on this signal.
    setMaxListeners(0, this.stopController.signal)
  }

  policyFor(siteKey: string): ResolvedSolanaSitePolicy {
    return this.config.sites.get(siteKey) ?? this.config.defaults
  }

  publicConfig(siteKey?: string): SolanaPublicConfig {
    const policy = siteKey === undefined ? this.config.defaults : this.policyFor(siteKey)
    return {
      chain: this.config.chain,
      feePayer: this.signer.address,
      programs: [...policy.programs],
      payForTokenAccounts: policy.fundTokenAccounts !== undefined,
      ...(policy.fundTokenAccounts
        ? {
            fundedMints: [...policy.fundTokenAccounts.minimumTransfer.keys()],
            fundedRecipients: [...policy.fundTokenAccounts.recipients],
            minimumTransfers: Object.fromEntries(policy.fundTokenAccounts.minimumTransfer),
          }
        : {}),
      maxComputeUnits: this.config.maxComputeUnits,
      maxComputeUnitPrice: this.config.maxComputeUnitPrice,
      maxTransactionBytes: this.config.maxTransactionBytes,
      maxSigners: this.config.maxSigners,
    }
  }

  /**
   * Refuses a paused site ({@link SitePausedError}, `403 SITE_PAUSED` as for EVM) before anything is
   * signed or sent for it: the first step of a Solana submission and of a Solana Pay tip.
   */
  async assertSiteOpen(siteKey: string): Promise<void> {
    if (!this.admission) return
    const { paused } = await this.admission.siteState(siteKey, utcDay(this.now()))
    if (paused) throw new SitePausedError(`site ${siteKey} is paused`)
  }

  /** The synchronous checks, the funded token accounts' addresses and the co-signature: no RPC. */
  async prepare(base64: string, siteKey: string): Promise<PreparedSolanaTransaction> {
    const checked = checkSolanaTransaction(base64, {
      config: this.config,
      policy: this.policyFor(siteKey),
      tokenAccountRent: this.tokenAccountRent,
    })
    if (checked.tokenAccounts.length > 0) await verifyTokenAccounts(checked.tokenAccounts)
    const { bytes, signature } = coSign(checked.tx, this.signer.sign)
    return {
      ...checked,
      transaction: Buffer.from(bytes).toString('base64'),
      signature: getBase58Decoder().decode(signature),
    }
  }

  /**
   * The site's pause flag, the static checks, the co-signature, the Token-2022 mints, replay,
   * blockhash and simulation: no store write. Then the site's sponsorship webhook, if any, and
   * `admit` (`solana/network.ts`).
   */
  async check(base64: string, siteKey: string): Promise<PreparedSolanaTransaction> {
    await this.assertSiteOpen(siteKey)
    await this.refreshRent()
    const prepared = await this.prepare(base64, siteKey)
    prepared.rent += await checkToken2022Mints(prepared, this.tokenAccountRent, (addresses) =>
      this.rpcCall(() => readAccounts(this.rpc, addresses)),
    )
    if (await this.store.findBySignature(prepared.signature)) {
      throw solanaError('DUPLICATE_TRANSACTION', `transaction ${prepared.signature} was already submitted`)
    }
    const valid = await this.rpcCall(() =>
      this.rpc.call<{ value: boolean }>('isBlockhashValid', [prepared.tx.blockhash, { commitment: 'processed' }]),
    )
    if (!valid.value) {
      throw solanaError('BLOCKHASH_EXPIRED', 'the recent blockhash has expired: fetch a new one and sign again')
    }
    await this.simulate(prepared)
    return prepared
  }

  /**
   * Admits a checked transaction (the site's pause and budget, then replay guard and wallet quota,
   * as the store's `admit` does) and starts sending it.
   */
  async admit(prepared: PreparedSolanaTransaction, siteKey: string): Promise<SolanaRequestRecord> {
    const policy = this.policyFor(siteKey)
    const admitted = await this.store.admit(
      {
        id: `sol_${randomUUID()}`,
        siteKey,
        wallet: prepared.wallet,
        signature: prepared.signature,
        transaction: prepared.transaction,
        blockhash: prepared.tx.blockhash,
        lamports: prepared.fee + prepared.rent,
      },
      {
        day: utcDay(this.now()),
        siteLamportsPerDay: policy.lamportsPerDay,
        walletRequestsPerDay: policy.requestsPerWalletPerDay,
      },
    )
    if (!admitted.ok) {
      switch (admitted.reason) {
        case 'SITE_PAUSED':
          throw new SitePausedError(`site ${siteKey} is paused`)
        case 'DUPLICATE':
          throw solanaError('DUPLICATE_TRANSACTION', `transaction ${prepared.signature} was already submitted`)
        case 'SITE_BUDGET':
          throw new BudgetExceededError("this site's daily Solana budget is spent")
        case 'WALLET_QUOTA':
          throw new QuotaExceededError(`wallet ${prepared.wallet} reached its daily quota`)
      }
    }
    this.metrics?.solanaStatus('queued')
    this.track(admitted.record)
    return admitted.record
  }

  /** Moves a record to `update.status`; counts the transition when it happened (first final wins). */
  private async transition(
    record: SolanaRequestRecord,
    update: Parameters<SolanaStore['update']>[1],
  ): Promise<SolanaRequestRecord> {
    const before = await this.store.get(record.id)
    const after = await this.store.update(record.id, update)
    if (after.status === update.status && before?.status !== after.status) {
      this.metrics?.solanaStatus(update.status)
      if (update.status === 'confirmed') this.metrics?.solanaSpent(after.siteKey, after.lamports)
      if (isFinal(update.status)) void this.refreshFeePayerBalance()
    }
    return after
  }

  /** Reads the fee payer's balance into the metrics; a failed read leaves the last value. */
  private async refreshFeePayerBalance(): Promise<void> {
    if (!this.metrics) return
    try {
      const balance = await this.rpc.call<{ value: number }>('getBalance', [
        this.signer.address,
        { commitment: 'confirmed' },
      ])
      this.metrics.solanaFeePayerBalance(this.signer.address, BigInt(balance.value))
    } catch {}
  }

  private async simulate(prepared: PreparedSolanaTransaction): Promise<void> {
    type Simulation = {
      context: { slot: number }
      value: { err: unknown; logs?: string[] | null; accounts?: ({ lamports: number } | null)[] | null }
    }
    // One batch, so the balance and the simulation see the same state where the node allows it.
    const [balance, simulation] = (await this.rpcCall(() =>
      this.rpc.batch([
        { method: 'getBalance', params: [this.signer.address, { commitment: 'processed' }] },
        {
          method: 'simulateTransaction',
          params: [
            prepared.transaction,
            {
              encoding: 'base64',
              sigVerify: true,
              commitment: 'processed',
              accounts: { encoding: 'base64', addresses: [this.signer.address] },
            },
          ],
        },
      ]),
    )) as [{ context: { slot: number }; value: number }, Simulation]
    const { err, logs, accounts } = simulation.value
    if (err !== null && err !== undefined) {
      const detail = (logs ?? [])
        .filter((l) => /failed|error|insufficient/i.test(l))
        .slice(-2)
        .join('; ')
      throw solanaError(
        'SIMULATION_FAILED',
        `simulation failed: ${JSON.stringify(err)}${detail ? ` (${detail.slice(0, 300)})` : ''}`,
      )
    }
    const after = accounts?.[0]?.lamports
    // Defence in depth (the static rules already keep the fee payer out of every instruction it may
    // not fund): it may lose at most the fee and the rent it funds. Compared only when both answers
    // come from the same slot, as other transactions move its balance too.
    if (
      after !== undefined &&
      balance.context.slot === simulation.context.slot &&
      BigInt(balance.value) - BigInt(after) > prepared.fee + prepared.rent
    ) {
      throw solanaError('SIMULATION_FAILED', 'the transaction would take more than the fee from the fee payer')
    }
  }

  private async rpcCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      if (error instanceof SolanaTransportError) throw new SolanaUnavailableError(error.message, { cause: error })
      if (error instanceof SolanaRpcError) {
        const message = `solana rpc ${this.rpc.label} error ${error.code}: ${error.message}`
        throw new SolanaUnavailableError(message, { cause: error })
      }
      throw error
    }
  }

  private async refreshRent(): Promise<void> {
    if (this.rentFetched) return
    try {
      this.tokenAccountRent = BigInt(await this.rpc.call<number>('getMinimumBalanceForRentExemption', [165]))
      this.rentFetched = true
    } catch {
      // Keep the constant; the next submission asks again.
    }
  }

  /** Follows a stored request to a final status in the background (idempotent per id). */
  track(record: SolanaRequestRecord): void {
    if (this.stopped || this.tracking.has(record.id)) return
    const run = this.leased(record.id, () => this.follow(record))
      .catch((error: unknown) => {
        this.logger.error({ requestId: record.id, error: safeError(error) }, 'solana tracking failed')
      })
      .finally(() => this.tracking.delete(record.id))
    this.tracking.set(record.id, run)
  }

  /** Runs `fn` while holding the request's lease; does nothing when another instance holds it. */
  private async leased(id: string, fn: () => Promise<void>): Promise<void> {
    const leases = this.leases
    if (!leases) return fn()
    const name = `solana:${id}`
    if (!(await leases.store.acquireLease(name, leases.owner, leases.ttlMs))) return
    const renew = setInterval(() => {
      leases.store.renewLease(name, leases.owner, leases.ttlMs).catch(() => {
        // The next renewal tries again; a lapsed lease at worst lets a second instance follow too,
        // which sends the same signed bytes and settles through the first-final-wins update.
      })
    }, leases.ttlMs / 3)
    renew.unref()
    try {
      await fn()
    } finally {
      clearInterval(renew)
      await leases.store.releaseLease(name, leases.owner).catch(() => {})
    }
  }

  private async follow(record: SolanaRequestRecord): Promise<void> {
    const log = this.logger.child({ requestId: record.id, signature: record.signature })
    const started = this.now()
    let lastSent = 0
    let sentOnce = record.status === 'submitted'
    const send = async (): Promise<unknown> => {
      lastSent = this.now()
      try {
        await this.rpc.call('sendTransaction', [
          record.transaction,
          { encoding: 'base64', skipPreflight: true, maxRetries: 0 },
        ])
        return undefined
      } catch (error) {
        return error
      }
    }
    const finish = async (update: Parameters<SolanaStore['update']>[1]) => {
      await this.transition(record, update)
      log.info({ status: update.status, slot: update.slot, error: update.error }, 'solana request final')
    }
    /** Records a final status when `status` is one; true when it did. */
    const apply = async (status: SignatureStatus | null): Promise<boolean> => {
      if (!status) return false
      if (status.err !== null && status.err !== undefined) {
        await finish({
          status: 'failed',
          slot: BigInt(status.slot),
          error: {
            code: 'TRANSACTION_FAILED',
            message: `the transaction failed on chain: ${JSON.stringify(status.err)}`,
          },
        })
        return true
      }
      if (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized') {
        if (!sentOnce) await this.transition(record, { status: 'submitted' })
        await finish({ status: 'confirmed', slot: BigInt(status.slot) })
        return true
      }
      return false
    }
    const settle = async () => apply((await this.signatureStatuses([record.signature]))[0] ?? null)
    // A Solana Pay transaction lacks the visitor's signature here: their wallet sends it, the relay
    // only watches for it until its blockhash expires.
    const watchOnly = record.id.startsWith(SOLANA_PAY_ID_PREFIX)

    const firstError = watchOnly ? undefined : await send()
    if (firstError instanceof SolanaRpcError) {
      if (await settle().catch(() => false)) return
      await finish({
        status: 'failed',
        error: {
          code: 'SEND_FAILED',
          message: `the node refused the transaction: ${firstError.message.slice(0, 300)}`,
        },
      })
      return
    }
    if (!watchOnly && !firstError && !sentOnce) {
      await this.transition(record, { status: 'submitted' })
      sentOnce = true
    }
    while (!this.stopped) {
      try {
        // One getSignatureStatuses per tick for every request in flight, not one per request.
        const status = await this.nextStatus(record.signature)
        if (this.stopped) return
        if (await apply(status)) return
        if (this.now() - lastSent >= this.config.resendIntervalMs) {
          const valid = await this.rpc.call<{ value: boolean }>('isBlockhashValid', [
            record.blockhash,
            { commitment: 'processed' },
          ])
          if (!valid.value) {
            const seen = (await this.signatureStatuses([record.signature]))[0] ?? null
            if (await apply(seen)) return
            await finish({
              status: 'failed',
              error: watchOnly
                ? {
                    code: 'NOT_SUBMITTED',
                    message: 'the wallet did not send the transaction before its blockhash expired',
                  }
                : { code: 'BLOCKHASH_EXPIRED', message: 'the blockhash expired before the transaction landed' },
            })
            // The wallet never sent it and, its blockhash gone, never can: the fee and rent reserved
            // when the tip was built go back to the site's budget (issue 14). A transaction the node
            // has seen at all keeps its reservation.
            if (watchOnly && seen === null && (await this.store.release(record.id))) {
              log.info({ lamports: record.lamports }, 'solana pay reservation released')
            }
            return
          }
          if (watchOnly) lastSent = this.now()
          else if (!(await send()) && !sentOnce) {
            await this.transition(record, { status: 'submitted' })
            sentOnce = true
          }
        }
      } catch (error) {
        if (this.stopped) return
        log.warn({ error: safeError(error) }, 'solana status check failed; retrying')
        await sleep(this.config.pollIntervalMs, this.stopController.signal)
      }
      if (this.now() - started > MAX_TRACK_MS) {
        await finish({
          status: 'failed',
          error: { code: 'CONFIRMATION_TIMEOUT', message: 'no confirmation within 180 s' },
        })
        return
      }
    }
  }

  private async signatureStatuses(signatures: string[]): Promise<(SignatureStatus | null)[]> {
    const { value } = await this.rpc.call<{ value: (SignatureStatus | null)[] }>('getSignatureStatuses', [
      signatures,
      { searchTransactionHistory: true },
    ])
    return value
  }

  /** Resolves with `signature`'s status at the next poll tick (shared by every request in flight). */
  private nextStatus(signature: string): Promise<SignatureStatus | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.statusWaiters.get(signature) ?? []
      waiters.push((result) => (result instanceof Error ? reject(result) : resolve(result)))
      this.statusWaiters.set(signature, waiters)
      this.statusTimer ??= setTimeout(() => void this.pollStatuses(), this.config.pollIntervalMs)
    })
  }

  private async pollStatuses(): Promise<void> {
    const waiting = new Map(this.statusWaiters)
    this.statusWaiters.clear()
    const signatures = [...waiting.keys()]
    try {
      // getSignatureStatuses takes at most 256 signatures.
      for (let i = 0; i < signatures.length; i += 256) {
        const chunk = signatures.slice(i, i + 256)
        let answer: (SignatureStatus | null)[] | Error
        try {
          answer = await this.signatureStatuses(chunk)
        } catch (error) {
          answer = error instanceof Error ? error : new Error(String(error))
        }
        chunk.forEach((signature, j) => {
          const result = answer instanceof Error ? answer : (answer[j] ?? null)
          for (const waiter of waiting.get(signature) ?? []) waiter(result)
        })
      }
    } finally {
      this.statusTimer = undefined
      if (this.statusWaiters.size > 0 && !this.stopped) {
        this.statusTimer = setTimeout(() => void this.pollStatuses(), this.config.pollIntervalMs)
      }
    }
  }

  /**
   * Resumes tracking of requests left pending (a restart with a shared store). Never rejects: while
   * the store cannot be read it tries again, backing off up to 30 s, until it can or the relay stops.
   */
  async resume(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const pending = await this.store.pending()
        for (const record of pending) this.track(record)
        if (pending.length > 0) this.logger.info({ requests: pending.length }, 'resumed pending solana requests')
        if (this.leases && !this.stopped) {
          // Requests whose follower died: their lease lapses, and whoever looks next takes them.
          this.rescanTimer = setInterval(() => {
            this.store.pending().then(
              (records) => {
                for (const record of records) this.track(record)
              },
              () => {},
            )
          }, this.leases.ttlMs)
          this.rescanTimer.unref()
        }
        return
      } catch (error) {
        if (this.stopped) return
        this.logger.warn({ error: safeError(error) }, 'cannot list pending solana requests; retrying')
        await sleep(Math.min(500 * 2 ** attempt, 30_000), this.stopController.signal)
      }
    }
  }

  async health(): Promise<{ chain: string; ok: boolean; slot?: number; error?: string }> {
    try {
      const slot = await this.rpc.call<number>('getSlot', [{ commitment: 'processed' }], { timeoutMs: 3_000 })
      void this.refreshFeePayerBalance()
      return { chain: this.config.chain, ok: true, slot }
    } catch {
      return { chain: this.config.chain, ok: false, error: `rpc ${this.rpc.label} unreachable` }
    }
  }

  /** Stops tracking (requests stay pending in the store) and closes the store. */
  async close(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.stopController.abort()
    clearTimeout(this.statusTimer)
    clearInterval(this.rescanTimer)
    const stopped = new Error('the relay is stopping')
    for (const waiters of this.statusWaiters.values()) for (const waiter of waiters) waiter(stopped)
    this.statusWaiters.clear()
    await Promise.allSettled([...this.tracking.values()])
    await this.store.close()
  }
}

async function readAccounts(rpc: SolanaRpc, addresses: string[]): Promise<AccountRead[]> {
  const { value } = await rpc.call<{ value: ({ owner: string; data: [string, string] } | null)[] }>(
    'getMultipleAccounts',
    [addresses, { encoding: 'base64', commitment: 'processed' }],
  )
  return addresses.map((_, i) => {
    const account = value[i]
    return account ? { owner: account.owner, data: new Uint8Array(Buffer.from(account.data[0], 'base64')) } : null
  })
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
