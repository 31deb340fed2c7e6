// The QR encoder is only needed once a visitor asks for a code (WalletConnect on a desktop, a payment QR on a
// phone without a wallet): a dynamic import keeps it in its own chunk, outside the up-front bundles.
export type QrApi = typeof import('./qr.js')

let loading: Promise<QrApi> | undefined

/** Loads the QR encoder once per page copy of the widgets; a failed download may be retried. */
export function loadQr(): Promise<QrApi> {
  loading ??= import('./qr.js').catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}

export type PairingApi = typeof import('./qr-pairing.js')

let loadingPairing: Promise<PairingApi> | undefined

/** Loads the WalletConnect pairing view (with the QR encoder); a failed download may be retried. */
export function loadPairing(): Promise<PairingApi> {
  loadingPairing ??= import('./qr-pairing.js').catch((error: unknown) => {
    loadingPairing = undefined
    throw error
  })
  return loadingPairing
}
