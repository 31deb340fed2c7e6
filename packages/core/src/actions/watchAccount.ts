import type { Account, TokenTagsClient } from '../client.js'
import { getWagmiConfig } from '../internal/wagmi.js'

export type WatchAccountCallback = (account: Account, previous: Account) => void

/** Calls back when the status, address or wallet chain changes. Returns an unsubscribe. */
export function watchAccount(client: TokenTagsClient, callback: WatchAccountCallback): () => void {
  getWagmiConfig(client)
  return client.subscribe((state, previous) => {
    if (state.account !== previous.account) callback(state.account, previous.account)
  })
}
