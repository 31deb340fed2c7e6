export type Listener<state> = (state: state, previous: state) => void

export interface Store<state> {
  getState(): state
  setState(next: state | ((previous: state) => state)): void
  subscribe(listener: Listener<state>): () => void
}

/** A minimal framework-agnostic store: no globals, nothing touched at import. */
export function createStore<state>(initial: state): Store<state> {
  let current = initial
  const listeners = new Set<Listener<state>>()
  return {
    getState: () => current,
    setState(next) {
      const previous = current
      current = typeof next === 'function' ? (next as (previous: state) => state)(previous) : next
      if (Object.is(current, previous)) return
      for (const listener of listeners) listener(current, previous)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
