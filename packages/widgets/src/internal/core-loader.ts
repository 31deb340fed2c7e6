// Loads @tokentags/core once per page copy of the widgets, and tells every widget when it is there.
export type CoreApi = typeof import('./core-api.js')
/** The client core makes for the page's EVM chains. */
export type CoreClient = ReturnType<CoreApi['clientFor']>

let loading: Promise<CoreApi> | undefined
let loaded: CoreApi | undefined
const listeners = new Set<(core: CoreApi) => void>()

/** Starts (or joins) the download of core; rejects when the chunk cannot be fetched (retry allowed). */
export function loadCore(): Promise<CoreApi> {
  loading ??= import('./core-api.js').then(
    (core) => {
      loaded = core
      for (const listener of [...listeners]) listener(core)
      return core
    },
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading
}

/** Core, if it has been loaded on this page. */
export function loadedCore(): CoreApi | undefined {
  return loaded
}

/** Calls `listener` once core is loaded (by any widget). */
export function onCoreLoaded(listener: (core: CoreApi) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
