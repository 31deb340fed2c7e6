// Relayer key locking across relay instances (alto's senderManager, apart from batching): a lease
// per key in the store, renewed while held, and the sharing rule that spreads keys over instances.
import type { Address } from 'viem'
import { safeError } from '../../errors.js'
import type { LeaseFence, Stores } from '../../store/types.js'
import type { BatcherDeps } from './keyState.js'

/** Key locking reads and writes leases only. */
type LeaseDeps = BatcherDeps<Pick<Stores, 'leases'>>

/**
 * Key sharing between instances: an instance holding no key of this chain says so (a short
 * `want` lease); an instance holding two or more then hands one over. Keys thus spread over the
 * instances, and a key left by a dead instance goes to whoever takes it first.
 */
export class KeySharing {
  private readonly held = new Set<string>()
  private readonly wantLease: string
  private lastYieldCheck = 0

  constructor(
    private readonly deps: Pick<LeaseDeps, 'stores' | 'batch'>,
    chainId: number,
    private readonly instanceId: string,
  ) {
    this.wantLease = `want:${chainId}`
  }

  /** A key's lease could not be taken: if this instance holds none, it asks for one. */
  async keyNotAcquired(): Promise<void> {
    if (this.held.size > 0) return
    await this.deps.stores.leases.acquireLease(this.wantLease, this.instanceId, this.deps.batch.keyLeaseMs)
  }

  keyHeld(address: Address): void {
    this.held.add(address)
  }

  /** A key was taken: this instance no longer asks for one. */
  async keyAcquired(): Promise<void> {
    await this.deps.stores.leases.releaseLease(this.wantLease, this.instanceId)
  }

  keyLost(address: Address): void {
    this.held.delete(address)
  }

  /** Whether a key should go to an instance that has none. */
  async shouldYield(): Promise<boolean> {
    const now = Date.now()
    if (now - this.lastYieldCheck < this.deps.batch.keyLeaseMs / 3) return false
    if (this.held.size < 2) return false
    this.lastYieldCheck = now
    const holder = await this.deps.stores.leases.leaseHolder(this.wantLease)
    return holder !== undefined && holder !== this.instanceId
  }
}

/** One relayer key's lease: taken, renewed in the background, lost, handed over or released. */
export class KeyLease {
  readonly fence: LeaseFence
  private held = false
  private lastRenewOk = 0
  private cooldownUntil = 0
  private renewTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly deps: Pick<LeaseDeps, 'stores' | 'batch' | 'metrics' | 'chain'> & {
      log: LeaseDeps['logger']
    },
    private readonly address: Address,
    instanceId: string,
    private readonly sharing: KeySharing,
  ) {
    this.fence = { name: `relayer:${deps.chain.chainId}:${address.toLowerCase()}`, owner: instanceId }
  }

  isHeld(): boolean {
    return this.held
  }

  /**
   * Holds (or takes) the lease; on taking it, runs `onTaken` (the key's recovery) before the key
   * counts as held. False when another instance holds it or this one just handed it over.
   */
  async take(onTaken: () => Promise<void>): Promise<boolean> {
    if (this.held) return true
    if (Date.now() < this.cooldownUntil) return false
    const { stores, batch, chain } = this.deps
    if (!(await stores.leases.acquireLease(this.fence.name, this.fence.owner, batch.keyLeaseMs))) return false
    this.held = true
    this.sharing.keyHeld(this.address)
    this.lastRenewOk = Date.now()
    try {
      await onTaken()
    } catch (error) {
      this.held = false
      this.sharing.keyLost(this.address)
      await stores.leases.releaseLease(this.fence.name, this.fence.owner).catch(() => {})
      throw error
    }
    this.deps.metrics.leaseChange(chain.chainId, this.address, 'acquired')
    await this.sharing.keyAcquired()
    return true
  }

  startRenewing(): void {
    this.renewTimer = setInterval(() => void this.renew(), Math.max(100, this.deps.batch.keyLeaseMs / 3))
    this.renewTimer.unref()
  }

  private async renew(): Promise<void> {
    if (!this.held) return
    try {
      const ok = await this.deps.stores.leases.renewLease(this.fence.name, this.fence.owner, this.deps.batch.keyLeaseMs)
      if (ok) this.lastRenewOk = Date.now()
      else this.lose('the lease expired or was taken')
    } catch (error) {
      // Without the store we cannot prove we still hold the key: stop before the lease could lapse.
      if (Date.now() - this.lastRenewOk > this.deps.batch.keyLeaseMs * 0.6) {
        this.lose(`cannot renew the lease: ${safeError(error).message}`)
      }
    }
  }

  /** Stops counting the key as held. False when it was not held. */
  lose(reason: string): boolean {
    if (!this.held) return false
    this.held = false
    this.sharing.keyLost(this.address)
    this.deps.metrics.leaseChange(this.deps.chain.chainId, this.address, 'lost')
    this.deps.log.warn({ reason }, 'relayer key lease lost; stopping sends with it')
    return true
  }

  /** Hands the key to an instance that has none; this one leaves it alone for two lease periods. */
  async handOver(): Promise<void> {
    this.lose('handed over')
    this.cooldownUntil = Date.now() + 2 * this.deps.batch.keyLeaseMs
    await this.deps.stores.leases.releaseLease(this.fence.name, this.fence.owner)
  }

  /** On stop: hand the key over at once; its journal stays for the next holder. */
  async release(): Promise<void> {
    if (this.renewTimer) clearInterval(this.renewTimer)
    if (!this.held) return
    this.held = false
    this.sharing.keyLost(this.address)
    await this.deps.stores.leases.releaseLease(this.fence.name, this.fence.owner).catch(() => {})
  }
}
