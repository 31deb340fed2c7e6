// Writing the page's memory of the visitor's wallets (`remember`): only the lazily loaded session code writes it, so
// it stays out of the widgets' first download. What is stored, and where, is described in page-session.ts.
import { REMEMBER_KEY, readRemembered, type SessionNetwork, storage } from './page-session.js'

/** Remembers `walletId` for `network` (or forgets it, with `undefined`). */
export function rememberWallet(network: SessionNetwork, walletId: string | undefined): void {
  const store = storage()
  if (!store) return
  const next = { ...readRemembered() }
  if (walletId === undefined) delete next[network]
  else next[network] = walletId
  try {
    if (Object.keys(next).length === 0) store.removeItem(REMEMBER_KEY)
    else store.setItem(REMEMBER_KEY, JSON.stringify(next))
  } catch {
    // Quota or a storage that refuses writes: the page simply does not remember.
  }
}
