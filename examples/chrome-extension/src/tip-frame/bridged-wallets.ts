import type { FromBridge, RpcErrorShape, ToBridge, WalletInfo } from '../protocol.js'

type Listener = (...args: unknown[]) => void

/** An EIP-1193 error as wallets throw them, so core can tell a rejection (4001) from a failure. */
export class BridgedWalletError extends Error {
  override name = 'BridgedWalletError'
  readonly code: number
  readonly data: unknown
  constructor({ code, message, data }: RpcErrorShape) {
    super(message)
    this.code = code
    this.data = data
  }
}

/**
 * The page's wallets, seen from the tip frame: each wallet the main-world bridge reports becomes an
 * EIP-1193 provider here whose requests travel over `port`, announced in this frame over EIP-6963.
 */
export class BridgedWallets {
  readonly #port: MessagePort
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>()
  readonly #listeners = new Map<string, Map<string, Set<Listener>>>()
  readonly #announced = new Map<string, { info: WalletInfo; provider: object }>()
  #nextId = 1
  #listed: Promise<void>

  constructor(port: MessagePort) {
    this.#port = port
    let listed!: () => void
    this.#listed = new Promise((resolve) => {
      listed = resolve
    })
    port.onmessage = (event: MessageEvent<FromBridge>) => {
      const message = event.data
      if (message?.t === 'wallets') {
        for (const info of message.wallets) this.#add(info)
        listed()
      } else if (message?.t === 'response') {
        const pending = this.#pending.get(message.id)
        if (!pending) return
        this.#pending.delete(message.id)
        if (message.error) pending.reject(new BridgedWalletError(message.error))
        else pending.resolve(message.result)
      } else if (message?.t === 'event') {
        for (const listener of this.#listeners.get(message.uuid)?.get(message.event) ?? []) {
          try {
            listener(...message.args)
          } catch {}
        }
      }
    }
    window.addEventListener('eip6963:requestProvider', () => {
      for (const detail of this.#announced.values()) this.#announce(detail)
    })
    this.#send({ t: 'list' })
  }

  /** Resolves once the bridge answered the first listing (or after `timeoutMs`). */
  ready(timeoutMs = 1500): Promise<void> {
    return Promise.race([this.#listed, new Promise<void>((r) => setTimeout(r, timeoutMs))])
  }

  get wallets(): WalletInfo[] {
    return [...this.#announced.values()].map((w) => w.info)
  }

  #send(message: ToBridge): void {
    this.#port.postMessage(message)
  }

  #add(info: WalletInfo): void {
    if (this.#announced.has(info.uuid)) return
    const listeners = new Map<string, Set<Listener>>()
    this.#listeners.set(info.uuid, listeners)
    const request = ({ method, params }: { method: string; params?: unknown }) =>
      new Promise((resolve, reject) => {
        const id = this.#nextId++
        this.#pending.set(id, { resolve, reject })
        // Structured clone would reject functions or bigints a library might leave in params.
        const cloneable = params === undefined ? undefined : JSON.parse(JSON.stringify(params))
        this.#send({ t: 'request', id, uuid: info.uuid, method, params: cloneable })
      })
    const provider = {
      request,
      on(event: string, listener: Listener) {
        const set = listeners.get(event) ?? new Set()
        listeners.set(event, set)
        set.add(listener)
        return provider
      },
      removeListener(event: string, listener: Listener) {
        listeners.get(event)?.delete(listener)
        return provider
      },
    }
    // Only data: icons: the frame shows no remote images.
    const safeInfo = Object.freeze({ ...info, icon: info.icon.startsWith('data:image/') ? info.icon : '' })
    const detail = Object.freeze({ info: safeInfo, provider })
    this.#announced.set(info.uuid, detail)
    this.#announce(detail)
  }

  #announce(detail: { info: WalletInfo; provider: object }): void {
    window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }))
  }
}
