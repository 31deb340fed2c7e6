// Reading typed amounts in the visitor's language is needed only once a widget shows its amount field (a wallet is
// connected): a dynamic import keeps the reader in its own chunk, outside the up-front bundles.
export type AmountApi = typeof import('./amount-check.js')

let api: AmountApi | undefined
let loading: Promise<AmountApi> | undefined

/** The amount reader, if it has loaded. */
export function amountApi(): AmountApi | undefined {
  return api
}

/** Loads the amount reader once per page copy of the widgets; a failed download may be retried. */
export function loadAmountApi(): Promise<AmountApi> {
  loading ??= import('./amount-check.js').then(
    (module) => {
      api = module
      return module
    },
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading
}

/**
 * For an element about to draw an amount field: undefined when the reader is there, else its loading, which redraws
 * the element when it arrives (the field shows no verdict until then).
 */
export function needAmountApi(el: { requestUpdate(): void }): Promise<void> | undefined {
  if (api) return undefined
  return loadAmountApi().then(
    () => el.requestUpdate(),
    () => undefined,
  )
}
