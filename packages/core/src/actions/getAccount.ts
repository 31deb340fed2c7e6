import type { Account, TokenTagsClient } from '../client.js'

export type GetAccountReturnType = Account

/** The connected account (`status`, `address`, the wallet's `chainId`). Never starts wallet discovery. */
export function getAccount(client: TokenTagsClient): GetAccountReturnType {
  return client.getState().account
}
