// Main-world content script: the page's wallets live here (EIP-6963 announcements, window.ethereum),
// where the tip frame cannot see them. It lists them and forwards each frame's EIP-1193 requests over
// the MessagePort the content script hands it. It adds nothing else to the page.
import { BRIDGE_PORT_MESSAGE, type FromBridge, type ToBridge, type WalletInfo } from './protocol.js'

;(() => {
  interface Eip1193 {
    request(args: { method: string; params?: unknown }): Promise<unknown>
    on?(event: string, listener: (...args: unknown[]) => void): void
  }
  interface Announced {
    info: WalletInfo
    provider: Eip1193
  }
  const FORWARDED_EVENTS = ['accountsChanged', 'chainChanged', 'connect', 'disconnect']
  const wallets = new Map<string, Announced>()
  const ports = new Set<MessagePort>()

  const post = (port: MessagePort, message: FromBridge) => {
    try {
      port.postMessage(message)
    } catch {
      ports.delete(port)
    }
  }
  const infos = (): WalletInfo[] => [...wallets.values()].map((w) => ({ ...w.info }))
  const broadcast = () => {
    for (const port of ports) post(port, { t: 'wallets', wallets: infos() })
  }

  const add = (info: WalletInfo, provider: Eip1193) => {
    if (wallets.has(info.uuid)) return
    wallets.set(info.uuid, { info, provider })
    for (const event of FORWARDED_EVENTS) {
      provider.on?.(event, (...args: unknown[]) => {
        const cloneable = JSON.parse(JSON.stringify(args ?? [])) as unknown[]
        for (const port of ports) post(port, { t: 'event', uuid: info.uuid, event, args: cloneable })
      })
    }
    broadcast()
  }

  window.addEventListener('eip6963:announceProvider', (event) => {
    const detail = (event as CustomEvent<{ info?: Partial<WalletInfo>; provider?: Eip1193 }>).detail
    const info = detail?.info
    if (!info || !detail.provider || typeof detail.provider.request !== 'function') return
    if (typeof info.uuid !== 'string' || typeof info.name !== 'string' || typeof info.rdns !== 'string') return
    add(
      { uuid: info.uuid, name: info.name, rdns: info.rdns, icon: typeof info.icon === 'string' ? info.icon : '' },
      detail.provider,
    )
  })

  const discover = () => {
    window.dispatchEvent(new Event('eip6963:requestProvider'))
    const legacy = (window as unknown as { ethereum?: Eip1193 }).ethereum
    if (!wallets.size && legacy && typeof legacy.request === 'function') {
      add({ uuid: 'window.ethereum', name: 'Browser wallet', rdns: 'window.ethereum', icon: '' }, legacy)
    }
  }

  const serve = (port: MessagePort) => {
    ports.add(port)
    port.onmessage = async (event: MessageEvent<ToBridge>) => {
      const message = event.data
      if (message?.t === 'list') {
        discover()
        post(port, { t: 'wallets', wallets: infos() })
      } else if (message?.t === 'request') {
        const wallet = wallets.get(message.uuid)
        if (!wallet) {
          post(port, { t: 'response', id: message.id, error: { code: 4100, message: 'Unknown wallet.' } })
          return
        }
        try {
          const result = await wallet.provider.request({ method: message.method, params: message.params })
          post(port, {
            t: 'response',
            id: message.id,
            result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
          })
        } catch (error) {
          const e = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown }
          let data: unknown
          try {
            data = e.data === undefined ? undefined : JSON.parse(JSON.stringify(e.data))
          } catch {}
          post(port, {
            t: 'response',
            id: message.id,
            error: {
              code: typeof e.code === 'number' ? e.code : -32603,
              message: typeof e.message === 'string' ? e.message : 'The wallet failed.',
              ...(data !== undefined && { data }),
            },
          })
        }
      }
    }
  }

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.data?.type !== BRIDGE_PORT_MESSAGE) return
    const port = event.ports[0]
    if (port) serve(port)
  })
  // No discovery until a tip frame asks: a page without tip buttons sees nothing of the bridge.
})()
