// The widgets' funnel (issue 16), an on-demand chunk: the base element imports it only when the page
// has a relay and analytics are not off, so a page without a relay sends nothing and loads nothing.
// Each widget instance reports `view` once (when it first enters the viewport), `connect` once (when
// a wallet of its network is connected), and `submit` (the wallet is asked to sign), `success` and
// `error` (with its code) each time they happen. No address, no amount, no id: only what and which kind.
import type { TokenTagsPageConfig } from './config.js'

interface FunnelEvent {
  widget: string
  kind: 'view' | 'connect' | 'submit' | 'success' | 'error'
  code?: string
}

/** A page's events go out this long after the first of them (or when the page is hidden, whichever is first). */
const DELAY_MS = 4000
/** The relay's largest batch. */
const MAX_EVENTS = 50
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/

interface Seen {
  status?: string
  connected?: true
}

const seen = new WeakMap<HTMLElement, Seen>()
const queue: FunnelEvent[] = []
let endpoint = ''
let timer: ReturnType<typeof setTimeout> | undefined
let listening = false

// page-session.ts keeps the page's accounts here, for every copy of the widgets on the page: read, not imported
// (an import would tie this chunk to the entry that loaded it).
const SESSIONS = Symbol.for('tokentags.sessions.v1')

function connectedTo(network: string | undefined): boolean {
  const sessions = (globalThis as unknown as Record<symbol, { accounts?: Map<string, unknown> } | undefined>)[SESSIONS]
  return network !== undefined && !!sessions?.accounts?.has(network)
}

/**
 * Takes one state of one widget (the base element calls it on each new state): `tag` is `token-claim`, `token-tip`
 * or `token-buy`, `network` that of the widget's target. A widget with `analytics="off"` reports nothing. @internal
 */
export function record(
  config: TokenTagsPageConfig,
  host: HTMLElement,
  tag: string,
  state: { status: string; code?: string },
  network: string | undefined,
): void {
  if (host.getAttribute('analytics') === 'off') return
  const { status, code } = state
  // sendBeacon cannot set a header: the site key goes in the query string (the relay takes both).
  endpoint = `${config.relayUrl?.replace(/\/+$/, '')}/v1/events?site=${encodeURIComponent(config.siteKey ?? '')}`
  const widget = tag.replace('token-', '')
  let seenState = seen.get(host)
  if (!seenState) {
    seenState = {}
    seen.set(host, seenState)
    whenVisible(host, () => push({ widget, kind: 'view' }))
  }
  if (!seenState.connected && connectedTo(network)) {
    seenState.connected = true
    push({ widget, kind: 'connect' })
  }
  if (status !== seenState.status) {
    if (status === 'signing') push({ widget, kind: 'submit' })
    else if (status === 'success') push({ widget, kind: 'success' })
    else if (status === 'error') push({ widget, kind: 'error', ...(code && CODE.test(code) && { code }) })
  }
  seenState.status = status
}

/**
 * `view` when the widget first shows in the viewport (IntersectionObserver), not when it renders: a widget at the
 * bottom of a long page that nobody scrolls to was not seen, and a funnel that counts it misleads its owner.
 */
function whenVisible(host: HTMLElement, then: () => void): void {
  if (typeof IntersectionObserver === 'undefined') {
    then()
    return
  }
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return
    observer.disconnect()
    then()
  })
  observer.observe(host)
}

function push(event: FunnelEvent): void {
  queue.push(event)
  if (!listening) {
    listening = true
    // The last moment a page is sure to run: hidden (tab switched, app backgrounded) or unloaded.
    addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush())
    addEventListener('pagehide', flush)
  }
  if (queue.length >= MAX_EVENTS) flush()
  else timer ??= setTimeout(flush, DELAY_MS)
}

/** Sends what is queued, in batches the relay takes: `sendBeacon` (text/plain, no preflight), else a keepalive fetch. */
function flush(): void {
  clearTimeout(timer)
  timer = undefined
  while (queue.length > 0 && endpoint) {
    const body = JSON.stringify({ events: queue.splice(0, MAX_EVENTS) })
    let queued = false
    try {
      queued = navigator.sendBeacon(endpoint, body)
    } catch {}
    if (!queued) {
      fetch(endpoint, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => {})
    }
  }
}
