// One refresh for the whole page: every widget re-reads in the same tick, so core's
// JSON-RPC batching turns N widgets' reads into one HTTP request per round.

/** How often widgets re-read while the page is visible. */
export const REFRESH_INTERVAL_MS = 30_000

const subscribers = new Set<() => void>()
let timer: ReturnType<typeof setInterval> | undefined
let scheduled = false

function onVisibility(): void {
  if (document.visibilityState === 'visible') refreshAll()
}

/** Re-reads every subscribed widget, coalesced to one tick. */
export function refreshAll(): void {
  if (scheduled) return
  scheduled = true
  queueMicrotask(() => {
    scheduled = false
    for (const subscriber of [...subscribers]) subscriber()
  })
}

/** Subscribes a widget to the page's refreshes (interval, tab shown again, another widget's success). */
export function onRefresh(subscriber: () => void): () => void {
  subscribers.add(subscriber)
  if (!timer && typeof document !== 'undefined') {
    timer = setInterval(() => document.visibilityState === 'visible' && refreshAll(), REFRESH_INTERVAL_MS)
    document.addEventListener('visibilitychange', onVisibility)
  }
  return () => {
    subscribers.delete(subscriber)
    if (subscribers.size === 0 && timer) {
      clearInterval(timer)
      timer = undefined
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }
}

const inflight = new Map<string, Promise<unknown>>()

/** Runs `read` once for concurrent callers with the same `key` (e.g. 50 widgets of one vault). */
export function sharedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
  let pending = inflight.get(key) as Promise<T> | undefined
  if (!pending) {
    pending = read().finally(() => inflight.delete(key))
    inflight.set(key, pending)
  }
  return pending
}
